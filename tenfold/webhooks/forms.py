"""The webhook form: name, address, which events, and the two switches."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from tenfold.integrations import net

from .events import EVENT_TYPES
from .models import NAME_MAX, URL_MAX


class WebhookForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=NAME_MAX,
        help_text=_("What it feeds, for example “Data warehouse” or “Team chat bot”."),
    )
    url = forms.CharField(
        label=_("Address"),
        max_length=URL_MAX,
        widget=forms.URLInput(attrs={"placeholder": "https://", "spellcheck": "false"}),
        help_text=_("Tenfold sends a signed POST request with a JSON body to this address."),
    )
    event_types = forms.MultipleChoiceField(
        label=_("Events"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "event-choices"}),
        choices=[(key, key) for key, _label in EVENT_TYPES],
        help_text=_("Tick none to receive every event, including event types added later."),
    )
    include_private = forms.BooleanField(
        label=_("Include objectives not everyone may see"),
        required=False,
        help_text=_(
            "Off: events about unit-only, private and personal objectives, and comments on "
            "weekly plans, are not sent. Turn on only when the receiver keeps them private."
        ),
    )
    active = forms.BooleanField(
        label=_("Active"),
        required=False,
        initial=True,
        help_text=_("Switched off, the webhook receives nothing until it is switched on again."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "webhook-%s")
        super().__init__(*args, **kwargs)
        # Built per request, so each description is in the language of the person reading it.
        self.fields["event_types"].choices = [  # type: ignore[attr-defined]
            (key, format_html('<code>{}</code> <span class="muted">{}</span>', key, label))
            for key, label in EVENT_TYPES
        ]

    def clean_url(self) -> str:
        url = str(self.cleaned_data.get("url") or "").strip()
        try:
            net.check_url(url)
        except net.UnsafeTarget as error:
            raise forms.ValidationError(str(error)) from error
        return url
