"""Forms for objectives, key results, check-ins and initiatives. They only parse input: the
rules live in the services, whose errors are put back on the form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tenfold.okrs.models import (
    TEXT_MAX,
    TITLE_MAX,
    InitiativeStatus,
    KeyResultKind,
    ObjectiveType,
    ValueFormat,
    Visibility,
)


def person_choices(people: Any) -> list[tuple[str, str]]:
    return [("", "—")] + [(str(p.pk), p.display_name) for p in people]


class ObjectiveForm(forms.Form):
    cycle = forms.ChoiceField(label=_("Cycle"))
    unit = forms.ChoiceField(label=_("Owned by"))
    title = forms.CharField(
        label=_("Objective"),
        max_length=TITLE_MAX,
        help_text=_("Where you want to be, in words. Around 70 characters reads best."),
        widget=forms.TextInput(attrs={"maxlength": TITLE_MAX, "autofocus": True}),
    )
    description = forms.CharField(
        label=_("Why it matters"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    type = forms.ChoiceField(
        label=_("Type"),
        choices=ObjectiveType,
        initial=ObjectiveType.COMMITTED,
        help_text=_("Committed: 1.0 is expected. Aspirational: a stretch where 0.7 is success."),
    )
    visibility = forms.ChoiceField(
        label=_("Visible to"), choices=Visibility, initial=Visibility.ORGANIZATION
    )
    lead = forms.ChoiceField(label=_("Lead"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        cycles: list[Any],
        units: list[Any],
        people: list[Any],
        editing: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.cycle_map = {c.code: c for c in cycles}
        self.unit_map = {u.code: u for u in units}
        self.people_map = {str(p.pk): p for p in people}
        self.fields["cycle"].choices = [(c.code, c.name) for c in cycles]  # type: ignore[attr-defined]
        self.fields["unit"].choices = [(u.code, u.name) for u in units]  # type: ignore[attr-defined]
        self.fields["lead"].choices = person_choices(people)  # type: ignore[attr-defined]
        if editing:
            del self.fields["cycle"]


class KeyResultForm(forms.Form):
    title = forms.CharField(
        label=_("Key result"),
        max_length=TITLE_MAX,
        help_text=_("A measurable outcome, e.g. “Raise activation from 32% to 45%”."),
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=KeyResultKind,
        initial=KeyResultKind.INCREASE,
        help_text=_(
            "Increase or decrease from a start to a target; reach a value; keep a "
            "level above or below a threshold; a milestone is done or not (prefer a "
            "number)."
        ),
    )
    start = forms.CharField(
        label=_("Start value"),
        required=False,
        help_text=_("Not used for keep above/below and milestones."),
    )
    target = forms.CharField(label=_("Target"), required=False)
    unit_label = forms.CharField(
        label=_("Unit"), max_length=30, required=False, help_text=_("e.g. customers, days, ms")
    )
    value_format = forms.ChoiceField(
        label=_("Format"), choices=ValueFormat, initial=ValueFormat.NUMBER
    )
    currency = forms.CharField(label=_("Currency code"), max_length=3, required=False)
    decimals = forms.IntegerField(
        label=_("Decimal places shown"), min_value=0, max_value=4, initial=0
    )
    weight = forms.CharField(
        label=_("Weight"),
        initial="1",
        help_text=_(
            "Relative: 2 counts twice as much as 1; 0 leaves it out of the objective's progress."
        ),
    )
    owner = forms.ChoiceField(label=_("Owner"), required=False)
    aspirational = forms.BooleanField(
        label=_("Aspirational (a stretch within this objective)"), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, people: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people_map = {str(p.pk): p for p in people}
        self.fields["owner"].choices = person_choices(people)  # type: ignore[attr-defined]


class CheckInForm(forms.Form):
    value = forms.CharField(label=_("New value"), max_length=40)
    confidence = forms.CharField(label=_("Confidence (0–10)"), required=False, max_length=4)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.TextInput(attrs={"placeholder": _("What moved it?")}),
    )


class InitiativeForm(forms.Form):
    title = forms.CharField(label=_("Initiative"), max_length=TITLE_MAX)
    owner = forms.ChoiceField(label=_("Owner"), required=False)
    due = forms.DateField(
        label=_("Due"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, people: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people_map = {str(p.pk): p for p in people}
        self.fields["owner"].choices = person_choices(people)  # type: ignore[attr-defined]


class AlignForm(forms.Form):
    parent = forms.ChoiceField(label=_("Contributes to"))
    weight = forms.DecimalField(
        label=_("Contribution (0–1)"), min_value=0, max_value=1, initial=1, decimal_places=4
    )


INITIATIVE_STATUSES = InitiativeStatus.choices
