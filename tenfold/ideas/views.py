"""Pages of the ideas board: the board with its four questions, one idea with its comments,
and the writes (add, vote, comment, edit, archive, reopen, promote).

Parse → authorize → call a service → render, like the other pages. Writes are POST only and
refuse with 403 whoever may not make them, htmx or not. A refused htmx write answers 200 with
the messages inside the swapped fragment (htmx does not swap 4xx answers); the same refusal as
a plain form post answers 400 with the whole page, and a successful plain post is redirected.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from tenfold.lib.validation import error_dict
from tenfold.okrs.models import Cycle
from tenfold.okrs.selectors import cycles_of
from tenfold.organizations.models import Organization, Unit
from tenfold.organizations.permissions import Access
from tenfold.organizations.selectors import unit_tree
from tenfold.web.shortcuts import apply_errors, org_access, render

from . import services
from .forms import NO_CYCLE, CommentForm, IdeaForm, PromoteForm
from .models import BODY_MAX, Idea, IdeaComment, IdeaStatus, Question
from .selectors import (
    Filters,
    can_comment,
    can_contribute,
    can_delete_comment,
    can_edit_comment,
    can_manage,
    can_vote,
    comments_of,
    default_cycle,
    filters_from,
    get_comment,
    get_idea,
    ideas_for,
    open_cycles,
    promotable_units,
    section_for,
    sections,
    visible_objective,
)

BOARD = "ideas/board.html"
DETAIL = "ideas/idea.html"
VOTE = "ideas/_vote.html"


def _htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _board_url(organization: Organization, filters: Filters | None = None) -> str:
    from urllib.parse import urlencode

    url = reverse("ideas", kwargs={"org": organization.slug})
    query = urlencode(filters.query()) if filters is not None else ""
    return f"{url}?{query}" if query else url


def _idea_url(organization: Organization, idea: Idea) -> str:
    return reverse("idea", kwargs={"org": organization.slug, "code": idea.code})


def _next(request: HttpRequest, fallback: str) -> str:
    """Where a plain form post returns to: its `next` field when it stays on this site."""
    wanted = request.POST.get("next", "")
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return fallback


# --- the board --------------------------------------------------------------------------------


def _units(organization: Organization) -> list[Unit]:
    """The units an idea may be for, in tree order. The company itself is left out: an idea
    for the whole organization has no unit."""
    return [unit for unit, _depth in unit_tree(organization) if unit.parent_id is not None]


def _idea_form(
    organization: Organization,
    units: list[Unit],
    cycles: list[Cycle],
    question: str,
    *,
    data: Any = None,
    initial_cycle: Cycle | None = None,
    initial_unit: Unit | None = None,
) -> IdeaForm:
    return IdeaForm(
        data,
        initial={
            "question": question,
            "cycle": initial_cycle.code if initial_cycle else NO_CYCLE,
            "unit": initial_unit.code if initial_unit else "",
        },
        units=units,
        cycles=cycles,
        whole=_("Whole organization"),
        auto_id=f"idea-{question}-%s",
    )


def _board_context(
    request: HttpRequest,
    organization: Organization,
    access: Access,
    *,
    only: str = "",
    forms: dict[str, IdeaForm] | None = None,
) -> dict[str, Any]:
    """Everything the board shows, in a fixed number of queries however many ideas, votes
    and comments there are. With `only`, just that question's section (for htmx)."""
    units = _units(organization)
    every_cycle = cycles_of(organization)
    filters = filters_from(organization, request.GET, units=units, cycles=every_cycle)
    cycles = open_cycles(organization, every_cycle)
    chosen = default_cycle(organization)
    if only:
        shown = [section_for(access, filters, only)]
    else:
        listed = ideas_for(access, filters)
        shown = sections(listed, only=filters.question)
    for section in shown:
        form = (forms or {}).get(section.question)
        section.form = form or _idea_form(
            organization,
            units,
            cycles,
            section.question,
            initial_cycle=filters.cycle if filters.cycle in cycles else chosen,
            initial_unit=filters.unit,
        )
    context: dict[str, Any] = {
        "org": organization,
        "access": access,
        "nav": "ideas",
        "filters": filters,
        "sections": shown,
        "units": units,
        "cycles": every_cycle,
        "questions": Question.choices,
        "default_cycle": chosen,
        "can_contribute": can_contribute(access) and filters.status == IdeaStatus.OPEN,
        "query": _query_string(filters),
        "back": _board_url(organization, filters),
    }
    if only:
        context["section"] = shown[0]  # what the "section" partial renders on its own
    else:
        totals = dict(
            Idea.objects.filter(organization=organization)
            .values_list("status")
            .annotate(n=Count("id"))
            .values_list("status", "n")
        )
        board_url = _board_url(organization)
        context["tabs"] = [
            (
                status,
                label,
                totals.get(status, 0),
                board_url + _query_string(filters, status=status),
            )
            for status, label in IdeaStatus.choices
        ]
        context["sorts"] = [
            (key, label, board_url + _query_string(filters, sort=key))
            for key, label in (("votes", _("Most votes")), ("new", _("Newest")))
        ]
    return context


