"""Forms of the ideas board. They only parse input; the rules (some text, a question, a cycle
still open, who may promote where) live in the services, whose messages land on the form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import BODY_MAX, DETAILS_MAX, TEXT_MAX, Question

NO_CYCLE = "none"
"""The cycle choice for an idea that is for no particular cycle."""


def _unit_choices(units: list[Any], empty: str | None) -> list[tuple[str, str]]:
    choices = [("", empty)] if empty is not None else []
    return choices + [(u.code, u.name) for u in units]


class IdeaForm(forms.Form):
    """A new idea (on the board, one per question) or an edited one."""

    question = forms.ChoiceField(label=_("Question"), choices=Question.choices, required=False)
    text = forms.CharField(
        label=_("Your idea"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": TEXT_MAX}),
    )
    details = forms.CharField(
        label=_("Details"),
        required=False,
        help_text=_("Optional: the why, an example, a first step."),
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": DETAILS_MAX}),
    )
    unit = forms.ChoiceField(label=_("For"), required=False)
    cycle = forms.ChoiceField(label=_("Cycle"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self, *args: Any, units: list[Any], cycles: list[Any], whole: str, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.unit_map = {u.code: u for u in units}
        self.cycle_map = {c.code: c for c in cycles}
        self.fields["unit"].choices = _unit_choices(units, whole)  # type: ignore[attr-defined]
        self.fields["cycle"].choices = [  # type: ignore[attr-defined]
            (NO_CYCLE, _("No particular cycle")),
            *((c.code, c.name) for c in cycles),
        ]

    def add_cycle(self, cycle: Any) -> None:
        """Offer a cycle that is no longer open, because the idea is already for it."""
        if cycle is not None and cycle.code not in self.cycle_map:
            self.cycle_map[cycle.code] = cycle
            self.fields["cycle"].choices = [  # type: ignore[attr-defined]
                *self.fields["cycle"].choices,  # type: ignore[attr-defined]
                (cycle.code, cycle.name),
            ]

    def chosen_unit(self) -> Any:
        return self.unit_map.get(self.cleaned_data.get("unit") or "")

    def chosen_cycle(self) -> Any:
        return self.cycle_map.get(self.cleaned_data.get("cycle") or "")


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Add a comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": BODY_MAX}),
    )


class PromoteForm(forms.Form):
    unit = forms.ChoiceField(label=_("Objective of"), required=False)
    cycle = forms.ChoiceField(label=_("For the cycle"), required=False)

    def __init__(self, *args: Any, units: list[Any], cycles: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.unit_map = {u.code: u for u in units}
        self.cycle_map = {c.code: c for c in cycles}
        self.fields["unit"].choices = _unit_choices(units, None)  # type: ignore[attr-defined]
        self.fields["cycle"].choices = [(c.code, c.name) for c in cycles]  # type: ignore[attr-defined]
