"""The weekly send, called by the periodic tick (`tenfold.notifications.tick`).

For each organization with digests on, at its digest day and hour (in its time zone):

- each member of each team gets the team's digest, unless they muted it or switched it off;
- owners, admins and the leads of departments (and of the company unit) get the company's;
- active subscribers get theirs, cut to the sections an admin chose;
- teams' chat channels (and the company unit's) get a short version, when the chat app is
  installed.

Every send goes through `deliver()`, keyed by recipient, kind and period (the ISO week of the
digest day; a team digest adds the team's code), so a second tick, a second worker or a restart
sends nothing twice. Once nothing of the week is left to send, a `DigestRun` row says so and
later ticks skip the organization with one query. When nothing is due at all, a tick costs
two queries.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import Q

from tenfold.lib.schedule import Occurrence, due_weekly, local_day, zone
from tenfold.notifications.models import (
    Channel,
    Delivery,
    Kind,
    OrgSettings,
    Status,
)
from tenfold.notifications.services import deliver, finished, preferences_of, wants
from tenfold.organizations.models import Membership, Organization, Role, Unit, UnitKind, UnitMember

from . import emails
from .models import DigestRun, Subscriber
from .selectors import Digest, company_digest, subscriber_digest, team_digest

DIGEST_KINDS = (Kind.TEAM_DIGEST, Kind.COMPANY_DIGEST, Kind.SUBSCRIBER_DIGEST)


def _settings(organization: Organization) -> OrgSettings:
    """The organization's notification settings from the row fetched with it; the defaults
    (digests on, Monday 8:00) when it has none yet."""
    try:
        found = organization.notification_settings
    except OrgSettings.DoesNotExist:
        found = OrgSettings(organization=organization)
    organization._notification_settings = found  # type: ignore[attr-defined]
    return found


def due(now: dt.datetime) -> list[tuple[Organization, Occurrence]]:
    """Organizations whose digests are due now and not finished yet. Two queries."""
    found: list[tuple[Organization, Occurrence]] = []
    for organization in Organization.objects.select_related("notification_settings"):
        opts = _settings(organization)
        if not opts.digests:
            continue
        occurrence = due_weekly(
            now, zone(organization.time_zone), opts.digest_weekday, opts.digest_hour
        )
        if occurrence is not None:
            found.append((organization, occurrence))
    if not found:
        return []
    finished = set(
        DigestRun.objects.filter(
            organization__in=[organization for organization, _o in found],
            period__in={occurrence.period for _org, occurrence in found},
            finished_at__isnull=False,
        ).values_list("organization_id", "period")
    )
    return [(org, occ) for org, occ in found if (org.id, occ.period) not in finished]


def _chat_units(organization: Organization, kind: str) -> set[int]:
    """Units with an active chat channel that takes `kind`; empty without the chat app."""
    try:
        from tenfold.chat.models import ChatChannel
    except ImportError:
        return set()
    return {
        unit_id
        for unit_id, kinds in ChatChannel.objects.filter(
            organization=organization, active=True
        ).values_list("unit_id", "kinds")
        if kind in (kinds or [])
    }


def _post_to_chat(unit: Unit, kind: str, digest: Digest, period: str, now: dt.datetime) -> int:
    try:
        from tenfold.chat.services import send_to_unit
    except ImportError:
        return 0
    message = emails.chat_message(digest, language=emails.language_of(unit.organization))
    if message is None:
        return 0
    return int(send_to_unit(unit=unit, kind=kind, message=message, period=period, now=now) or 0)


class _Mailer:
    """Renders a digest once per language and hands it to `deliver` for each recipient."""

    def __init__(self, organization: Organization, kind: str, now: dt.datetime) -> None:
        self.organization = organization
        self.kind = kind
        self.now = now
        self.sent = 0

    def to_members(
        self, digest: Digest, users: list[Any], period: str, unit: Unit | None = None
    ) -> None:
        rendered: dict[str, emails.Rendered] = {}
        for user in users:
            language = emails.language_of(self.organization, user)

            def send(user: Any = user, language: str = language) -> str:
                if language not in rendered:
                    rendered[language] = emails.render_member(digest, language=language)
                return emails.send(user.email, rendered[language])

            row = deliver(
                organization=self.organization,
                recipient=f"user:{user.pk}",
                channel=Channel.EMAIL,
                kind=self.kind,
                period=period,
                send=send,
                user=user,
                unit=unit,
                now=self.now,
            )
            if row is not None and row.status == Status.SENT:
                self.sent += 1


def send_team_digests(organization: Organization, occurrence: Occurrence, now: dt.datetime) -> int:
    """Each team's digest to each of its members who want it, and to its chat channels."""
    teams = list(Unit.objects.filter(organization=organization, kind=UnitKind.TEAM).order_by("id"))
    if not teams:
        return 0
    members: dict[int, list[Any]] = defaultdict(list)
    users: dict[int, Any] = {}
    for row in (
        UnitMember.objects.filter(organization=organization, unit__in=teams, user__is_active=True)
        .select_related("user")
        .order_by("user_id")
    ):
        members[row.unit_id].append(row.user)
        users[row.user_id] = row.user
    prefs = preferences_of(organization, users.values())
    today = local_day(now, zone(organization.time_zone))
    periods = {f"{occurrence.period}:{team.code}" for team in teams}
    done = finished(organization, Kind.TEAM_DIGEST, periods)
    chat = _chat_units(organization, Kind.TEAM_DIGEST)
    mailer = _Mailer(organization, Kind.TEAM_DIGEST, now)
    posted = 0
    for team in teams:
        team.organization = organization
        period = f"{occurrence.period}:{team.code}"
        recipients = [
            user
            for user in members.get(team.id, [])
            if wants(prefs.get(user.pk), Kind.TEAM_DIGEST, today=today)
            and (f"user:{user.pk}", period) not in done
        ]
        if not recipients and team.id not in chat:
            continue
        digest = team_digest(team, occurrence.due, now=now)
        if digest.is_empty:
            continue  # a team with no OKRs and an empty week gets no mail about nothing
        mailer.to_members(digest, recipients, period, unit=team)
        if team.id in chat:
            posted += _post_to_chat(team, Kind.TEAM_DIGEST, digest, occurrence.period, now)
    return mailer.sent + posted