def _query_string(filters: Filters, **changes: Any) -> str:
    from urllib.parse import urlencode

    query = urlencode(filters.query(**changes))
    return f"?{query}" if query else ""


@require_safe
def board(request: HttpRequest, org: str) -> HttpResponse:
    organization, access = org_access(request, org)
    return render(request, BOARD, _board_context(request, organization, access))


@require_POST
def idea_add(request: HttpRequest, org: str) -> HttpResponse:
    """Add an idea. htmx gets its question's section back, with the new idea in the list and
    an empty form ready for the next one."""
    organization, access = org_access(request, org)
    if not can_contribute(access):
        raise PermissionDenied(_("Viewers can read the ideas board but not add to it."))
    units = _units(organization)
    cycles = open_cycles(organization)
    question = request.POST.get("question", "")
    known = question in Question.values
    form = _idea_form(organization, units, cycles, question or Question.CHANGE, data=request.POST)
    added: Idea | None = None
    if form.is_valid():
        raw_cycle = form.cleaned_data["cycle"]
        try:
            added = services.idea_add(
                access=access,
                question=question,
                text=form.cleaned_data["text"],
                details=form.cleaned_data["details"],
                unit=form.chosen_unit(),
                cycle=services.DEFAULT if not raw_cycle else form.chosen_cycle(),
            )
        except ValidationError as error:
            apply_errors(form, error)
    if added is not None and not _htmx(request):
        messages.success(request, _("Idea added. Others can now comment on it and vote."))
        return redirect(_board_url(organization) + f"#idea-{added.code}")
    if _htmx(request) and known:
        if added is not None:  # a fresh form, the cursor back in it for the next idea
            form = _idea_form(
                organization,
                units,
                cycles,
                question,
                initial_cycle=added.cycle,
                initial_unit=added.unit,
            )
        form.fields["text"].widget.attrs["autofocus"] = True
        context = _board_context(
            request, organization, access, only=question, forms={question: form}
        )
        context["added"] = added
        return render(request, BOARD, context, partial="section")
    forms = {question: form} if known else {}
    context = _board_context(request, organization, access, forms=forms)
    if not known:
        context["add_errors"] = [_("Choose which of the four questions this idea answers.")]
    return render(request, BOARD, context, status=400)


@require_POST
def idea_vote(request: HttpRequest, org: str, code: str) -> HttpResponse:
    """Vote for an idea, or take the vote back. htmx gets the vote button with the new count."""
    organization, access = org_access(request, org)
    idea = get_idea(access, code)
    if not can_contribute(access):
        raise PermissionDenied(_("Viewers can see the votes but not vote."))
    errors: list[str] = []
    try:
        updated, voted = services.vote_toggle(access=access, idea=idea)
    except ValidationError as error:
        errors = error.messages
    else:
        idea.vote_count, idea.voted = updated.vote_count, voted  # type: ignore[attr-defined]
    back = _next(request, _idea_url(organization, idea))
    if not _htmx(request):
        if errors:
            messages.error(request, " ".join(errors))
        return redirect(back)
    context = {
        "org": organization,
        "idea": idea,
        "can_vote": can_vote(access, idea),
        "back": back,
        "vote_errors": errors,
    }
    return render(request, VOTE, context)


# --- one idea ---------------------------------------------------------------------------------


