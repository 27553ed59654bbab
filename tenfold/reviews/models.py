from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tenfold.lib.codes import new_code
from tenfold.lib.progress import Colour, score_colour
from tenfold.okrs.models import Cycle, KeyResult, Objective, ObjectiveType
from tenfold.organizations.models import Organization, Unit

SUMMARY_MAX = 1500
REPORT_MAX = 20000
ANSWER_MAX = 5000
LEARNING_MAX = 3000
REASON_MAX = 500


class ReviewState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class Review(models.Model):
    """The end-of-cycle review of one unit, or (with no unit) of the whole company."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    code = models.CharField(max_length=12, unique=True, default=new_code, editable=False)
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="reviews")
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="reviews"
    )
    state = models.CharField(
        _("state"), max_length=10, choices=ReviewState, default=ReviewState.DRAFT
    )
    summary = models.TextField(_("summary for the company"), max_length=SUMMARY_MAX, blank=True)
    report = models.TextField(_("report"), max_length=REPORT_MAX, blank=True)
    learn_stop = models.TextField(_("stop"), max_length=LEARNING_MAX, blank=True)
    learn_start = models.TextField(_("start"), max_length=LEARNING_MAX, blank=True)
    learn_continue = models.TextField(_("continue"), max_length=LEARNING_MAX, blank=True)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("cycle", "unit__order", "unit__name", "id")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "unit"], name="review_once_per_unit"),
            # NULLs are distinct in a unique index, so the company review needs its own.
            models.UniqueConstraint(
                fields=["cycle"],
                condition=models.Q(unit__isnull=True),
                name="review_one_company_review",
            ),
        ]

    def __str__(self) -> str:
        name = self.unit.name if self.unit_id and self.unit else _("Company")
        return f"{name} · {self.cycle.name}"

    @property
    def is_company(self) -> bool:
        return self.unit_id is None

    @property
    def is_submitted(self) -> bool:
        return self.state == ReviewState.SUBMITTED


class ReviewScore(models.Model):
    """The end-of-cycle score of one objective or key result: proposed from progress, and
    optionally adjusted by the team with a reason (METHOD §5)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    objective = models.ForeignKey(
        Objective, on_delete=models.CASCADE, null=True, blank=True, related_name="review_scores"
    )
    key_result = models.ForeignKey(
        KeyResult, on_delete=models.CASCADE, null=True, blank=True, related_name="review_scores"
    )
    proposed = models.DecimalField(_("proposed score"), max_digits=2, decimal_places=1)
    adjusted = models.DecimalField(
        _("adjusted score"), max_digits=2, decimal_places=1, null=True, blank=True
    )
    reason = models.CharField(_("reason"), max_length=REASON_MAX, blank=True)
    adjusted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    adjusted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(objective__isnull=False, key_result__isnull=True)
                    | models.Q(objective__isnull=True, key_result__isnull=False)
                ),
                name="review_score_one_target",
            ),
            models.UniqueConstraint(fields=["review", "objective"], name="review_score_objective"),
            models.UniqueConstraint(
                fields=["review", "key_result"], name="review_score_key_result"
            ),
            models.CheckConstraint(
                condition=models.Q(proposed__gte=0) & models.Q(proposed__lte=1),
                name="review_score_proposed_range",
            ),
            models.CheckConstraint(
                condition=models.Q(adjusted__isnull=True)
                | (models.Q(adjusted__gte=0) & models.Q(adjusted__lte=1) & ~models.Q(reason="")),
                name="review_score_adjusted_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return str(self.target)

    @property
    def target(self) -> Objective | KeyResult:
        return self.objective or self.key_result  # type: ignore[return-value]

    @property
    def target_code(self) -> str:
        return self.target.code

    @property
    def is_key_result(self) -> bool:
        return self.key_result_id is not None

    @property
    def final(self) -> Decimal:
        return self.proposed if self.adjusted is None else self.adjusted

    @property
    def scoring_type(self) -> str:
        """Committed or aspirational, for the colour bands. A key result is aspirational when
        it says so or when its objective is (METHOD §4)."""
        if self.key_result is not None:
            kr = self.key_result
            if kr.aspirational or kr.objective.type == ObjectiveType.ASPIRATIONAL:
                return ObjectiveType.ASPIRATIONAL
            return ObjectiveType.COMMITTED
        return self.objective.type if self.objective else ObjectiveType.COMMITTED

    @property
    def colour(self) -> Colour:
        return score_colour(self.final, self.scoring_type)
