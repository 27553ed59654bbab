from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tenfold.organizations.models import Organization


class AllowedHost(models.Model):
    """A host on a private network that an admin lets this organization's webhooks and data
    feeds reach. Without a row here, outbound requests refuse loopback, link-local and private
    addresses."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="allowed_hosts"
    )
    host = models.CharField(
        _("host"),
        max_length=253,
        help_text=_("A host name, an IP address or a network such as 10.1.0.0/16."),
    )
    note = models.CharField(_("why"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("host",)
        constraints = [
            models.UniqueConstraint(fields=["organization", "host"], name="allowed_host_once")
        ]

    def __str__(self) -> str:
        return self.host
