from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiguardConfig(AppConfig):
    name = "tenfold.apiguard"
    label = "apiguard"
    verbose_name = _("API guard")
