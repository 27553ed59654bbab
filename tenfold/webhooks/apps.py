from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    name = "tenfold.webhooks"
    label = "webhooks"
    verbose_name = _("Webhooks")

    def ready(self) -> None:
        from tenfold.audit.models import AuditEvent

        from .receivers import audit_event_saved

        post_save.connect(
            audit_event_saved, sender=AuditEvent, dispatch_uid="tenfold.webhooks.audit_event"
        )
