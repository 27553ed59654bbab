from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from tenfold.lib.validation import time_zone_names
from tenfold.organizations.models import Weekday

from .models import PERSONAL_KINDS, Kind

TIME_ZONES = sorted(time_zone_names())


def _kind_choices() -> list[tuple[str, Any]]:
    return [(str(kind), Kind(kind).label) for kind in PERSONAL_KINDS]


class PreferenceForm(forms.Form):
    email = forms.BooleanField(label=gettext_lazy("Send me email"), required=False)
    kinds_on = forms.MultipleChoiceField(
        label=gettext_lazy("What I receive"),
        choices=_kind_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    muted_until = forms.DateField(
        label=gettext_lazy("Pause everything until (inclusive)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("For holidays and leave. Leave empty to receive as usual."),
    )
    time_zone = forms.ChoiceField(
        label=gettext_lazy("My time zone"),
        required=False,
        choices=lambda: (
            [("", gettext_lazy("The team's or organization's"))] + [(tz, tz) for tz in TIME_ZONES]
        ),
        help_text=gettext_lazy("Reminders arrive at your team's check-in hour in this zone."),
    )


class OrgSettingsForm(forms.Form):
    weekly_reminders = forms.BooleanField(
        label=gettext_lazy("Weekly check-in reminders (plans and key results)"), required=False
    )
    stale_nudges = forms.BooleanField(
        label=gettext_lazy("Nudge owners of stale key results (at most once a day, three a week)"),
        required=False,
    )
    review_reminder_days = forms.IntegerField(
        label=gettext_lazy("Remind leads to review this many days before a cycle ends"),
        min_value=0,
        max_value=60,
        help_text=gettext_lazy("0 turns review reminders off."),
    )
    digests = forms.BooleanField(label=gettext_lazy("Weekly digests"), required=False)
    digest_weekday = forms.TypedChoiceField(
        label=gettext_lazy("Digest day"), coerce=int, choices=Weekday.choices
    )
    digest_hour = forms.IntegerField(label=gettext_lazy("Digest hour"), min_value=0, max_value=23)


class ScheduleForm(forms.Form):
    checkin_weekday = forms.TypedChoiceField(
        label=gettext_lazy("Check-in day"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=lambda: [("", gettext_lazy("The organization's")), *list(Weekday.choices)],
    )
    checkin_hour = forms.IntegerField(
        label=gettext_lazy("Check-in hour"),
        min_value=0,
        max_value=23,
        required=False,
        help_text=gettext_lazy("Empty: the organization's hour."),
    )
    time_zone = forms.ChoiceField(
        label=gettext_lazy("Time zone"),
        required=False,
        choices=lambda: (
            [("", gettext_lazy("The organization's"))] + [(tz, tz) for tz in TIME_ZONES]
        ),
    )
    reminders = forms.BooleanField(
        label=gettext_lazy("Send this team weekly reminders"), required=False
    )
