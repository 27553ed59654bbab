"""Writes of the integrations app: the allow-list of private hosts."""

from __future__ import annotations

import ipaddress
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tenfold.audit.services import audit_record
from tenfold.organizations.models import Organization

from .models import AllowedHost

_HOSTNAME = re.compile(
    r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$"
)


def normalize_host(raw: str) -> str:
    host = (raw or "").strip().lower().rstrip(".")
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    try:
        return (
            str(ipaddress.ip_network(host, strict=False))
            if "/" in host
            else str(ipaddress.ip_address(host))
        )
    except ValueError:
        pass
    if not _HOSTNAME.match(host):
        raise ValidationError(
            {
                "host": [
                    _("Give a host name (db.internal), an IP address or a network (10.0.0.0/8).")
                ]
            }
        )
    return host


def allowed_host_add(
    *, organization: Organization, host: str, note: str = "", by: Any
) -> AllowedHost:
    clean = normalize_host(host)
    if AllowedHost.objects.filter(organization=organization, host=clean).exists():
        raise ValidationError({"host": [_("%(host)s is already allowed.") % {"host": clean}]})
    with transaction.atomic():
        row = AllowedHost.objects.create(
            organization=organization, host=clean, note=(note or "").strip()[:200], created_by=by
        )
        audit_record(
            organization=organization,
            actor=by,
            verb="integrations.host_allowed",
            obj=organization,
            changes={"host": clean},
        )
    return row


def allowed_host_remove(*, organization: Organization, host: AllowedHost, by: Any) -> None:
    with transaction.atomic():
        audit_record(
            organization=organization,
            actor=by,
            verb="integrations.host_removed",
            obj=organization,
            changes={"host": host.host},
        )
        host.delete()
