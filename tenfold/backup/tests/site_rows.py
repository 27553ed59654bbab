"""Rows in every table of a backup's site part, with every kind of reference: a superuser and
a person outside any organization, a group with a permission, verified email addresses, and
one row of each integration table (tokens, webhooks and their deliveries, chat, calendar
keys, data feeds, allowed hosts, sent notifications, digest runs, received emails, a
sandbox, a site-level audit event)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group, Permission

from tenfold.accounts.models import ApiToken, User
from tenfold.adoption.models import Sandbox
from tenfold.audit.models import AuditEvent
from tenfold.calendars.models import CalendarKey
from tenfold.chat.models import AlertState, ChatChannel
from tenfold.digests.models import DigestRun
from tenfold.feeds.models import DataSource
from tenfold.integrations.models import AllowedHost
from tenfold.mailin.models import InboundMessage
from tenfold.notifications.models import Delivery
from tenfold.okrs.models import KeyResult
from tenfold.organizations.models import Organization, Unit
from tenfold.webhooks.models import Webhook, WebhookDelivery

PASSWORD = "a-backup-keeps-passwords"
WHEN = dt.datetime(2026, 3, 2, 8, 30, 15, 123456, tzinfo=dt.UTC)


def add_site_rows(organization: Organization, *, tag: str = "") -> None:
    """Add the rows, referring to people, units and key results of `organization`."""
    unit = Unit.objects.filter(organization=organization).order_by("pk").last()
    key_result = KeyResult.objects.filter(organization=organization).order_by("pk").first()
    person = organization.memberships.order_by("pk").first().user  # type: ignore[attr-defined,union-attr]
    assert unit is not None and key_result is not None

    admin = User.objects.create_superuser(email=f"root{tag}@example.org", password=PASSWORD)
    loner = User.objects.create_user(
        email=f"loner{tag}@example.org", password=PASSWORD, name="Lone Ranger", is_active=False
    )
    User.objects.filter(pk=admin.pk).update(last_login=WHEN)
    group = Group.objects.create(name=f"Auditors{tag}")
    permission = Permission.objects.get(codename="view_organization")
    group.permissions.add(permission)
    loner.groups.add(group)
    admin.user_permissions.add(Permission.objects.get(codename="change_user"))
    EmailAddress.objects.create(user=admin, email=admin.email, verified=True, primary=True)
    # The person's own address is proven already (tenfold.conftest); a second one is not.
    EmailAddress.objects.create(
        user=person, email=f"second{tag}@example.org", verified=False, primary=False
    )

    ApiToken.objects.create(
        user=person,
        organization=organization,
        name="Sync",
        prefix=f"tf_{tag}abc123",
        digest=f"{tag}{'d' * 60}"[:64],
        last_used_at=WHEN,
    )
    AllowedHost.objects.create(
        organization=organization, host=f"bi{tag}.internal", created_by=admin
    )
    hook = Webhook.objects.create(
        organization=organization,
        name="BI",
        url="https://hooks.example.com/okrs",
        secret="s3cret",
        event_types=["checkin.recorded"],
        created_by=person,
    )
    WebhookDelivery.objects.create(
        organization=organization,
        webhook=hook,
        event_id=f"evt{tag}1",
        event_type="checkin.recorded",
        payload={"value": "42.5", "nested": {"ok": True}},
        next_attempt_at=WHEN,
    )
    ChatChannel.objects.create(
        organization=organization,
        unit=unit,
        provider="slack",
        name="#growth",
        webhook_url="https://hooks.slack.example/T000/B000/XXX",
        kinds=["weekly"],
    )
    AlertState.objects.create(
        organization=organization, key_result=key_result, last_status="at_risk", changed_at=WHEN
    )
    CalendarKey.objects.create(organization=organization, user=person, key=f"cal{tag}key")
    CalendarKey.objects.create(organization=organization, unit=unit, key=f"cal{tag}unit")
    DataSource.objects.create(
        organization=organization,
        key_result=key_result,
        kind="push",
        token_prefix=f"fd{tag}x",
        token_digest=f"{tag}{'f' * 60}"[:64],
        last_value=Decimal("12.50"),
    )
    Delivery.objects.create(
        organization=organization,
        recipient=person.email,
        channel="email",
        kind="weekly",
        period="2026-W10",
        user=person,
        unit=unit,
    )
    DigestRun.objects.create(organization=organization, period="2026-W10", sent=3)
    InboundMessage.objects.create(
        organization=organization,
        user=person,
        week=dt.date(2026, 3, 2),
        message_id=f"<m{tag}@example.com>",
        status="applied",
        summary={"checkins": 1},
    )
    if AuditEvent._meta.get_field("organization").null:
        # A site-level event: the removal of an organization is recorded outside it.
        AuditEvent.objects.create(
            organization=None,
            actor=admin,
            verb="organization.deleted",
            object_type="organization",
            object_code=f"gone{tag}",
            object_repr="Gone Ltd",
            changes={"events": 12},
            created_at=WHEN,
        )
    sandbox = Organization.objects.create(name="Sandbox", slug=f"sandbox{tag}")
    Sandbox.objects.create(
        organization=sandbox, person=loner, home=organization, email_domain=f"sb{tag}.example"
    )
