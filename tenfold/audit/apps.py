from django.apps import AppConfig
from django.db.models.signals import pre_delete
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "tenfold.audit"
    label = "audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        from tenfold.organizations.models import Organization

        from .receivers import organization_deleting

        pre_delete.connect(
            organization_deleting,
            sender=Organization,
            dispatch_uid="tenfold.audit.organization_deleting",
        )
