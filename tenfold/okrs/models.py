from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import OuterRef
from django.utils.translation import gettext_lazy as _

from tenfold.lib.codes import new_code
from tenfold.lib.progress import FROM_TO_KINDS, THRESHOLD_KINDS
from tenfold.organizations.models import Organization, Unit

TITLE_MAX = 200
TEXT_MAX = 5000


class CycleKind(models.TextChoices):
    QUARTER = "quarter", _("Quarter")
    YEAR = "year", _("Year")
    MONTH = "month", _("Month")
    CUSTOM = "custom", _("Custom")


class CycleState(models.TextChoices):
    PLANNING = "planning", _("Planning")
    ACTIVE = "active", _("Active")
    REVIEWING = "reviewing", _("Reviewing")
    CLOSED = "closed", _("Closed")


class Cycle(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="cycles")
    code = models.CharField(max_length=12, unique=True, default=new_code, editable=False)
    name = models.CharField(_("name"), max_length=60)
    kind = models.CharField(_("kind"), max_length=10, choices=CycleKind, default=CycleKind.QUARTER)
    start = models.DateField(_("starts"))
    end = models.DateField(_("ends"))
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    state = models.CharField(
        _("state"), max_length=10, choices=CycleState, default=CycleState.PLANNING
    )

    class Meta:
        ordering = ("start", "-end")
        constraints = [
            models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name="cycle_end"),
            models.UniqueConstraint(fields=["organization", "name"], name="cycle_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_closed(self) -> bool:
        return self.state == CycleState.CLOSED


class Level(models.TextChoices):
    COMPANY = "company", _("Company")
    DEPARTMENT = "department", _("Department")
    TEAM = "team", _("Team")
    PERSONAL = "personal", _("Personal development")


class ObjectiveType(models.TextChoices):
    COMMITTED = "committed", _("Committed")
    ASPIRATIONAL = "aspirational", _("Aspirational")


class ObjectiveState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved")
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")


class Visibility(models.TextChoices):
    ORGANIZATION = "organization", _("Everyone in the organization")
    UNIT = "unit", _("Members of the owning unit")
    PRIVATE = "private", _("Only the lead and managers")


class Objective(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="objectives"
    )
    code = models.CharField(max_length=12, unique=True, default=new_code, editable=False)
    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="objectives")
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="objectives", null=True, blank=True
    )
    owner_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="personal_objectives",
        help_text=_("Only for personal-development objectives."),
    )
    level = models.CharField(_("level"), max_length=12, choices=Level, default=Level.TEAM)
    type = models.CharField(
        _("type"), max_length=12, choices=ObjectiveType, default=ObjectiveType.COMMITTED
    )
    state = models.CharField(
        _("state"), max_length=10, choices=ObjectiveState, default=ObjectiveState.DRAFT
    )
    visibility = models.CharField(
        _("visible to"), max_length=12, choices=Visibility, default=Visibility.ORGANIZATION
    )
    title = models.CharField(_("objective"), max_length=TITLE_MAX)
    description = models.TextField(_("why it matters"), max_length=TEXT_MAX, blank=True)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lead"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_objectives",
    )
    order = models.PositiveIntegerField(default=0)
    carried_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="carried_to"
    )
    kpi = models.ForeignKey(
        "kpis.Kpi",
        verbose_name=_("written for the KPI"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="objectives",
    )
    progress = models.DecimalField(max_digits=7, decimal_places=4, default=Decimal(0))
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("order", "created_at", "id")
        indexes = [
            models.Index(fields=["organization", "cycle", "unit"]),
            # The few objectives not everyone may see: a cached page's audience is found
            # among these alone (`tenfold.web.fragments`).
            models.Index(
                fields=["organization"],
                name="objective_restricted",
                condition=~(models.Q(visibility="organization") & ~models.Q(level="personal")),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(unit__isnull=False) | models.Q(owner_person__isnull=False),
                name="objective_has_owner",
            ),
            models.CheckConstraint(
                condition=models.Q(progress__gte=0) & models.Q(progress__lte=1),
                name="objective_progress_range",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Alignment(models.Model):
    """A child objective contributes to a parent objective or key result. Alignment is chosen
    by the child's team, not pushed down; `weight` is its share of the parent's progress."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    child = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="parent_links")
    parent_objective = models.ForeignKey(
        Objective, on_delete=models.CASCADE, null=True, blank=True, related_name="child_links"
    )
    parent_key_result = models.ForeignKey(
        "KeyResult", on_delete=models.CASCADE, null=True, blank=True, related_name="child_links"
    )
    weight = models.DecimalField(
        _("contribution"), max_digits=5, decimal_places=4, default=Decimal(1)
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(parent_objective__isnull=False, parent_key_result__isnull=True)
                    | models.Q(parent_objective__isnull=True, parent_key_result__isnull=False)
                ),
                name="alignment_one_parent",
            ),
            models.CheckConstraint(
                condition=models.Q(weight__gte=0) & models.Q(weight__lte=1),
                name="alignment_weight_range",
            ),
            models.UniqueConstraint(
                fields=["child", "parent_objective"], name="alignment_objective_once"
            ),
            models.UniqueConstraint(
                fields=["child", "parent_key_result"], name="alignment_key_result_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.child_id} → {self.parent_objective_id or self.parent_key_result_id}"

    @property
    def parent(self) -> Objective | KeyResult:
        return self.parent_objective or self.parent_key_result  # type: ignore[return-value]


class KeyResultKind(models.TextChoices):
    INCREASE = "increase", _("Increase from … to …")
    DECREASE = "decrease", _("Decrease from … to …")
    REACH = "reach", _("Reach a value")
    KEEP_ABOVE = "keep_above", _("Keep above")
    KEEP_BELOW = "keep_below", _("Keep below")
    MILESTONE = "milestone", _("Milestone (done or not)")


class ValueFormat(models.TextChoices):
    NUMBER = "number", _("Number")
    PERCENT = "percent", _("Percent")
    CURRENCY = "currency", _("Currency")


class DataSource(models.TextChoices):
    MANUAL = "manual", _("Check-ins")
    PUSH = "push", _("Pushed by an integration")
    PULL = "pull", _("Pulled on a schedule")


VALUE_DIGITS = 20
VALUE_PLACES = 4


class KeyResult(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="key_results"
    )
    code = models.CharField(max_length=12, unique=True, default=new_code, editable=False)
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="key_results")
    title = models.CharField(_("key result"), max_length=TITLE_MAX)
    description = models.TextField(_("notes"), max_length=TEXT_MAX, blank=True)
    kind = models.CharField(
        _("kind"), max_length=12, choices=KeyResultKind, default=KeyResultKind.INCREASE
    )
    start = models.DecimalField(
        _("start value"),
        max_digits=VALUE_DIGITS,
        decimal_places=VALUE_PLACES,
        null=True,
        blank=True,
    )
    target = models.DecimalField(_("target"), max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES)
    current = models.DecimalField(
        _("current value"),
        max_digits=VALUE_DIGITS,
        decimal_places=VALUE_PLACES,
        null=True,
        blank=True,
    )
    unit_label = models.CharField(_("unit"), max_length=30, blank=True)
    value_format = models.CharField(
        _("format"), max_length=10, choices=ValueFormat, default=ValueFormat.NUMBER
    )
    currency = models.CharField(_("currency code"), max_length=3, blank=True)
    decimals = models.PositiveSmallIntegerField(_("decimal places shown"), default=0)
    weight = models.DecimalField(_("weight"), max_digits=7, decimal_places=3, default=Decimal(1))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_key_results",
    )
    aspirational = models.BooleanField(_("aspirational"), default=False)
    order = models.PositiveIntegerField(default=0)
    data_source = models.CharField(
        _("data source"), max_length=10, choices=DataSource, default=DataSource.MANUAL
    )
    carried_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="carried_to"
    )
    progress = models.DecimalField(max_digits=7, decimal_places=4, default=Decimal(0))
    progress_raw = models.DecimalField(max_digits=24, decimal_places=4, default=Decimal(0))
    last_checkin_at = models.DateTimeField(null=True, blank=True)
    last_confidence = models.DecimalField(max_digits=3, decimal_places=2, null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("order", "id")
        constraints = [
            models.CheckConstraint(condition=models.Q(weight__gte=0), name="kr_weight_positive"),
            models.CheckConstraint(
                condition=models.Q(progress__gte=0) & models.Q(progress__lte=1),
                name="kr_progress_range",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_from_to(self) -> bool:
        return self.kind in FROM_TO_KINDS

    @property
    def is_threshold(self) -> bool:
        return self.kind in THRESHOLD_KINDS


class InitiativeStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    DOING = "doing", _("Doing")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class Initiative(models.Model):
    """Work that should move a key result. Initiatives never count toward progress."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    code = models.CharField(max_length=12, unique=True, default=new_code, editable=False)
    key_result = models.ForeignKey(
        KeyResult, on_delete=models.CASCADE, null=True, blank=True, related_name="initiatives"
    )
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="initiatives")
    title = models.CharField(_("initiative"), max_length=TITLE_MAX)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="initiatives",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=InitiativeStatus, default=InitiativeStatus.PLANNED
    )
    due = models.DateField(_("due"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("created_at", "id")

    def __str__(self) -> str:
        return self.title


def aligned_into(objective: Any, key_result_ids: list[int] | None = None) -> models.Q:
    """Alignment links into an objective: to it, or to one of its key results. `objective`
    is an objective, its id, or an `OuterRef` to one.

    Each side of the OR must have an index to use. Written as a join, SQLite read every link
    (5 ms at 10,000 people instead of 0.2 ms); with the key results as a subquery,
    PostgreSQL read every link too. So for one objective its key results are read first (a
    small indexed query, skipped when the caller has their ids) and named; a correlated
    subquery keeps the subquery."""
    if isinstance(objective, OuterRef):
        return models.Q(parent_objective=objective) | models.Q(
            parent_key_result__in=KeyResult.objects.filter(objective=OuterRef(objective)).values(
                "id"
            )
        )
    if key_result_ids is None:
        key_result_ids = list(
            KeyResult.objects.filter(objective=objective).values_list("id", flat=True)
        )
    return models.Q(parent_objective=objective) | models.Q(parent_key_result__in=key_result_ids)
