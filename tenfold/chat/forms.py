"""Forms of the chat pages. They only parse input; the rules (a usable URL, known kinds, a
name, who may do it) live in the services, whose messages land on the form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CHAT_KINDS, NAME_MAX, URL_MAX, Provider, kind_label


def kind_choices() -> list[tuple[str, str]]:
    return [(kind, kind_label(kind)) for kind in CHAT_KINDS]


class ChannelForm(forms.Form):
    provider = forms.ChoiceField(
        label=_("Chat service"),
        choices=Provider.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    name = forms.CharField(
        label=_("Channel name"),
        required=False,
        help_text=_("How you recognise it here, for example #growth-team."),
        widget=forms.TextInput(attrs={"maxlength": NAME_MAX}),
    )
    url = forms.CharField(
        label=_("Incoming webhook URL"),
        required=False,
        widget=forms.TextInput(
            attrs={"maxlength": URL_MAX, "autocomplete": "off", "spellcheck": "false"}
        ),
    )
    kinds = forms.MultipleChoiceField(
        label=_("Post to this channel"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kinds"].choices = kind_choices()  # type: ignore[attr-defined]


class ChannelEditForm(forms.Form):
    name = ChannelForm.base_fields["name"]
    kinds = forms.MultipleChoiceField(
        label=_("Post to this channel"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    active = forms.BooleanField(
        label=_("Active"),
        required=False,
        help_text=_("Switch it off to pause every message without losing the settings."),
    )
    url = forms.CharField(
        label=_("New webhook URL"),
        required=False,
        help_text=_("Only when the old one was replaced; leave empty to keep it."),
        widget=forms.TextInput(
            attrs={"maxlength": URL_MAX, "autocomplete": "off", "spellcheck": "false"}
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kinds"].choices = kind_choices()  # type: ignore[attr-defined]
