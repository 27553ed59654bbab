"""The review pages: the reviews of a cycle, one review's workspace (scores, questions,
learnings, report, summary, submit), and its printable report as HTML and PDF.

Parse → authorize → call a service → render. Writes are POST only; whoever may not make them
gets 403, htmx or not. A refused htmx score edit answers 200 with the messages inside the
swapped row (htmx does not swap 4xx answers); a refused plain form post answers 400 with the
whole page. The workspace runs the same number of queries however many key results it has.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from tenfold.lib.validation import error_dict
from tenfold.okrs.selectors import get_cycle
from tenfold.organizations.models import Organization
from tenfold.organizations.permissions import Access
from tenfold.web.shortcuts import org_access, render

from .models import Review, ReviewScore
from .pdf import PdfUnavailable, html_to_pdf
from .questions import grouped, questions_for
from .selectors import (
    ObjectiveBlock,
    band_label,
    find_score,
    get_review,
    may_lead,
    may_write,
    pending_count,
    review_scores,
    review_title,
    reviews_of_cycle,
    score_note,
    unit_reviews,
)
from .services import review_submit, review_update, reviews_open, score_adjust

LIST_PAGE = "reviews/list.html"
PAGE = "reviews/review.html"
REPORT = "reviews/report.html"
TEXT_FIELDS = ("summary", "report", "learn_stop", "learn_start", "learn_continue")


def _problems(error: ValidationError) -> dict[str, list[str]]:
    """A service's messages by field; those about no field under "general" (templates cannot
    read "__all__")."""
    problems = error_dict(error)
    if "__all__" in problems:
        problems["general"] = problems.pop("__all__")
    return problems


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _review_url(org: Organization, review: Review, anchor: str = "") -> str:
    url = reverse("review", kwargs={"org": org.slug, "code": review.code})
    return f"{url}#{anchor}" if anchor else url


# --- the reviews of a cycle -------------------------------------------------------------------


def cycle_reviews(request: HttpRequest, org: str, code: str) -> HttpResponse:
    """GET: the cycle's reviews and their states. POST (admins): open the reviews that are
    missing, for a cycle that is being reviewed or is closed."""
    organization, access = org_access(request, org)
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    cycle = get_cycle(organization, code)
    cycle.organization = organization
    errors: list[str] = []
    if request.method == "POST":
        if not (access.is_admin and access.can_write):
            raise PermissionDenied
        try:
            created = reviews_open(cycle=cycle, by=request.user)
        except ValidationError as error:
            errors = [m for ms in error_dict(error).values() for m in ms]
        else:
            messages.success(
                request,
                _("Opened %(count)d reviews.") % {"count": len(created)}
                if created
                else _("Every review of this cycle was already open."),
            )
            return redirect("reviews", org=organization.slug, code=cycle.code)
    reviews = reviews_of_cycle(organization, cycle)
    context = {
        "org": organization,
        "access": access,
        "nav": "company",
        "cycle": cycle,
        "reviews": [(review, review_title(review)) for review in reviews],
        "can_open": access.is_admin and access.can_write,
        "errors": errors,
    }
    return render(request, LIST_PAGE, context, status=400 if errors else 200)


# --- one review -------------------------------------------------------------------------------


def _decorate(blocks: list[ObjectiveBlock]) -> None:
    """Attach the words for each score's band and the method's question, so the templates
    only read attributes."""
    for block in blocks:
        for score in ([block.score] if block.score else []) + block.key_results:
            score.band = band_label(score.colour)  # type: ignore[attr-defined]
            score.note = score_note(score)  # type: ignore[attr-defined]


def _questions(review: Review, posted: Any = None) -> list[tuple[Any, list[tuple[Any, str]]]]:
    answers = review.answers or {}
    result = []
    for group, questions in grouped(questions_for(company=review.is_company)):
        rows = []
        for question in questions:
            text = answers.get(question.id, "")
            if posted is not None:
                text = posted.get(f"answer-{question.id}", text)
            rows.append((question, text))
        result.append((group, rows))
    return result


def _context(
    request: HttpRequest, org: Organization, access: Access, review: Review, **extra: Any
) -> dict[str, Any]:
    blocks = review_scores(access, review)
    _decorate(blocks)
    context: dict[str, Any] = {
        "org": org,
        "access": access,
        "nav": "company",
        "review": review,
        "cycle": review.cycle,
        "title": review_title(review),
        "blocks": blocks,
        "questions": _questions(review, extra.pop("posted", None)),
        "texts": {name: getattr(review, name) for name in TEXT_FIELDS},
        "can_write": not review.is_submitted and may_write(access, review),
        "can_lead": not review.is_submitted and may_lead(access, review),
        "editing": "",
        "errors": {},
        "score_errors": {},
    }
    if review.is_company:
        units = unit_reviews(review)
        context["unit_reviews"] = units
        context["pending"] = pending_count(units)
    context.update(extra)
    return context


def _find_block_score(blocks: list[ObjectiveBlock], target: str) -> ReviewScore | None:
    for block in blocks:
        for score in ([block.score] if block.score else []) + block.key_results:
            if score.target_code == target:
                return score
    return None


def _score_row(
    request: HttpRequest, context: dict[str, Any], target: str, *, status: int = 200
) -> HttpResponse:
    score = _find_block_score(context["blocks"], target)
    if score is None:
        from django.http import Http404

        raise Http404
    context["score"] = score
    return render(request, PAGE, context, partial="score_row", status=status)


def review_detail(request: HttpRequest, org: str, code: str) -> HttpResponse:
    """GET: the review workspace (`?edit=CODE` opens the score editor of that objective or key
    result; htmx gets the row alone). POST: `action` is "score", "save" or "submit"."""
    organization, access = org_access(request, org)
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    review = get_review(organization, code)
    if request.method == "POST":
        return _post(request, organization, access, review)
    editing = request.GET.get("edit", "") if may_lead(access, review) else ""
    context = _context(request, organization, access, review, editing=editing)
    if _is_htmx(request) and editing:
        return _score_row(request, context, editing)
    if _is_htmx(request) and request.GET.get("row"):
        return _score_row(request, context, request.GET["row"])
    return render(request, PAGE, context)


def _post(
    request: HttpRequest, organization: Organization, access: Access, review: Review
) -> HttpResponse:
    if not may_write(access, review):
        raise PermissionDenied
    action = request.POST.get("action", "")
    if action == "score":
        return _post_score(request, organization, access, review)
    if action == "submit":
        if not may_lead(access, review):
            raise PermissionDenied
        try:
            review_submit(access=access, review=review)
        except ValidationError as error:
            context = _context(request, organization, access, review, errors=_problems(error))
            return render(request, PAGE, context, status=400)
        messages.success(request, _("Review submitted. Thank you for looking back together."))
        return redirect(_review_url(organization, review))
    if action == "save":
        texts = {name: request.POST.get(name) for name in TEXT_FIELDS if name in request.POST}
        answers = {
            q.id: request.POST[f"answer-{q.id}"]
            for q in questions_for(company=review.is_company)
            if f"answer-{q.id}" in request.POST
        }
        try:
            review_update(access=access, review=review, answers=answers, **texts)
        except ValidationError as error:
            shown = {
                name: getattr(review, name) if texts.get(name) is None else texts[name]
                for name in TEXT_FIELDS
            }
            context = _context(
                request,
                organization,
                access,
                review,
                errors=_problems(error),
                posted=request.POST,
                texts=shown,
            )
            return render(request, PAGE, context, status=400)
        messages.success(request, _("Review saved."))
        return redirect(_review_url(organization, review, "answers"))
    context = _context(
        request,
        organization,
        access,
        review,
        errors={"general": [_("Choose what to do: save, score or submit.")]},
    )
    return render(request, PAGE, context, status=400)


def _post_score(
    request: HttpRequest, organization: Organization, access: Access, review: Review
) -> HttpResponse:
    if not may_lead(access, review):
        raise PermissionDenied
    target = request.POST.get("target", "")
    score = find_score(review, target)
    try:
        score_adjust(
            access=access,
            score=score,
            value=request.POST.get("score"),
            reason=request.POST.get("reason"),
        )
    except ValidationError as error:
        problems = _problems(error)
        context = _context(
            request,
            organization,
            access,
            review,
            editing=target,
            score_errors=problems,
            posted_score=request.POST.get("score", ""),
            posted_reason=request.POST.get("reason", ""),
        )
        if _is_htmx(request):
            return _score_row(request, context, target)
        return render(request, PAGE, context, status=400)
    if _is_htmx(request):
        context = _context(request, organization, access, review, saved=target)
        return _score_row(request, context, target)
    return redirect(_review_url(organization, review, f"score-{target}"))


# --- the report -------------------------------------------------------------------------------


@functools.cache
def _report_css() -> str:
    """The report's styles, inlined so the PDF renderer fetches nothing."""
    found = finders.find("tenfold/reviews.css")
    path = found[0] if isinstance(found, list) else found
    return Path(path).read_text(encoding="utf-8") if path else ""


