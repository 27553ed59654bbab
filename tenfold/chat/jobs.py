"""At-risk alerts for team chat, run by the periodic tick.

When a key result of an active cycle turns at risk, off track or stale, the channels of its
objective's unit that take at-risk alerts get one message about it. `AlertState` remembers
the status last seen for each key result, so an unchanged status costs nothing and a change
alerts once; the delivery period `<key result>:<status>:<ISO week>` keeps a key result that
flaps between two statuses from alerting about the same status twice in a week.

Cheap when there is nothing to do: one query when no channel takes alerts; otherwise a few per
organization that has such channels, whatever the number of key results.
"""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal

from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from tenfold.lib.progress import Status, elapsed_fraction
from tenfold.lib.schedule import week_key, zone
from tenfold.notifications.models import Kind
from tenfold.notifications.services import site_url
from tenfold.okrs.models import CycleState, KeyResult, Level, ObjectiveState, Visibility
from tenfold.okrs.selectors import key_result_status
from tenfold.organizations.models import Organization

from .layouts import ChatMessage, Link, Tone
from .models import AlertState, ChatChannel
from .services import all_settled, deliver_to_channels

log = logging.getLogger(__name__)

ALERT_STATUSES = frozenset({Status.AT_RISK, Status.OFF_TRACK, Status.STALE})
# Objectives people work on; drafts are not commitments yet and closed ones are history.
LIVE_OBJECTIVES = (ObjectiveState.PROPOSED, ObjectiveState.APPROVED, ObjectiveState.ACTIVE)


def run_due(now: dt.datetime) -> int:
    """Post the alerts owed now; returns how many channel messages were sent."""
    units_by_org: dict[int, set[int]] = {}
    rows = ChatChannel.objects.filter(active=True).values_list(
        "organization_id", "unit_id", "kinds"
    )
    for organization_id, unit_id, kinds in rows:
        if Kind.AT_RISK in (kinds or []):
            units_by_org.setdefault(organization_id, set()).add(unit_id)
    if not units_by_org:
        return 0
    sent = 0
    for organization in Organization.objects.filter(id__in=units_by_org):
        try:
            with translation.override(organization.language or None):
                sent += alert_organization(organization, units_by_org[organization.id], now)
        except Exception:  # one organization's trouble must not starve the others
            log.exception("chat alerts for %s failed", organization.slug)
    return sent


def alert_organization(organization: Organization, unit_ids: set[int], now: dt.datetime) -> int:
    today = now.astimezone(zone(organization.time_zone)).date()
    week = week_key(today)
    key_results = list(
        KeyResult.objects.filter(
            organization=organization,
            objective__unit_id__in=unit_ids,
            objective__cycle__state=CycleState.ACTIVE,
            objective__state__in=LIVE_OBJECTIVES,
        )
        # A private objective stays with its lead and managers: never in a team channel.
        .exclude(Q(objective__visibility=Visibility.PRIVATE) | Q(objective__level=Level.PERSONAL))
        .select_related("objective__cycle", "objective__unit", "owner")
    )
    if not key_results:
        return 0
    states = {
        state.key_result_id: state
        for state in AlertState.objects.filter(key_result_id__in=[kr.id for kr in key_results])
    }
    created: list[AlertState] = []
    changed: list[AlertState] = []
    owed: list[tuple[KeyResult, AlertState]] = []
    for kr in key_results:
        cycle = kr.objective.cycle
        cycle.organization = organization
        status = key_result_status(kr, cycle, today)
        state = states.get(kr.id)
        if state is None or state.last_status != status:
            due = f"{kr.code}:{status}:{week}" if status in ALERT_STATUSES else ""
            if state is None:
                state = AlertState(
                    organization=organization,
                    key_result=kr,
                    last_status=status,
                    owed=due,
                    changed_at=now,
                )
                created.append(state)
            else:
                # A newer status replaces an alert still owed for an older one.
                state.last_status, state.owed, state.changed_at = status, due, now
                changed.append(state)
        if state.owed:
            kr.status = status  # type: ignore[attr-defined]
            owed.append((kr, state))
    if created:
        AlertState.objects.bulk_create(created, ignore_conflicts=True)
    if changed:
        AlertState.objects.bulk_update(changed, ["last_status", "owed", "changed_at"])
    if not owed:
        return 0
    channels: dict[int, list[ChatChannel]] = {}
    for channel in ChatChannel.objects.filter(
        organization=organization, unit_id__in=unit_ids, active=True
    ):
        if Kind.AT_RISK in (channel.kinds or []):
            channel.organization = organization
            channels.setdefault(channel.unit_id, []).append(channel)
    sent = 0
    settled: list[int] = []
    for kr, state in owed:
        unit = kr.objective.unit
        assert unit is not None  # filtered on objective__unit above
        unit.organization = organization
        targets = channels.get(unit.id, [])
        period = state.owed
        rows = deliver_to_channels(
            targets,
            unit=unit,
            kind=Kind.AT_RISK,
            message=alert_message(organization, kr, today),
            period=period,
            now=now,
        )
        sent += sum(1 for row in rows if row is not None and row.status == "sent")
        if all_settled(targets, kind=Kind.AT_RISK, period=period):
            settled.append(state.key_result_id)
    if settled:
        AlertState.objects.filter(key_result_id__in=settled).update(owed="")
    return sent


