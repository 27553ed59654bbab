from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedsConfig(AppConfig):
    name = "tenfold.feeds"
    label = "feeds"
    verbose_name = _("Key-result data feeds")
