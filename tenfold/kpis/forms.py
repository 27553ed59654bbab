"""Forms for KPIs and their values. They only parse input; the rules (a name, a number for the
target, a range whose ends are in order, no future values) live in the services, whose messages
are put back on the form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tenfold.okrs.models import TEXT_MAX, ValueFormat

from .models import NAME_MAX, NOTE_MAX, Direction

COMPANY = "company"
"""The unit choice that stands for the whole company."""


class KpiForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        required=False,
        help_text=_("What you watch, e.g. “Weekly active teams” or “Support first reply time”."),
        widget=forms.TextInput(attrs={"maxlength": NAME_MAX, "autofocus": True}),
    )
    unit = forms.ChoiceField(label=_("Owned by"))
    description = forms.CharField(
        label=_("What it measures"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": TEXT_MAX}),
    )
    direction = forms.ChoiceField(
        label=_("Healthy when"),
        required=False,
        choices=[
            (Direction.HIGHER_IS_BETTER, _("it stays at or above the target")),
            (Direction.LOWER_IS_BETTER, _("it stays at or below the target")),
            (Direction.IN_RANGE, _("it stays between two values")),
        ],
        initial=Direction.HIGHER_IS_BETTER,
    )
    target = forms.CharField(
        label=_("Target"),
        required=False,
        help_text=_("For a range, its lower end."),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    target_high = forms.CharField(
        label=_("Upper end of the range"),
        required=False,
        help_text=_("Only for a range."),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    value_format = forms.ChoiceField(
        label=_("Format"), choices=ValueFormat, initial=ValueFormat.NUMBER, required=False
    )
    unit_label = forms.CharField(
        label=_("Unit"),
        required=False,
        help_text=_("Shown after numbers: hours, tickets, users…"),
        widget=forms.TextInput(attrs={"maxlength": 30}),
    )
    currency = forms.CharField(
        label=_("Currency code"),
        required=False,
        widget=forms.TextInput(attrs={"maxlength": 3, "size": 4}),
    )
    decimals = forms.CharField(
        label=_("Decimal places shown"),
        required=False,
        initial="0",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 3}),
    )
    owner = forms.ChoiceField(label=_("Owner"), required=False)
    active = forms.BooleanField(
        label=_("Monitored"),
        required=False,
        initial=True,
        help_text=_("Clear this to stop watching the KPI; its history is kept."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, units: list[Any], people: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.unit_map = {COMPANY if u.parent_id is None else u.code: u for u in units}
        choices = [(COMPANY if u.parent_id is None else u.code, u.name) for u in units]
        self.fields["unit"].choices = choices  # type: ignore[attr-defined]
        self.people_map = {str(p.pk): p for p in people}
        people_choices = [("", "—")] + [(str(p.pk), p.display_name) for p in people]
        self.fields["owner"].choices = people_choices  # type: ignore[attr-defined]

    def chosen_owner(self) -> Any:
        return self.people_map.get(self.cleaned_data.get("owner") or "")


class KpiValueForm(forms.Form):
    value = forms.CharField(
        label=_("Value"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    measured_on = forms.DateField(
        label=_("Measured on"),
        required=False,
        help_text=_("Leave empty for today."),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Give the day as a date, such as 2026-11-02.")},
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.TextInput(attrs={"maxlength": NOTE_MAX}),
    )


class WriteOkrForm(forms.Form):
    cycle = forms.ChoiceField(label=_("For the cycle"))

    def __init__(self, *args: Any, cycles: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cycle_map = {c.code: c for c in cycles}
        self.fields["cycle"].choices = [(c.code, c.name) for c in cycles]  # type: ignore[attr-defined]
