"""Writes to the ideas board: ideas, votes, comments, and turning an idea into a draft
objective.

Like every service: keyword-only, validated, atomic, audited. Each takes the `access` of the
person acting (who they are and what they may do) and refuses with PermissionDenied what they
may not do, whichever interface called. Bad input is a ValidationError keyed by field, with
messages meant for the person who typed it; nothing is written when one is raised.
"""

from __future__ import annotations

from typing import Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tenfold.audit.services import audit_record, diff
from tenfold.lib.validation import Errors
from tenfold.okrs.models import TEXT_MAX as OBJECTIVE_TEXT_MAX
from tenfold.okrs.models import Cycle, CycleState, Objective, ObjectiveState
from tenfold.okrs.services import objective_create
from tenfold.organizations.models import Organization, Unit, UnitKind
from tenfold.organizations.permissions import Access

from .models import BODY_MAX, DETAILS_MAX, TEXT_MAX, Idea, IdeaComment, IdeaStatus, IdeaVote
from .models import Question as QuestionChoice
from .selectors import (
    can_comment,
    can_delete_comment,
    can_edit_comment,
    can_manage,
    default_cycle,
)
from .titles import title_from

DEFAULT: Literal["default"] = "default"
"""Pass as `cycle` to let the idea be for the default cycle (the next one in planning, else
the active one); None means "no particular cycle"."""
IDEA_FIELDS = ("question", "text", "details", "unit", "cycle")


# --- checks -----------------------------------------------------------------------------------


def _text(errors: Errors, field: str, value: Any, *, required: bool, limit: int) -> str:
    value = str(value or "").strip()
    if required and not value:
        errors.add(field, _("Write something first."))
    elif len(value) > limit:
        errors.add(
            field,
            _("Keep this under %(limit)d characters (it has %(count)d).")
            % {"limit": limit, "count": len(value)},
        )
    return value


def _require_write(access: Access) -> None:
    if not access.can_write:
        raise PermissionDenied(_("Viewers can read the ideas board but not add to it."))


def _check(
    errors: Errors, organization: Organization, data: dict[str, Any], *, new_cycle: bool = True
) -> None:
    """Validate and normalize the fields of an idea in place. A cycle that closed after the
    idea was written may stay on it (`new_cycle=False`); a new choice must still be open."""
    question = data.get("question") or ""
    if question not in QuestionChoice.values:
        errors.add("question", _("Choose which of the four questions this idea answers."))
    data["question"] = question
    data["text"] = _text(errors, "text", data.get("text"), required=True, limit=TEXT_MAX)
    data["details"] = _text(
        errors, "details", data.get("details"), required=False, limit=DETAILS_MAX
    )
    unit = data.get("unit")
    if unit is not None and unit.organization_id != organization.id:
        errors.add("unit", _("That unit belongs to another organization."))
    elif unit is not None and unit.kind == UnitKind.COMPANY:
        data["unit"] = None  # an idea for the whole company is stored without a unit
    cycle = data.get("cycle")
    if cycle is not None and new_cycle:
        if cycle.organization_id != organization.id:
            errors.add("cycle", _("That cycle belongs to another organization."))
        elif cycle.state == CycleState.CLOSED:
            errors.add(
                "cycle",
                _("The cycle “%(name)s” is closed: choose one still to come.")
                % {"name": cycle.name},
            )


def _locked(idea: Idea) -> Idea:
    """The idea re-read under a row lock, so two people voting or promoting at once queue
    instead of overwriting each other's counts."""
    return (
        Idea.objects.select_for_update(of=("self",)).select_related("organization").get(pk=idea.pk)
    )


# --- ideas ------------------------------------------------------------------------------------


