"""Presentation mode: the company dashboard and a cycle's reviews as slides, for a meeting.

The same reads as the normal pages (`company_dashboard`, `reviews_of_cycle`, the review
scores), behind the same scoped fetch: every member of the organization may open them, what
each viewer sees inside follows their access, and other organizations get 404. Only the
drawing differs; the slides are plain sections that `present.js` shows one at a time."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from tenfold.lib.progress import weighted_mean
from tenfold.okrs.dashboards import QUIET_DAYS, company_dashboard
from tenfold.okrs.selectors import get_cycle
from tenfold.organizations.selectors import unit_tree
from tenfold.reviews.models import Review
from tenfold.reviews.selectors import (
    ObjectiveBlock,
    band_label,
    review_title,
    reviews_of_cycle,
    reviews_scores,
)

from ..shortcuts import org_access, render
from .dashboards import _chosen_cycle

BEHIND_SLIDE = 8
"""Key results on the "behind" slide: what a room can read from the back."""


@require_safe
def dashboard(request: HttpRequest, org: str) -> HttpResponse:
    organization, access = org_access(request, org)
    cycle = _chosen_cycle(request, organization)
    exit_url = reverse("dashboard", kwargs={"org": organization.slug})
    if request.GET.get("cycle") and cycle is not None:
        exit_url += "?" + urlencode({"cycle": cycle.code})
    context: dict[str, Any] = {
        "org": organization,
        "access": access,
        "cycle": cycle,
        "dash": None,
        "exit_url": exit_url,
        "quiet_days": QUIET_DAYS,
    }
    if cycle is not None:
        units = unit_tree(organization)
        dash = company_dashboard(access, organization, cycle, units)
        progress = [objective.progress for objective in dash.company_objectives]
        context.update(
            dash=dash,
            behind=dash.behind[:BEHIND_SLIDE],
            has_teams=any(unit.parent_id is not None for unit, _depth in units),
            # As on the company page: the plain mean of the company objectives' progress.
            company_progress=(
                weighted_mean((value, Decimal(1)) for value in progress) if progress else None
            ),
        )
    return render(request, "web/present_dashboard.html", context)


@dataclass
class ReviewSlide:
    review: Review
    title: str
    blocks: list[ObjectiveBlock]
    stop: list[str]
    start: list[str]
    keep: list[str]
    """The "continue" learnings (a Python keyword)."""

    @property
    def has_learnings(self) -> bool:
        return bool(self.stop or self.start or self.keep)


def _lines(text: str) -> list[str]:
    """Learnings are written one per line; each line is a point on the slide."""
    return [line.strip() for line in text.splitlines() if line.strip()]


@require_safe
def reviews(request: HttpRequest, org: str, code: str) -> HttpResponse:
    organization, access = org_access(request, org)
    cycle = get_cycle(organization, code)
    cycle.organization = organization
    found = reviews_of_cycle(organization, cycle)
    scores = reviews_scores(access, found)
    slides = []
    for review in found:
        blocks = scores[review.id]
        for block in blocks:
            for score in ([block.score] if block.score else []) + block.key_results:
                score.band = band_label(score.colour)  # type: ignore[attr-defined]
        slides.append(
            ReviewSlide(
                review=review,
                title=review_title(review),
                blocks=blocks,
                stop=_lines(review.learn_stop),
                start=_lines(review.learn_start),
                keep=_lines(review.learn_continue),
            )
        )
    company = next((slide for slide in slides if slide.review.is_company), None)
    context: dict[str, Any] = {
        "org": organization,
        "access": access,
        "cycle": cycle,
        "unit_slides": [slide for slide in slides if not slide.review.is_company],
        # The company's own review closes the deck, when it has something to show.
        "company_slide": company if company and (company.blocks or company.has_learnings) else None,
        "submitted": sum(1 for review in found if review.is_submitted),
        "review_count": len(found),
        "exit_url": reverse("reviews", kwargs={"org": organization.slug, "code": cycle.code}),
    }
    return render(request, "web/present_reviews.html", context)
