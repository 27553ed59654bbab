from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tenfold.lib.codes import new_code
from tenfold.lib.progress import StatusRules


class CycleLength(models.TextChoices):
    QUARTER = "quarter", _("Quarter")
    SIX_WEEKS = "six_weeks", _("Six weeks")
    MONTH = "month", _("Month")


class Rollout(models.TextChoices):
    PILOT = "pilot", _("Pilot team first")
    LEADS = "leads", _("Team leads only")
    EVERYONE = "everyone", _("Everyone at once")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


def default_ppp_names() -> dict[str, str]:
    return {"plans": "Plans", "progress": "Progress", "problems": "Problems"}


class Organization(models.Model):
    """The tenant: every other row belongs to exactly one organization."""

    code = models.CharField(max_length=12, unique=True, default=new_code, editable=False)
    slug = models.SlugField(_("address"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=120)
    fiscal_year_start_month = models.PositiveSmallIntegerField(
        _("fiscal year starts in month"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    cycle_length = models.CharField(
        _("cycle length"), max_length=12, choices=CycleLength, default=CycleLength.QUARTER
    )
    week_start = models.PositiveSmallIntegerField(
        _("week starts on"), choices=Weekday, default=Weekday.MONDAY
    )
    checkin_weekday = models.PositiveSmallIntegerField(
        _("check-in day"), choices=Weekday, default=Weekday.FRIDAY
    )
    checkin_hour = models.PositiveSmallIntegerField(
        _("check-in hour"), default=10, validators=[MaxValueValidator(23)]
    )
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC")
    language = models.CharField(_("language"), max_length=10, default="en")
    at_risk_gap = models.DecimalField(
        _("at risk when behind by more than"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.20"),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))],
    )
    off_track_gap = models.DecimalField(
        _("off track when behind by more than"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.40"),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))],
    )
    stale_days = models.PositiveSmallIntegerField(
        _("stale after days without a check-in"), default=10
    )
    approval_required = models.BooleanField(_("team objectives need approval"), default=True)
    ppp_names = models.JSONField(_("weekly category names"), default=default_ppp_names)
    extra_categories = models.JSONField(_("extra weekly categories"), default=list, blank=True)
    leaderboards_enabled = models.BooleanField(_("habit leaderboards"), default=False)
    rollout = models.CharField(
        _("rollout programme"), max_length=12, choices=Rollout, default=Rollout.EVERYONE
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("name",)
        constraints = [
            models.CheckConstraint(
                condition=models.Q(off_track_gap__gte=models.F("at_risk_gap")),
                name="org_off_track_beyond_at_risk",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def status_rules(self) -> StatusRules:
        return StatusRules(
            at_risk_gap=self.at_risk_gap,
            off_track_gap=self.off_track_gap,
            stale_days=self.stale_days,
        )


class ChangeCounter(models.Model):
    """How many times anything in the organization has changed: the version that cached
    pages are keyed by (`tenfold.db.changes`). A row of its own, so saving the organization
    from a form that was loaded earlier can never set it back."""

    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    number = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.organization_id}: {self.number}"


class UnitKind(models.TextChoices):
    COMPANY = "company", _("Company")
    DEPARTMENT = "department", _("Department")
    TEAM = "team", _("Team")


class Unit(models.Model):
    """A node of the organization tree: the company at the root, optional departments, teams."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="units")
    code = models.CharField(max_length=12, unique=True, default=new_code, editable=False)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=12, choices=UnitKind, default=UnitKind.TEAM)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ("order", "name")
        constraints = [
            models.UniqueConstraint(
                fields=["organization"],
                condition=models.Q(parent__isnull=True),
                name="unit_one_root_per_org",
            ),
            models.UniqueConstraint(fields=["organization", "parent", "name"], name="unit_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    OWNER = "owner", _("Owner")
    ADMIN = "admin", _("Admin")
    LEAD = "lead", _("Lead")
    MEMBER = "member", _("Member")
    VIEWER = "viewer", _("Viewer")


class Membership(models.Model):
    """A person in an organization, with one organization-wide role."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role, default=Role.MEMBER)
    title = models.CharField(_("job title"), max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "user"], name="membership_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization} ({self.role})"

    @property
    def is_admin(self) -> bool:
        return self.role in (Role.OWNER, Role.ADMIN)

    @property
    def can_write(self) -> bool:
        return self.role != Role.VIEWER


class UnitMember(models.Model):
    """A person's place in a unit; leads of a unit manage its OKRs and those below it."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="unit_memberships"
    )
    is_lead = models.BooleanField(_("leads this unit"), default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "user"], name="unit_member_once")]

    def __str__(self) -> str:
        return f"{self.user} in {self.unit}"


class Invitation(models.Model):
    """An offer to join an organization, sent by email. Only a hash of the link's secret is
    kept: the link itself exists in the email alone. Used once, then kept as a record."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="invitations"
    )
    code = models.CharField(max_length=12, unique=True, default=new_code, editable=False)
    email = models.EmailField(_("email"))
    role = models.CharField(_("role"), max_length=10, choices=Role, default=Role.MEMBER)
    units = models.ManyToManyField(Unit, verbose_name=_("units to join"), blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at",)
        indexes = [models.Index(fields=["organization", "email"], name="invitation_org_email")]

    def __str__(self) -> str:
        return f"{self.email} @ {self.organization_id} ({self.role})"

    def is_pending(self, now: dt.datetime) -> bool:
        """Neither accepted, nor revoked, nor expired at `now`."""
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > now
