"""Forms of the adoption page. They only parse input; the rules live in the services, whose
messages are put back on the forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tenfold.organizations.models import CycleLength

from .models import NOTE_MAX, TITLE_MAX
from .steps import shape_choices


class ShapeForm(forms.Form):
    shape = forms.ChoiceField(label=_("Rollout shape"), widget=forms.RadioSelect)
    pilot_unit = forms.ChoiceField(
        label=_("Pilot team"),
        required=False,
        help_text=_("Only for a pilot rollout: the team that tries OKRs first."),
    )

    def __init__(self, *args: Any, teams: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["shape"].choices = shape_choices()  # type: ignore[attr-defined]
        self.team_map = {team.code: team for team in teams}
        self.fields["pilot_unit"].choices = [("", "—")] + [  # type: ignore[attr-defined]
            (team.code, team.name) for team in teams
        ]

    def chosen_unit(self) -> Any:
        return self.team_map.get(self.cleaned_data.get("pilot_unit") or "")


class FirstCycleForm(forms.Form):
    """Either the defaults switch (action "defaults") or a short first cycle ("create")."""

    action = forms.ChoiceField(
        choices=[("defaults", "defaults"), ("create", "create")], widget=forms.HiddenInput
    )
    defaults = forms.ChoiceField(
        label=_("First-cycle rules"),
        required=False,
        widget=forms.RadioSelect,
        choices=[
            ("on", _("On: one committed objective per team until the first cycle is closed")),
            ("off", _("Off: the usual sizes, aspirational OKRs allowed")),
        ],
    )
    length = forms.ChoiceField(
        label=_("Length"),
        required=False,
        choices=[
            (CycleLength.SIX_WEEKS, _("Six weeks")),
            (CycleLength.MONTH, _("A month")),
        ],
    )
    start = forms.DateField(
        label=_("Starts on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Give the day as a date, such as 2026-11-02.")},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("action") == "defaults" and data.get("defaults") not in ("on", "off"):
            self.add_error("defaults", _("Choose whether the first-cycle rules apply."))
        return data


class ItemForm(forms.Form):
    """A step's owner, due date and note (and title, for a step of one's own)."""

    title = forms.CharField(
        label=_("Step"),
        required=False,
        widget=forms.TextInput(attrs={"maxlength": TITLE_MAX}),
    )
    owner = forms.ChoiceField(label=_("Owner"), required=False)
    due = forms.DateField(
        label=_("Due"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Give the day as a date, such as 2026-11-02.")},
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.TextInput(attrs={"maxlength": NOTE_MAX}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, people: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people_map = {str(p.pk): p for p in people}
        self.fields["owner"].choices = [("", "—")] + [  # type: ignore[attr-defined]
            (str(p.pk), p.display_name) for p in people
        ]

    def chosen_owner(self) -> Any:
        return self.people_map.get(self.cleaned_data.get("owner") or "")


class EditForm(ItemForm):
    """Editing a step needs the version it was read at: an empty post changes nothing."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=True)
