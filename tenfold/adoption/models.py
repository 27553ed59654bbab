"""The adoption programme of an organization new to OKRs (METHOD §8), its implementation
checklist, and the sandboxes people try Tenfold in before going live.

The rollout shape itself is `Organization.rollout` (Settings → General edits it too); the
programme keeps what only adoption needs: the pilot team, the first-cycle settings and when the
checklist was laid out.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tenfold.lib.codes import new_code
from tenfold.okrs.models import Cycle
from tenfold.organizations.models import Organization, Unit

TITLE_MAX = 200
NOTE_MAX = 500


class Programme(models.Model):
    """One per organization, made the first time anyone looks at the adoption page."""

    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, related_name="adoption_programme"
    )
    pilot_unit = models.ForeignKey(
        Unit,
        verbose_name=_("pilot team"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The team that tries OKRs first, when the rollout starts with a pilot."),
    )
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    first_cycle_defaults = models.BooleanField(
        _("first-cycle defaults"),
        default=True,
        help_text=_(
            "One committed objective per team until the first cycle is closed; the coach warns "
            "about anything more."
        ),
    )
    first_cycle = models.ForeignKey(
        Cycle,
        verbose_name=_("short first cycle"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    checklist_created_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("adoption programme")
        verbose_name_plural = _("adoption programmes")

    def __str__(self) -> str:
        return str(_("Adoption programme of %(org)s") % {"org": self.organization.name})


class ChecklistItem(models.Model):
    """One step of the implementation checklist. The standard steps have a `key` and take their
    title from it (so it follows the rollout shape and the reader's language); the steps an
    admin adds have a title of their own."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="items")
    code = models.CharField(max_length=12, unique=True, default=new_code, editable=False)
    key = models.CharField(max_length=20, blank=True)
    title = models.CharField(_("step"), max_length=TITLE_MAX, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    due = models.DateField(_("due"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=NOTE_MAX, blank=True)
    position = models.PositiveIntegerField(default=0)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("checklist step")
        verbose_name_plural = _("checklist steps")
        ordering = ("position", "id")
        constraints = [
            # Laying out the standard steps twice (two first visits at once) cannot duplicate
            # them.
            models.UniqueConstraint(
                fields=["programme", "key"],
                condition=~models.Q(key=""),
                name="adoption_step_once",
            ),
            models.CheckConstraint(
                condition=~models.Q(key="") | ~models.Q(title=""),
                name="adoption_custom_step_has_title",
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.key

    @property
    def is_custom(self) -> bool:
        return not self.key

    @property
    def is_done(self) -> bool:
        return self.done_at is not None


class Sandbox(models.Model):
    """A person's own copy of the demo company, to try a week with OKRs before going live.

    Its people have addresses under `email_domain` (which no other organization's people
    share), so deleting the sandbox can remove them without touching anyone real."""

    code = models.CharField(max_length=12, unique=True, default=new_code, editable=False)
    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, related_name="sandbox"
    )
    person = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="adoption_sandbox",
    )
    home = models.ForeignKey(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The organization the sandbox was opened from."),
    )
    email_domain = models.CharField(max_length=100, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    built_at = models.DateTimeField(default=timezone.now)
    build_seconds = models.FloatField(default=0)

    class Meta:
        verbose_name = _("sandbox")
        verbose_name_plural = _("sandboxes")

    def __str__(self) -> str:
        return self.organization.slug