@transaction.atomic
def idea_add(
    *,
    access: Access,
    question: str,
    text: str,
    details: str = "",
    unit: Unit | None = None,
    cycle: Cycle | Literal["default"] | None = DEFAULT,
) -> Idea:
    """Add an idea to the board, as an answer to one of the four questions."""
    _require_write(access)
    organization = access.membership.organization
    data: dict[str, Any] = {
        "question": question,
        "text": text,
        "details": details,
        "unit": unit,
        "cycle": default_cycle(organization) if cycle == DEFAULT else cycle,
    }
    errors = Errors()
    _check(errors, organization, data)
    errors.raise_if_any()
    idea = Idea.objects.create(organization=organization, author=access.membership.user, **data)
    audit_record(
        organization=organization,
        actor=access.membership.user,
        verb="idea.added",
        obj=idea,
        changes={
            "question": idea.question,
            "text": idea.text[:200],
            "unit": idea.unit,
            "cycle": idea.cycle.name if idea.cycle else None,
        },
    )
    return idea


@transaction.atomic
def idea_update(
    *, access: Access, idea: Idea, expected_version: int | None = None, **changes: Any
) -> Idea:
    """Change an idea's question, text, details, unit or cycle: its author or an admin."""
    unknown = set(changes) - set(IDEA_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))})
    idea = _locked(idea)
    if not can_manage(access, idea):
        raise PermissionDenied(_("Only the author of an idea or an admin may change it."))
    if idea.status == IdeaStatus.ARCHIVED:
        raise ValidationError(_("This idea is archived. Reopen it to change it."))
    data = {name: getattr(idea, name) for name in IDEA_FIELDS}
    before = dict(data)
    data.update(changes)
    if "cycle" in changes and changes["cycle"] == DEFAULT:
        data["cycle"] = default_cycle(idea.organization)
    errors = Errors()
    _check(errors, idea.organization, data, new_cycle=data["cycle"] != before["cycle"])
    errors.raise_if_any()
    if expected_version is not None and expected_version != idea.version:
        raise ValidationError(
            _("Someone else changed this idea while you were editing. Reload to see their change."),
            code="conflict",
        )
    for name, value in data.items():
        setattr(idea, name, value)
    idea.version += 1
    idea.save()
    audit_record(
        organization=idea.organization,
        actor=access.membership.user,
        verb="idea.updated",
        obj=idea,
        changes=diff(
            {**before, "cycle": before["cycle"].name if before["cycle"] else None},
            {**data, "cycle": data["cycle"].name if data["cycle"] else None},
        ),
    )
    return idea


@transaction.atomic
def idea_archive(*, access: Access, idea: Idea) -> Idea:
    """Take an idea off the board (it stays readable under "Archived"). Archiving an archived
    idea changes nothing."""
    idea = _locked(idea)
    if not can_manage(access, idea):
        raise PermissionDenied(_("Only the author of an idea or an admin may archive it."))
    if idea.status == IdeaStatus.ARCHIVED:
        return idea
    was = idea.status
    idea.status = IdeaStatus.ARCHIVED
    idea.version += 1
    idea.save(update_fields=["status", "version", "updated_at"])
    audit_record(
        organization=idea.organization,
        actor=access.membership.user,
        verb="idea.archived",
        obj=idea,
        changes={"status": [was, idea.status]},
    )
    return idea


@transaction.atomic
def idea_reopen(*, access: Access, idea: Idea) -> Idea:
    """Put an archived idea back on the board. An idea that is not archived stays as it is."""
    idea = _locked(idea)
    if not can_manage(access, idea):
        raise PermissionDenied(_("Only the author of an idea or an admin may reopen it."))
    if idea.status != IdeaStatus.ARCHIVED:
        return idea
    # An idea archived after it was promoted goes back to "promoted" while its objective lives.
    idea.status = IdeaStatus.PROMOTED if idea.promoted_to_id else IdeaStatus.OPEN
    idea.version += 1
    idea.save(update_fields=["status", "version", "updated_at"])
    audit_record(
        organization=idea.organization,
        actor=access.membership.user,
        verb="idea.reopened",
        obj=idea,
        changes={"status": [IdeaStatus.ARCHIVED.value, idea.status]},
    )
    return idea


