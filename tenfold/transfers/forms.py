"""The forms of the data page (start an export) and of the site's import page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tenfold.okrs.models import Cycle

from .models import Format
from .services import MAX_UPLOAD

ALL_CYCLES = ""


class ExportForm(forms.Form):
    format = forms.ChoiceField(label=_("Format"), choices=Format.choices, initial=Format.JSON)
    cycle = forms.ChoiceField(
        label=_("Cycle"),
        required=False,
        help_text=_(
            "YAML, CSV, XLSX and Markdown can hold one cycle. JSON always holds everything."
        ),
    )

    def __init__(self, *args: Any, cycles: list[Cycle], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cycles = {cycle.code: cycle for cycle in cycles}
        field = self.fields["cycle"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(ALL_CYCLES, _("All cycles"))] + [
            (cycle.code, cycle.name) for cycle in cycles
        ]

    def chosen_cycle(self) -> Cycle | None:
        return self.cycles.get(self.cleaned_data.get("cycle") or ALL_CYCLES)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Interchange file (JSON)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )
    slug = forms.SlugField(
        label=_("Address of the new organization"),
        required=False,
        max_length=50,
        help_text=_("Optional: leave empty to keep the address written in the file."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "A file made by a JSON export of Tenfold, up to %(size)d MB."
        ) % {"size": MAX_UPLOAD // (1024 * 1024)}
