from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy


class AllowedHostForm(forms.Form):
    host = forms.CharField(label=gettext_lazy("Host, IP address or network"), max_length=253)
    note = forms.CharField(label=gettext_lazy("Why"), max_length=200, required=False)