# --- votes ------------------------------------------------------------------------------------


def _votable(access: Access, idea: Idea) -> Idea:
    _require_write(access)
    idea = _locked(idea)
    if idea.status != IdeaStatus.OPEN:
        raise ValidationError(
            _("Votes are closed: this idea already became an objective.")
            if idea.status == IdeaStatus.PROMOTED
            else _("Votes are closed: this idea is archived.")
        )
    return idea


def _recount(idea: Idea, access: Access, verb: str) -> Idea:
    # Counted again rather than incremented: the stored count can never drift from the rows.
    idea.vote_count = IdeaVote.objects.filter(idea=idea).count()
    idea.save(update_fields=["vote_count"])
    audit_record(
        organization=idea.organization,
        actor=access.membership.user,
        verb=verb,
        obj=idea,
        changes={"votes": idea.vote_count},
    )
    return idea


@transaction.atomic
def vote_add(*, access: Access, idea: Idea) -> Idea:
    """Upvote an idea. One vote per person: a second one is refused."""
    idea = _votable(access, idea)
    user = access.membership.user
    if IdeaVote.objects.filter(idea=idea, user=user).exists():
        raise ValidationError(_("You already voted for this idea."), code="duplicate")
    try:
        with transaction.atomic():
            IdeaVote.objects.create(organization=idea.organization, idea=idea, user=user)
    except IntegrityError:  # pragma: no cover - the row lock above makes this a last resort
        raise ValidationError(_("You already voted for this idea."), code="duplicate") from None
    return _recount(idea, access, "idea.voted")


@transaction.atomic
def vote_remove(*, access: Access, idea: Idea) -> Idea:
    """Take one's vote back."""
    idea = _votable(access, idea)
    deleted, _rows = IdeaVote.objects.filter(idea=idea, user=access.membership.user).delete()
    if not deleted:
        raise ValidationError(_("You have not voted for this idea."), code="no_vote")
    return _recount(idea, access, "idea.unvoted")


@transaction.atomic
def vote_toggle(*, access: Access, idea: Idea) -> tuple[Idea, bool]:
    """Vote for the idea, or take the vote back when there is one. Returns the idea with its
    new count and whether the person now votes for it."""
    idea = _votable(access, idea)
    if IdeaVote.objects.filter(idea=idea, user=access.membership.user).exists():
        return vote_remove(access=access, idea=idea), False
    return vote_add(access=access, idea=idea), True


# --- comments ---------------------------------------------------------------------------------


def _body(body: Any) -> str:
    errors = Errors()
    text = _text(errors, "body", body, required=True, limit=BODY_MAX)
    errors.raise_if_any()
    return text


@transaction.atomic
def comment_add(*, access: Access, idea: Idea, body: str) -> IdeaComment:
    _require_write(access)
    idea = _locked(idea)  # its status as it is now, not as the page showed it
    if not can_comment(access, idea):
        raise ValidationError(_("This idea is archived: it takes no more comments."))
    text = _body(body)
    comment = IdeaComment.objects.create(
        organization=idea.organization, idea=idea, author=access.membership.user, body=text
    )
    audit_record(
        organization=idea.organization,
        actor=access.membership.user,
        verb="idea.comment_added",
        obj=comment,
        changes={"idea": idea.code, "body": text[:200]},
    )
    return comment


@transaction.atomic
def comment_edit(*, access: Access, comment: IdeaComment, body: str) -> IdeaComment:
    if not can_edit_comment(access, comment):
        raise PermissionDenied(_("Only the author of a comment may change it."))
    text = _body(body)
    if text == comment.body:
        return comment
    before = comment.body
    comment.body = text
    comment.edited_at = timezone.now()
    comment.save(update_fields=["body", "edited_at"])
    audit_record(
        organization=comment.organization,
        actor=access.membership.user,
        verb="idea.comment_edited",
        obj=comment,
        changes={"idea": comment.idea.code, "body": [before[:200], text[:200]]},
    )
    return comment


