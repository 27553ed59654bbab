"""Audit events told as sentences for the activity feed ("Bob checked in 34 on …")."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tenfold.checkins.models import Category
from tenfold.okrs.models import CycleState, InitiativeStatus, ObjectiveState
from tenfold.organizations.models import Organization

from .targets import key_result_url, thread_url


def _label(choices: Any, value: Any) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


def _after(change: Any) -> Any:
    """The new value of a change recorded either as a value or as [before, after]."""
    if isinstance(change, list | tuple) and len(change) == 2:
        return change[1]
    return change


def _category(organization: Organization, key: Any) -> str:
    names = organization.ppp_names if isinstance(organization.ppp_names, dict) else {}
    if key in names:
        return str(names[key])
    for extra in organization.extra_categories or []:
        if isinstance(extra, dict) and extra.get("key") == key:
            return str(extra.get("name") or key)
    return _label(Category, key)


Describe = Callable[[dict[str, Any], dict[str, Any], Organization], str]


def _state(values: dict[str, Any], changes: dict[str, Any], org: Organization) -> str:
    values["state"] = _label(ObjectiveState, _after(changes.get("state")))
    return _("%(actor)s moved “%(title)s” to %(state)s") % values


def _cycle_state(values: dict[str, Any], changes: dict[str, Any], org: Organization) -> str:
    values["state"] = _label(CycleState, _after(changes.get("state")))
    return _("%(actor)s set the cycle %(title)s to %(state)s") % values


def _checkin(values: dict[str, Any], changes: dict[str, Any], org: Organization) -> str:
    values["value"] = changes.get("value", "")
    return _("%(actor)s checked in %(value)s on “%(title)s”") % values


def _initiative(values: dict[str, Any], changes: dict[str, Any], org: Organization) -> str:
    if "status" in changes:
        values["status"] = _label(InitiativeStatus, _after(changes["status"]))
        return _("%(actor)s marked the initiative “%(title)s” %(status)s") % values
    return _("%(actor)s updated the initiative “%(title)s”") % values


def _moved(values: dict[str, Any], changes: dict[str, Any], org: Organization) -> str:
    values["category"] = _category(org, _after(changes.get("category")))
    return _("%(actor)s moved “%(title)s” to %(category)s") % values


def _comment(values: dict[str, Any], changes: dict[str, Any], org: Organization) -> str:
    values["target"] = changes.get("target_title") or _("something")
    return _("%(actor)s commented on “%(target)s”") % values


def _plain(template: str) -> Describe:
    """A sentence without extra values; `template` is marked with gettext_noop and
    translated when the sentence is built, in the reader's language."""

    def describe(values: dict[str, Any], changes: dict[str, Any], org: Organization) -> str:
        return _(template) % values

    return describe


SENTENCES: dict[str, Describe] = {
    "objective.created": _plain(gettext_noop("%(actor)s created the objective “%(title)s”")),
    "objective.updated": _plain(gettext_noop("%(actor)s edited the objective “%(title)s”")),
    "objective.state_changed": _state,
    "key_result.created": _plain(gettext_noop("%(actor)s added the key result “%(title)s”")),
    "key_result.updated": _plain(gettext_noop("%(actor)s edited the key result “%(title)s”")),
    "key_result.deleted": _plain(gettext_noop("%(actor)s removed the key result “%(title)s”")),
    "checkin.recorded": _checkin,
    "alignment.linked": _plain(gettext_noop("%(actor)s aligned “%(title)s” to another objective")),
    "alignment.unlinked": _plain(gettext_noop("%(actor)s removed an alignment of “%(title)s”")),
    "initiative.created": _plain(gettext_noop("%(actor)s added the initiative “%(title)s”")),
    "initiative.updated": _initiative,
    "cycle.created": _plain(gettext_noop("%(actor)s created the cycle %(title)s")),
    "cycle.state_changed": _cycle_state,
    "unit.created": _plain(gettext_noop("%(actor)s created the unit %(title)s")),
    "weekly.item_added": _plain(gettext_noop("%(actor)s added “%(title)s” to a weekly report")),
    "weekly.item_done": _plain(gettext_noop("%(actor)s finished “%(title)s”")),
    "weekly.item_moved": _moved,
    "weekly.item_resolved": _plain(gettext_noop("%(actor)s resolved the problem “%(title)s”")),
    "comment.added": _comment,
}


def describe(event: Any, organization: Organization) -> str:
    """One readable sentence for an audit event; runs no query (the actor is selected with
    the event)."""
    actor = event.actor.display_name if event.actor else _("Someone")
    values: dict[str, Any] = {"actor": actor, "title": event.object_repr}
    changes = event.changes if isinstance(event.changes, dict) else {}
    teller = SENTENCES.get(event.verb)
    if teller is None:
        return _("%(actor)s changed “%(title)s”") % values
    return teller(values, changes, organization)


def event_url(event: Any, slug: str) -> str:
    """Where to read more about an event, or "" when there is no page for it."""
    changes = event.changes if isinstance(event.changes, dict) else {}
    if event.object_type == "comment" and changes.get("target_kind") and changes.get("target"):
        url = thread_url(slug, changes["target_kind"], changes["target"])
        return f"{url}#comment-{event.object_code}"
    if event.object_type == "weeklyitem":
        return thread_url(slug, "item", event.object_code)
    if event.object_type == "keyresult" and event.objective_code:
        if event.verb == "key_result.deleted":
            return reverse("objective", kwargs={"org": slug, "code": event.objective_code})
        return key_result_url(slug, event.object_code, event.objective_code)
    if event.objective_code:
        return reverse("objective", kwargs={"org": slug, "code": event.objective_code})
    return ""