def _detail_context(
    request: HttpRequest,
    organization: Organization,
    access: Access,
    idea: Idea,
    **extra: Any,
) -> dict[str, Any]:
    """Everything the idea's page shows, in a fixed number of queries."""
    units = promotable_units(access, organization)
    cycles = open_cycles(organization)
    may_promote = bool(units) and idea.status == IdeaStatus.OPEN
    context: dict[str, Any] = {
        "org": organization,
        "access": access,
        "nav": "ideas",
        "idea": idea,
        "comments": comments_of(access, idea),
        "objective": visible_objective(access, idea),
        "can_manage": can_manage(access, idea),
        "can_vote": can_vote(access, idea),
        "can_comment": can_comment(access, idea),
        "may_promote": may_promote,
        "comment_form": CommentForm(auto_id="idea-comment-%s"),
        "body_max": BODY_MAX,
        "back": _idea_url(organization, idea),
    }
    if may_promote:
        chosen_cycle = idea.cycle if idea.cycle in cycles else default_cycle(organization)
        chosen_unit = idea.unit if idea.unit in units else units[0]
        context["promote_form"] = PromoteForm(
            initial={
                "unit": chosen_unit.code,
                "cycle": chosen_cycle.code if chosen_cycle else None,
            },
            units=units,
            cycles=cycles,
            auto_id="idea-promote-%s",
        )
    context.update(extra)
    return context


@require_safe
def idea_detail(request: HttpRequest, org: str, code: str) -> HttpResponse:
    organization, access = org_access(request, org)
    idea = get_idea(access, code)
    # htmx asks for the comments alone (the "Cancel" of a comment being edited).
    context = _detail_context(request, organization, access, idea)
    return render(request, DETAIL, context, partial="comments")


@require_POST
def idea_comment_add(request: HttpRequest, org: str, code: str) -> HttpResponse:
    """Comment on an idea; htmx gets the refreshed comments."""
    organization, access = org_access(request, org)
    idea = get_idea(access, code)
    if not can_contribute(access):
        raise PermissionDenied(_("Viewers can read the comments but not add their own."))
    form = CommentForm(request.POST, auto_id="idea-comment-%s")
    comment: IdeaComment | None = None
    if form.is_valid():
        try:
            comment = services.comment_add(access=access, idea=idea, body=form.cleaned_data["body"])
        except ValidationError as error:
            apply_errors(form, error)
    if comment is not None and not _htmx(request):
        return redirect(_idea_url(organization, idea) + f"#comment-{comment.code}")
    if comment is not None:
        form = CommentForm(auto_id="idea-comment-%s")
    context = _detail_context(request, organization, access, idea, comment_form=form)
    status = 400 if comment is None and not _htmx(request) else 200
    return render(request, DETAIL, context, partial="comments", status=status)


def _own_comment(access: Access, code: str, *, delete: bool = False) -> IdeaComment:
    comment = get_comment(access, code)
    if delete and not can_delete_comment(access, comment):
        raise PermissionDenied(_("Only the author of a comment or an admin may delete it."))
    if not delete and not can_edit_comment(access, comment):
        raise PermissionDenied(_("Only the author of a comment may change it."))
    return comment


@require_http_methods(["GET", "HEAD", "POST"])
def idea_comment_edit(request: HttpRequest, org: str, code: str) -> HttpResponse:
    """The form to change a comment (GET) and the change (POST); htmx swaps the one comment."""
    organization, access = org_access(request, org)
    comment = _own_comment(access, code)
    idea = comment.idea
    errors: list[str] = []
    body = comment.body
    if request.method == "POST":
        body = request.POST.get("body", "")
        try:
            services.comment_edit(access=access, comment=comment, body=body)
        except ValidationError as error:
            errors = error.messages
        else:
            if not _htmx(request):
                return redirect(_idea_url(organization, idea) + f"#comment-{comment.code}")
            comment.may_edit = True  # type: ignore[attr-defined]
            comment.may_delete = True  # type: ignore[attr-defined]
            context = {"org": organization, "access": access, "idea": idea, "comment": comment}
            return render(request, f"{DETAIL}#comment", context)
    context = {
        "org": organization,
        "access": access,
        "nav": "ideas",
        "idea": idea,
        "comment": comment,
        "body": body,
        "body_max": BODY_MAX,
        "errors": errors,
        "idea_url": _idea_url(organization, idea),
    }
    status = 400 if errors and not _htmx(request) else 200
    return render(request, "ideas/comment_edit.html", context, partial="edit_form", status=status)


