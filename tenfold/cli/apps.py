from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CliConfig(AppConfig):
    name = "tenfold.cli"
    label = "cli"
    verbose_name = _("Command line")
