from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OkrcodeConfig(AppConfig):
    name = "tenfold.okrcode"
    label = "okrcode"
    verbose_name = _("OKRs as code")
