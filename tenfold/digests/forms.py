"""The subscriber form of the settings page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tenfold.organizations.models import Unit

from .models import NAME_MAX, Section, default_sections

COMPANY = "company"


class SubscriberForm(forms.Form):
    email = forms.CharField(
        label=_("Email address"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    name = forms.CharField(
        label=_("Name"),
        required=False,
        max_length=NAME_MAX,
        help_text=_("Optional: how the list here calls them."),
    )
    unit = forms.ChoiceField(label=_("Digest of"), required=False)
    sections = forms.MultipleChoiceField(
        label=_("What they receive"),
        required=False,
        choices=Section.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Weekly plans and problems are written for the team and are never sent."),
    )
    include_names = forms.BooleanField(
        label=_("Include people's names"),
        required=False,
        help_text=_(
            "Off by default. Names appear only as the owner of a key result that needs "
            "attention, never beside a score."
        ),
    )
    active = forms.BooleanField(label=_("Send the digest"), required=False)

    def __init__(
        self, *args: Any, units: list[Unit], with_active: bool = False, **kwargs: Any
    ) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("sections", default_sections())
        kwargs["initial"].setdefault("unit", COMPANY)
        super().__init__(*args, **kwargs)
        self.unit_map = {unit.code: unit for unit in units}
        self.fields["unit"].choices = [  # type: ignore[attr-defined]
            (COMPANY, _("The whole company")),
            *((unit.code, unit.name) for unit in units),
        ]
        if not with_active:
            del self.fields["active"]

    def chosen_unit(self) -> Unit | None:
        return self.unit_map.get(self.cleaned_data.get("unit") or "")
