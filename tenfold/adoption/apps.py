from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdoptionConfig(AppConfig):
    name = "tenfold.adoption"
    label = "adoption"
    verbose_name = _("Adoption programme")
