"""The "use this example" form. It only parses input: it offers the units the person may create
in and the open cycles, and accepts any unit or cycle of the organization so that the service
can refuse the others with its own clear message (a closed cycle, a unit the person may not
write in)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class UseExampleForm(forms.Form):
    unit = forms.CharField(label=_("Owned by"), required=False, widget=forms.Select)
    cycle = forms.CharField(label=_("For the cycle"), required=False, widget=forms.Select)

    def __init__(
        self,
        *args: Any,
        units: list[tuple[Any, int]],
        cycles: list[Any],
        all_units: dict[str, Any],
        all_cycles: dict[str, Any],
        personal: bool = False,
        **kwargs: Any,
    ) -> None:
        """`units` are (unit, depth) pairs offered in the list; `all_units` and `all_cycles`
        map every code of the organization to its row."""
        super().__init__(*args, **kwargs)
        self.all_units = all_units
        self.all_cycles = all_cycles
        self.personal = personal
        self.fields["cycle"].widget.choices = [
            (c.code, f"{c.name} · {c.get_state_display()}") for c in cycles
        ]
        if personal:
            del self.fields["unit"]  # a personal-development objective belongs to its person
        else:
            self.fields["unit"].widget.choices = [
                (u.code, "\u2003" * depth + u.name) for u, depth in units
            ]

    def clean_unit(self) -> Any:
        code = (self.cleaned_data.get("unit") or "").strip()
        if not code:
            raise forms.ValidationError(_("Choose the unit that will own the objective."))
        unit = self.all_units.get(code)
        if unit is None:
            raise forms.ValidationError(_("No unit of this organization has that code."))
        return unit

    def clean_cycle(self) -> Any:
        code = (self.cleaned_data.get("cycle") or "").strip()
        if not code:
            raise forms.ValidationError(_("Choose the cycle the objective is for."))
        cycle = self.all_cycles.get(code)
        if cycle is None:
            raise forms.ValidationError(_("No cycle of this organization has that code."))
        return cycle