def _percent(value: Decimal) -> str:
    return f"{round(value * 100)} %"


def alert_message(organization: Organization, kr: KeyResult, today: dt.date) -> ChatMessage:
    objective = kr.objective
    cycle = objective.cycle
    status = getattr(kr, "status", None) or key_result_status(kr, cycle, today)
    expected = elapsed_fraction(cycle.start, cycle.end, min(today, cycle.end))
    titles = {
        Status.AT_RISK: _("At risk: %(kr)s"),
        Status.OFF_TRACK: _("Off track: %(kr)s"),
        Status.STALE: _("No recent check-in: %(kr)s"),
    }
    title = titles.get(status, "%(kr)s") % {"kr": kr.title}
    if status == Status.STALE:
        local = zone(organization.time_zone)
        days = (
            (today - kr.last_checkin_at.astimezone(local).date()).days if kr.last_checkin_at else 0
        )
        text = _(
            "Nobody has checked in on this key result for %(days)d days. Whatever it last "
            "said, silence is never on track: a quick update at the next check-in meeting "
            "tells the team where it stands."
        ) % {"days": days}
    else:
        text = _(
            "Progress is %(progress)s, while %(expected)s of the cycle has passed. Worth a "
            "look at the next check-in meeting: what is in the way, and what would move it?"
        ) % {"progress": _percent(kr.progress), "expected": _percent(expected)}
    facts: list[tuple[str, str]] = [
        (_("Objective"), objective.title),
        (_("Progress"), _percent(kr.progress)),
        (_("Expected by now"), _percent(expected)),
    ]
    if kr.owner is not None:
        facts.append((_("Owner"), kr.owner.display_name))
    if kr.last_confidence is not None:
        facts.append((_("Confidence"), f"{round(kr.last_confidence * 10)}/10"))
    if kr.last_checkin_at is not None:
        local_day = kr.last_checkin_at.astimezone(zone(organization.time_zone)).date()
        facts.append((_("Last check-in"), local_day.isoformat()))
    unit = objective.unit
    return ChatMessage(
        title=title,
        text=text,
        facts=facts,
        link=Link(
            _("Open the key result"),
            site_url("key_result", org=organization.slug, code=kr.code),
        ),
        tone=Tone.DANGER if status == Status.OFF_TRACK else Tone.WARNING,
        footer=_("%(unit)s · %(cycle)s · at-risk alerts from Tenfold")
        % {"unit": unit.name if unit else organization.name, "cycle": cycle.name},
    )