def _report_html(request: HttpRequest, org: str, code: str, *, pdf: bool) -> tuple[str, Review]:
    organization, access = org_access(request, org)
    review = get_review(organization, code)
    context = _context(request, organization, access, review, css=_report_css(), pdf=pdf)
    context["answered"] = [
        (group, [(q, text) for q, text in rows if text]) for group, rows in context["questions"]
    ]
    context["answered"] = [(group, rows) for group, rows in context["answered"] if rows]
    return render_to_string(REPORT, context, request=request), review


@require_safe
def review_report(request: HttpRequest, org: str, code: str) -> HttpResponse:
    """The review as one printable page."""
    html, _review = _report_html(request, org, code, pdf=False)
    return HttpResponse(html)


@require_safe
def review_pdf(request: HttpRequest, org: str, code: str) -> HttpResponse:
    """The printable report rendered to PDF."""
    html, review = _report_html(request, org, code, pdf=True)
    try:
        document = html_to_pdf(html)
    except PdfUnavailable:
        return HttpResponse(
            _(
                "PDF reports are not available on this server: WeasyPrint or the Pango "
                "libraries it needs are not installed. The printable page still works."
            ),
            status=503,
            content_type="text/plain; charset=utf-8",
        )
    name = "-".join(
        part for part in ("review", review.cycle.name, review_title(review)) if part
    ).replace(" ", "-")
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{_safe_filename(name)}.pdf"'
    return response


def _safe_filename(name: str) -> str:
    return "".join(c if c.isascii() and (c.isalnum() or c in "-_.") else "_" for c in name)
