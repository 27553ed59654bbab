from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tenfold.okrs.models import Cycle
from tenfold.organizations.models import Unit

from .reading import SheetError, check_size


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet"),
        help_text=_("CSV, XLSX or Markdown (okr2go tables), up to the size limit below."),
    )
    cycle = forms.ChoiceField(
        label=_("Cycle"),
        required=False,
        help_text=_("For rows without a cycle column."),
    )
    unit = forms.ChoiceField(
        label=_("Unit"),
        required=False,
        help_text=_("For rows without a team or unit column."),
    )

    def __init__(self, *args: Any, cycles: list[Cycle], units: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cycle_map = {c.code: c for c in cycles}
        self.unit_map = {u.code: u for u in units}
        empty = [("", _("From the file"))]
        cycle_field: Any = self.fields["cycle"]
        cycle_field.choices = empty + [(c.code, c.name) for c in cycles]
        unit_field: Any = self.fields["unit"]
        unit_field.choices = empty + [(u.code, u.name) for u in units]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        try:
            check_size(upload.size)  # before a single byte is read
        except SheetError as error:
            raise forms.ValidationError(error.messages) from None
        return upload