@require_POST
def idea_comment_delete(request: HttpRequest, org: str, code: str) -> HttpResponse:
    """Delete a comment; htmx gets the refreshed comments."""
    organization, access = org_access(request, org)
    comment = _own_comment(access, code, delete=True)
    services.comment_delete(access=access, comment=comment)
    idea = get_idea(access, comment.idea.code)
    if not _htmx(request):
        messages.success(request, _("Comment deleted."))
        return redirect(_idea_url(organization, idea) + "#comments")
    context = _detail_context(request, organization, access, idea)
    return render(request, DETAIL, context, partial="comments")


def _edit_form(organization: Organization, idea: Idea, data: Any = None) -> IdeaForm:
    form = IdeaForm(
        data,
        initial={
            "question": idea.question,
            "text": idea.text,
            "details": idea.details,
            "unit": idea.unit.code if idea.unit else "",
            "cycle": idea.cycle.code if idea.cycle else NO_CYCLE,
            "version": idea.version,
        },
        units=_units(organization),
        cycles=open_cycles(organization),
        whole=_("Whole organization"),
        auto_id="idea-edit-%s",
    )
    form.add_cycle(idea.cycle)
    return form


@require_http_methods(["GET", "HEAD", "POST"])
def idea_edit(request: HttpRequest, org: str, code: str) -> HttpResponse:
    organization, access = org_access(request, org)
    idea = get_idea(access, code)
    if not can_manage(access, idea):
        raise PermissionDenied(_("Only the author of an idea or an admin may change it."))
    form = _edit_form(organization, idea, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.idea_update(
                access=access,
                idea=idea,
                expected_version=data["version"],
                question=data["question"],
                text=data["text"],
                details=data["details"],
                unit=form.chosen_unit(),
                cycle=form.chosen_cycle(),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Idea saved."))
            return redirect(_idea_url(organization, idea))
    context = {
        "org": organization,
        "access": access,
        "nav": "ideas",
        "idea": idea,
        "form": form,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "ideas/edit.html", context, status=status)


@require_POST
def idea_archive(request: HttpRequest, org: str, code: str) -> HttpResponse:
    organization, access = org_access(request, org)
    idea = get_idea(access, code)
    if not can_manage(access, idea):
        raise PermissionDenied(_("Only the author of an idea or an admin may archive it."))
    services.idea_archive(access=access, idea=idea)
    messages.success(request, _("Idea archived. You find it under “Archived” on the board."))
    return redirect(_idea_url(organization, idea))


@require_POST
def idea_reopen(request: HttpRequest, org: str, code: str) -> HttpResponse:
    organization, access = org_access(request, org)
    idea = get_idea(access, code)
    if not can_manage(access, idea):
        raise PermissionDenied(_("Only the author of an idea or an admin may reopen it."))
    services.idea_reopen(access=access, idea=idea)
    messages.success(request, _("Idea back on the board."))
    return redirect(_idea_url(organization, idea))


@require_POST
def idea_promote(request: HttpRequest, org: str, code: str) -> HttpResponse:
    """Turn the idea into a draft objective and open the objective's edit page."""
    organization, access = org_access(request, org)
    idea = get_idea(access, code)
    units = promotable_units(access, organization)
    if not units:
        raise PermissionDenied(_("You may not create objectives, so you cannot promote ideas."))
    wanted = request.POST.get("unit", "").strip()
    if (
        wanted
        and wanted not in {u.code for u in units}
        and Unit.objects.filter(organization=organization, code=wanted).exists()
    ):
        raise PermissionDenied(_("You may not create objectives for that unit."))
    form = PromoteForm(
        request.POST, units=units, cycles=open_cycles(organization), auto_id="idea-promote-%s"
    )
    if form.is_valid():
        try:
            objective = services.idea_promote(
                access=access,
                idea=idea,
                unit=form.unit_map.get(form.cleaned_data["unit"]),
                cycle=form.cycle_map.get(form.cleaned_data["cycle"]),
            )
        except ValidationError as error:
            for field, problems in error_dict(error).items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        else:
            messages.success(
                request,
                _("Draft objective written from the idea. Make it yours, then propose it."),
            )
            return redirect(
                reverse("objective_edit", kwargs={"org": organization.slug, "code": objective.code})
            )
    context = _detail_context(request, organization, access, idea, promote_form=form)
    context["may_promote"] = True  # show the form with its messages, even on a closed idea
    return render(request, DETAIL, context, status=400)
