"""Forms of the feed settings page: one per kind of feed. They only parse input; the rules
(a safe address, a readable path, a read-only query) live in the services, whose messages land
on the form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tenfold.lib import feeds as rules
from tenfold.organizations.models import Weekday

from .models import URL_MAX, Format, Kind, Schedule


class _ScheduleFields(forms.Form):
    schedule = forms.ChoiceField(label=_("Sync"), choices=Schedule.choices, initial=Schedule.DAILY)
    schedule_hour = forms.TypedChoiceField(
        label=_("At"),
        choices=[(h, f"{h:02d}:00") for h in range(24)],
        coerce=int,
        initial=6,
        help_text=_("In the organization's time zone; hourly syncs run on the hour."),
    )
    schedule_weekday = forms.TypedChoiceField(
        label=pgettext_lazy("the day a weekly feed runs", "On"),
        choices=Weekday.choices,
        coerce=int,
        initial=0,
        help_text=_("For weekly syncs."),
    )
    enabled = forms.BooleanField(label=_("Sync on this schedule"), required=False, initial=True)

    def changes(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "schedule": data["schedule"],
            "schedule_hour": data["schedule_hour"],
            "schedule_weekday": data["schedule_weekday"],
            "enabled": data["enabled"],
        }


class PushForm(forms.Form):
    kind = forms.CharField(widget=forms.HiddenInput, initial=Kind.PUSH)
    enabled = forms.BooleanField(label=_("Accept values"), required=False, initial=True)

    def changes(self) -> dict[str, Any]:
        return {"enabled": self.cleaned_data["enabled"]}


class UrlForm(_ScheduleFields):
    kind = forms.CharField(widget=forms.HiddenInput, initial=Kind.URL)
    url = forms.CharField(
        label=_("Address"),
        max_length=URL_MAX,
        required=False,
        widget=forms.URLInput(attrs={"placeholder": "https://example.com/metrics.json"}),
    )
    format = forms.ChoiceField(
        label=_("Format"), choices=Format.choices, initial=Format.JSON, widget=forms.RadioSelect
    )
    path = forms.CharField(
        label=_("JSON path to the number"),
        max_length=rules.PATH_MAX,
        required=False,
        help_text=_("For example data.metrics[0].value or $.total; list items count from 0."),
    )
    csv_column = forms.CharField(
        label=_("CSV column"),
        max_length=200,
        required=False,
        help_text=_("Its name in the header row, or its position counting from 1."),
    )
    csv_row = forms.CharField(
        label=_("CSV row"),
        max_length=20,
        required=False,
        initial=rules.ROW_LAST,
        help_text=_("last, first, or a row number counting from 1 (after the header)."),
    )
    csv_filter = forms.CharField(
        label=_("Only rows where"),
        max_length=300,
        required=False,
        help_text=_("Optional, as column=value: e.g. region=EU."),
    )
    csv_header = forms.BooleanField(
        label=_("The first row holds the column names"), required=False, initial=True
    )
    headers = forms.CharField(
        label=_("Request headers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "autocomplete": "off", "spellcheck": "false"}),
        help_text=_(
            "One per line, as Name: value (e.g. Authorization: Bearer …). Saved headers are "
            "never shown again; leave this empty to keep them."
        ),
    )
    clear_headers = forms.BooleanField(label=_("Remove the saved headers"), required=False)

    field_order = [
        "kind",
        "url",
        "format",
        "path",
        "csv_column",
        "csv_row",
        "csv_filter",
        "csv_header",
        "headers",
        "clear_headers",
        "schedule",
        "schedule_hour",
        "schedule_weekday",
        "enabled",
    ]

    def changes(self) -> dict[str, Any]:
        data = self.cleaned_data
        headers: Any = None  # keep what is saved
        if data["headers"].strip():
            headers = data["headers"]
        elif data["clear_headers"]:
            headers = {}
        return {
            **super().changes(),
            "url": data["url"],
            "format": data["format"],
            "path": data["path"],
            "csv_column": data["csv_column"],
            "csv_row": data["csv_row"],
            "csv_filter": data["csv_filter"],
            "csv_header": data["csv_header"],
            "headers": headers,
        }


class SqlForm(_ScheduleFields):
    kind = forms.CharField(widget=forms.HiddenInput, initial=Kind.SQL)
    connection = forms.CharField(
        label=_("Connection"),
        required=False,
        widget=forms.TextInput(
            attrs={
                "placeholder": "postgresql://reader:secret@db.example.com:5432/metrics",
                "autocomplete": "off",
                "spellcheck": "false",
            }
        ),
        help_text=_(
            "A PostgreSQL connection string, or sqlite:///file.db for a file in the folder the "
            "operator set aside. The saved one is never shown again; leave this empty to keep it."
        ),
    )
    query = forms.CharField(
        label=_("Query"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
        help_text=_("One SELECT that returns one row with one number. It runs read-only."),
    )

    field_order = [
        "kind",
        "connection",
        "query",
        "schedule",
        "schedule_hour",
        "schedule_weekday",
        "enabled",
    ]

    def changes(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            **super().changes(),
            "connection": data["connection"].strip() or None,  # empty: keep the saved one
            "query": data["query"],
        }


FORMS: dict[str, type[forms.Form]] = {Kind.PUSH: PushForm, Kind.URL: UrlForm, Kind.SQL: SqlForm}