@transaction.atomic
def comment_delete(*, access: Access, comment: IdeaComment) -> None:
    if not can_delete_comment(access, comment):
        raise PermissionDenied(_("Only the author of a comment or an admin may delete it."))
    audit_record(
        organization=comment.organization,
        actor=access.membership.user,
        verb="idea.comment_deleted",
        obj=comment,
        changes={"idea": comment.idea.code, "body": comment.body[:200]},
    )
    comment.delete()


# --- promote ----------------------------------------------------------------------------------


def _description(idea: Idea) -> str:
    """The objective's description: the idea in full, its details, and where it came from."""
    source = _(
        "This objective came from the ideas board, as an answer to “%(question)s” "
        "(suggested by %(author)s, %(votes)d votes)."
    ) % {
        "question": QuestionChoice(idea.question).label,
        "author": idea.author.display_name if idea.author else _("a former member"),
        "votes": idea.vote_count,
    }
    parts = [idea.text, idea.details, source]
    text = "\n\n".join(part for part in parts if part)
    if len(text) > OBJECTIVE_TEXT_MAX:  # only possible with very long names; keep the source
        room = OBJECTIVE_TEXT_MAX - len(source) - 3
        text = text[:room].rstrip() + "…\n\n" + source
    return text


@transaction.atomic
def idea_promote(
    *, access: Access, idea: Idea, unit: Unit | None, cycle: Cycle | None
) -> Objective:
    """Turn an idea into a draft objective of `unit` for `cycle`, led by the person promoting
    it. The idea's text becomes the title (shortened to a good title length) and, in full, the
    description; the idea is marked promoted and linked to the objective."""
    organization = access.membership.organization
    _require_write(access)
    if (
        unit is not None
        and unit.organization_id == organization.id
        and not access.can_create_in_unit(unit.id, unit.kind)
    ):
        raise PermissionDenied(
            _("You may not create objectives for %(unit)s.") % {"unit": unit.name}
        )
    idea = _locked(idea)
    errors = Errors()
    if idea.status == IdeaStatus.ARCHIVED:
        errors.add("__all__", _("This idea is archived. Reopen it before making it an objective."))
    elif idea.status == IdeaStatus.PROMOTED and idea.promoted_to_id is not None:
        errors.add("__all__", _("This idea already became an objective."))
    if unit is None:
        errors.add("unit", _("Choose the unit the objective is for."))
    elif unit.organization_id != organization.id:
        errors.add("unit", _("That unit belongs to another organization."))
    if cycle is None:
        errors.add("cycle", _("Choose the cycle the objective is for."))
    elif cycle.organization_id != organization.id:
        errors.add("cycle", _("That cycle belongs to another organization."))
    elif cycle.state == CycleState.CLOSED:
        errors.add(
            "cycle",
            _("The cycle “%(name)s” is closed: objectives go into a cycle still to come.")
            % {"name": cycle.name},
        )
    errors.raise_if_any()
    assert unit is not None and cycle is not None
    by = access.membership.user
    objective = objective_create(
        organization=organization,
        cycle=cycle,
        unit=unit,
        title=title_from(idea.text) or _("An idea from the board"),
        description=_description(idea),
        lead=by,
        state=ObjectiveState.DRAFT,
        by=by,
    )
    idea.status = IdeaStatus.PROMOTED
    idea.promoted_to = objective
    idea.version += 1
    idea.save(update_fields=["status", "promoted_to", "version", "updated_at"])
    audit_record(
        organization=organization,
        actor=by,
        verb="idea.promoted",
        obj=idea,
        objective_code=objective.code,
        changes={
            "objective": objective.code,
            "unit": unit,
            "cycle": cycle.name,
            "votes": idea.vote_count,
        },
    )
    return objective
