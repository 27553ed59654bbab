"""Forms for objectives, key results, check-ins and initiatives. They only parse input: the
rules (required titles, length limits, start ≠ target, closed cycles...) live in the services,
whose errors are put back on the form, so every interface refuses bad input in the same words.
Limits here are only hints for the browser (`maxlength`)."""

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

TITLE_HINT = 70
"""Titles longer than this still save, but they stop reading like a headline."""

KIND_HELP = {
    KeyResultKind.INCREASE: _("A number should grow from where it is to a target."),
    KeyResultKind.DECREASE: _("A number should fall from where it is to a target."),
    KeyResultKind.REACH: _("Get to a target; the start is 0 unless you give one."),
    KeyResultKind.KEEP_ABOVE: _("Hold a level: met while the value stays at or above it."),
    KeyResultKind.KEEP_BELOW: _("Hold a level: met while the value stays at or below it."),
    KeyResultKind.MILESTONE: _(
        "Done or not done. Usually a task in disguise: prefer a number if you can."
    ),
}


def person_choices(people: Any) -> list[tuple[str, str]]:
    return [("", "—")] + [(str(p.pk), p.display_name) for p in people]


def _text_input(limit: int, **attrs: Any) -> forms.TextInput:
    return forms.TextInput(attrs={"maxlength": limit, **attrs})


class ObjectiveForm(forms.Form):
    cycle = forms.ChoiceField(label=_("Cycle"))
    unit = forms.ChoiceField(label=_("Owned by"))
    title = forms.CharField(
        label=_("Objective"),
        required=False,
        help_text=_("Where you want to be, in words. Up to about 70 characters reads best."),
        widget=_text_input(TITLE_MAX, autofocus=True, **{"data-count-hint": TITLE_HINT}),
    )
    description = forms.CharField(
        label=_("Why it matters"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": TEXT_MAX}),
    )
    type = forms.ChoiceField(
        label=_("Type"),
        choices=ObjectiveType,
        initial=ObjectiveType.COMMITTED,
        help_text=_(
            "Committed: the team expects to fully deliver it. Aspirational: a stretch where "
            "reaching about 0.7 already counts as success."
        ),
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
        required=False,
        help_text=_("A measurable outcome, such as “Raise activation from 32% to 45%”."),
        widget=_text_input(TITLE_MAX, **{"data-count-hint": TITLE_HINT}),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=KeyResultKind, initial=KeyResultKind.INCREASE)
    start = forms.CharField(
        label=_("Start value"),
        required=False,
        help_text=_("Where the number is today. Not used to hold a level or for milestones."),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    target = forms.CharField(
        label=_("Target"),
        required=False,
        help_text=_("Where it should be by the end of the cycle, or the level to hold."),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    unit_label = forms.CharField(
        label=_("Unit"),
        required=False,
        help_text=_("What is counted, e.g. customers, days, ms."),
        widget=_text_input(30),
    )
    value_format = forms.ChoiceField(
        label=_("Format"), choices=ValueFormat, initial=ValueFormat.NUMBER
    )
    currency = forms.CharField(
        label=_("Currency code"),
        required=False,
        help_text=_("Three letters, such as EUR or USD."),
        widget=_text_input(3, size=4),
    )
    decimals = forms.CharField(
        label=_("Decimal places shown"),
        required=False,
        initial="0",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 3}),
    )
    weight = forms.CharField(
        label=_("Weight"),
        required=False,
        initial="1",
        help_text=_(
            "Relative: 2 counts twice as much as 1; 0 leaves it out of the objective's progress."
        ),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 6}),
    )
    owner = forms.ChoiceField(label=_("Owner"), required=False)
    aspirational = forms.BooleanField(
        label=_("Aspirational (a stretch within this objective)"), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    kind_help = KIND_HELP

    def __init__(self, *args: Any, people: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people_map = {str(p.pk): p for p in people}
        self.fields["owner"].choices = person_choices(people)  # type: ignore[attr-defined]


class CheckInForm(forms.Form):
    label_suffix = ""  # compact forms inside cards

    value = forms.CharField(
        label=_("New value"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 8, "maxlength": 40}),
    )
    confidence = forms.CharField(
        label=_("Confidence (0–10)"),
        required=False,
        help_text=_("How sure you are the target will be met."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 3, "maxlength": 4}),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("What moved it?"), "maxlength": TEXT_MAX}),
    )


class InitiativeForm(forms.Form):
    label_suffix = ""  # compact forms inside cards

    title = forms.CharField(label=_("Initiative"), required=False, widget=_text_input(TITLE_MAX))
    owner = forms.ChoiceField(label=_("Owner"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=InitiativeStatus,
        initial=InitiativeStatus.PLANNED,
        required=False,
    )
    due = forms.DateField(
        label=_("Due"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, people: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people_map = {str(p.pk): p for p in people}
        self.fields["owner"].choices = person_choices(people)  # type: ignore[attr-defined]


class AlignForm(forms.Form):
    label_suffix = ""  # compact forms inside cards

    parent = forms.ChoiceField(label=_("Contributes to"))
    weight = forms.CharField(
        label=_("Contribution (0–1)"),
        initial="1",
        help_text=_("Its share of the parent's progress; 1 counts fully."),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 4}),
    )


INITIATIVE_STATUSES = InitiativeStatus.choices


class DatedCheckInForm(CheckInForm):
    """A check-in that may be for a past day: a reading someone forgot to enter in time."""

    measured_on = forms.DateField(
        label=_("Measured on"),
        required=False,
        help_text=_("Leave empty for today. A past day joins the history in its place."),
        error_messages={"invalid": _("Give the day as a date, such as 2026-11-02.")},
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class CorrectionForm(forms.Form):
    """Correct what a check-in said. The reason is shown beside the original, which stays."""

    label_suffix = ""  # compact forms inside the history list

    value = forms.CharField(
        label=_("Correct value"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 8, "maxlength": 40}),
    )
    confidence = forms.CharField(
        label=_("Confidence (0–10)"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 3, "maxlength": 4}),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.TextInput(attrs={"maxlength": TEXT_MAX}),
    )
    reason = forms.CharField(
        label=_("Why the correction"),
        required=False,
        help_text=_("Everyone sees this next to the original value, which is kept."),
        widget=forms.TextInput(
            attrs={"maxlength": 300, "placeholder": _("e.g. the report was run on the wrong day")}
        ),
    )