def company_recipients(organization: Organization) -> list[Any]:
    """Owners, admins, and the leads of departments and of the company unit; once each."""
    people: dict[int, Any] = {}
    for membership in Membership.objects.filter(
        organization=organization,
        role__in=(Role.OWNER, Role.ADMIN),
        user__is_active=True,
        user__is_service=False,
    ).select_related("user"):
        people[membership.user_id] = membership.user
    for row in UnitMember.objects.filter(
        organization=organization,
        is_lead=True,
        unit__kind__in=(UnitKind.DEPARTMENT, UnitKind.COMPANY),
        user__is_active=True,
    ).select_related("user"):
        people.setdefault(row.user_id, row.user)
    return [people[key] for key in sorted(people)]


def send_company_digests(
    organization: Organization, occurrence: Occurrence, now: dt.datetime
) -> int:
    period = occurrence.period
    people = company_recipients(organization)
    prefs = preferences_of(organization, people)
    today = local_day(now, zone(organization.time_zone))
    done = finished(organization, Kind.COMPANY_DIGEST, {period})
    recipients = [
        user
        for user in people
        if wants(prefs.get(user.pk), Kind.COMPANY_DIGEST, today=today)
        and (f"user:{user.pk}", period) not in done
    ]
    root = Unit.objects.filter(organization=organization, parent__isnull=True).first()
    chat = root is not None and root.id in _chat_units(organization, Kind.COMPANY_DIGEST)
    if not recipients and not chat:
        return 0
    digest = company_digest(organization, occurrence.due, now=now)
    if digest.is_empty:
        return 0
    mailer = _Mailer(organization, Kind.COMPANY_DIGEST, now)
    mailer.to_members(digest, recipients, period)
    posted = 0
    if chat and root is not None:
        root.organization = organization
        posted = _post_to_chat(root, Kind.COMPANY_DIGEST, digest, period, now)
    return mailer.sent + posted


def send_subscriber_digests(
    organization: Organization, occurrence: Occurrence, now: dt.datetime
) -> int:
    """Each active subscriber's digest. One digest is built per unit (or the company) and
    rendered per subscriber, whose sections and names flag differ."""
    period = occurrence.period
    subscribers = list(
        Subscriber.objects.filter(organization=organization, active=True)
        .select_related("unit")
        .order_by("unit_id", "id")
    )
    if not subscribers:
        return 0
    done = finished(organization, Kind.SUBSCRIBER_DIGEST, {period})
    built: dict[int | None, Digest] = {}
    sent = 0
    for subscriber in subscribers:
        if (f"subscriber:{subscriber.code}", period) in done:
            continue
        subscriber.organization = organization
        if subscriber.unit_id not in built:
            built[subscriber.unit_id] = subscriber_digest(subscriber, occurrence.due, now=now)
        digest = built[subscriber.unit_id]
        if digest.is_empty:
            continue

        def send(subscriber: Subscriber = subscriber, digest: Digest = digest) -> str:
            return emails.send(
                subscriber.email,
                emails.render_subscriber(digest, subscriber),
                unsubscribe=emails.unsubscribe_url(subscriber),
            )

        row = deliver(
            organization=organization,
            recipient=f"subscriber:{subscriber.code}",
            channel=Channel.EMAIL,
            kind=Kind.SUBSCRIBER_DIGEST,
            period=period,
            send=send,
            unit=subscriber.unit,
            now=now,
        )
        if row is not None and row.status == Status.SENT:
            sent += 1
    return sent


def send_for(organization: Organization, occurrence: Occurrence, now: dt.datetime) -> int:
    """Everything of one organization's week; finishes the run when nothing is left to retry."""
    run, _created = DigestRun.objects.get_or_create(
        organization=organization, period=occurrence.period
    )
    sent = (
        send_team_digests(organization, occurrence, now)
        + send_company_digests(organization, occurrence, now)
        + send_subscriber_digests(organization, occurrence, now)
    )
    waiting = Delivery.objects.filter(
        Q(period=occurrence.period) | Q(period__startswith=f"{occurrence.period}:"),
        organization=organization,
        kind__in=DIGEST_KINDS,
        status=Status.PENDING,
    ).exists()
    run.sent += sent
    if not waiting:
        run.finished_at = now
    run.save(update_fields=["sent", "finished_at"])
    return sent


def run_due(now: dt.datetime) -> int:
    """The tick's job: send every digest that is due now; how many went out."""
    return sum(send_for(organization, occurrence, now) for organization, occurrence in due(now))
