"""A person's own preferences: the name others see, the language of the pages and emails, and
the time zone times are shown in. Not tied to an organization: they follow the person."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.shortcuts import render as django_render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from tenfold.accounts.services import preferences_set
from tenfold.lib.validation import time_zone_names
from tenfold.web.shortcuts import apply_errors


def _time_zone_choices() -> list[tuple[str, str]]:
    return [("", _("The organization's time zone")), *((z, z) for z in sorted(time_zone_names()))]


class PreferencesForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Your name"), max_length=150)
    language = forms.ChoiceField(label=gettext_lazy("Language"), required=False)
    time_zone = forms.ChoiceField(label=gettext_lazy("Time zone"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language: Any = self.fields["language"]
        language.choices = [
            ("", _("The one my browser asks for")),
            *((code, str(label)) for code, label in settings.LANGUAGES),
        ]
        self.fields["language"].help_text = _("Pages and the emails Tenfold sends you.")
        zone: Any = self.fields["time_zone"]
        zone.choices = _time_zone_choices()
        self.fields["time_zone"].help_text = _(
            "Times of check-ins, comments and activity. Weeks and cycles keep the "
            "organization's calendar."
        )


@require_http_methods(["GET", "HEAD", "POST"])
def my_preferences(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    status = 200
    form = PreferencesForm(
        initial={"name": user.name, "language": user.language, "time_zone": user.time_zone}
    )
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            try:
                preferences_set(
                    user=user,
                    name=form.cleaned_data["name"],
                    language=form.cleaned_data["language"],
                    time_zone=form.cleaned_data["time_zone"],
                )
            except ValidationError as error:
                apply_errors(form, error)
                status = 400
            else:
                messages.success(request, _("Your preferences are saved."))
                return redirect("my_preferences")
        else:
            status = 400
    return django_render(request, "web/my_preferences.html", {"form": form}, status=status)
