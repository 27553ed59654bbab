"""tenfold digest: show a weekly digest (as text, HTML or JSON), or email it to a member.

`show` is an operator's view: it prints the digest as its readers receive it (a unit's for the
unit's members, the company's for its leaders), or a subscriber's with `--subscriber`. With
`--as EMAIL` it is shown only when that person may read it. `send` emails it to one member of
the organization who may read it, in their language; it is not the weekly send, which the
worker does on its own."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tenfold.checkins.weekly import week_containing, week_of
from tenfold.organizations.cli import access_of
from tenfold.organizations.models import Membership, Organization, Unit, UnitKind
from tenfold.organizations.permissions import access_for

from ... import emails, services
from ...models import Subscriber
from ...selectors import digest_data, digest_for, may_read, subscriber_digest, week_end_of

FORMATS = ("text", "html", "json")


def organization_of(slug: str) -> Organization:
    organization = Organization.objects.filter(slug=(slug or "").strip().lower()).first()
    if organization is None:
        raise CommandError(_("No organization has the address “%(slug)s”.") % {"slug": slug})
    return organization


def unit_of(organization: Organization, wanted: str | None) -> Unit | None:
    """A unit by code or name; None for the company."""
    if not wanted:
        return None
    wanted = wanted.strip()
    unit = (
        Unit.objects.filter(organization=organization)
        .filter(Q(code=wanted.lower()) | Q(name__iexact=wanted))
        .first()
    )
    if unit is None:
        raise CommandError(_("No unit is called or coded “%(unit)s” here.") % {"unit": wanted})
    unit.organization = organization
    return None if unit.kind == UnitKind.COMPANY else unit


def week_from(organization: Organization, raw: str | None) -> dt.date:
    if not raw:
        return week_of(organization)
    try:
        return week_containing(organization, dt.date.fromisoformat(raw.strip()))
    except ValueError:
        raise CommandError(
            _("“%(week)s” is not a date; give the week as YYYY-MM-DD.") % {"week": raw}
        ) from None


class Command(BaseCommand):
    help = "Show a weekly digest of a team or of the company, or email it to a member now."

    def add_arguments(self, parser: CommandParser) -> None:
        common = CommandParser(add_help=False)
        common.add_argument(
            "--org", required=True, metavar="SLUG", help="The organization's address."
        )
        common.add_argument(
            "--unit", metavar="UNIT", help="A unit's code or name (default: the company)."
        )
        common.add_argument(
            "--week",
            metavar="DATE",
            help="Any day of the week (YYYY-MM-DD); default: this week, as it stands now.",
        )
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")

        show = actions.add_parser("show", parents=[common], help="Print a digest.")
        show.add_argument(
            "--format", choices=FORMATS, default="text", help="text (default), html or json."
        )
        show.add_argument(
            "--as",
            dest="email",
            metavar="EMAIL",
            help="Show it only if this person may read it.",
        )
        show.add_argument(
            "--subscriber",
            metavar="CODE",
            help="Show what this subscriber receives (their unit, sections and names flag).",
        )
        show.add_argument(
            "--language", metavar="LANG", help="Language of text and html (default: the org's)."
        )

        send = actions.add_parser(
            "send", parents=[common], help="Email a digest to one member now."
        )
        send.add_argument(
            "--to",
            required=True,
            metavar="EMAIL",
            help="A member of the organization who may read this digest.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        organization = organization_of(options["org"])
        if options["action"] == "show":
            self.show(organization, options)
        else:
            self.send(organization, options)

    def show(self, organization: Organization, options: dict[str, Any]) -> None:
        week = week_from(organization, options.get("week"))
        week_end = week_end_of(organization, week)
        fmt = options["format"]
        code = options.get("subscriber")
        if code:
            subscriber = (
                Subscriber.objects.filter(organization=organization, code=code.strip().lower())
                .select_related("unit")
                .first()
            )
            if subscriber is None:
                raise CommandError(_("No subscriber has the code “%(code)s”.") % {"code": code})
            subscriber.organization = organization
            digest = subscriber_digest(subscriber, min(week_end, timezone.now()))
            sections = emails.subscriber_sections(subscriber)
            if fmt == "json":
                data = digest_data(digest, sections=sections, names=subscriber.include_names)
                self._json(data)
                return
            rendered = emails.render_subscriber(digest, subscriber)
        else:
            unit = unit_of(organization, options.get("unit"))
            if options.get("email"):
                access = access_of(options["email"], organization.slug)
                if not may_read(access, unit):
                    raise CommandError(
                        _("%(email)s may not read this digest.") % {"email": options["email"]}
                    )
            digest = digest_for(organization, unit, week_end)
            if fmt == "json":
                self._json(digest_data(digest))
                return
            language = emails.language_of(organization)
            if options.get("language"):
                language = emails.language_of(organization, _Wanted(options["language"]))
            rendered = emails.render_member(digest, language=language)
        self.stdout.write(rendered.html if fmt == "html" else rendered.text)

    def _json(self, data: Any) -> None:
        self.stdout.write(json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2))

    def send(self, organization: Organization, options: dict[str, Any]) -> None:
        unit = unit_of(organization, options.get("unit"))
        week = week_from(organization, options.get("week"))
        email = options["to"].strip()
        membership = (
            Membership.objects.filter(organization=organization, user__email__iexact=email)
            .select_related("organization", "user")
            .first()
        )
        if membership is None:
            raise CommandError(
                _("%(email)s is not a member of %(org)s: digests go to members only.")
                % {"email": email, "org": organization.name}
            )
        access = access_for(membership)
        if not may_read(access, unit):
            raise CommandError(_("%(email)s may not read this digest.") % {"email": email})
        row = services.digest_email_now(
            access=access, unit=unit, week_end=week_end_of(organization, week)
        )
        if row is None:
            self.stdout.write(_("Already sent to %(email)s this minute.") % {"email": email})
        elif row.status == "sent":
            self.stdout.write(
                _("Sent “%(subject)s” to %(email)s.") % {"subject": row.subject, "email": email}
            )
        else:
            raise CommandError(_("The email could not be sent: %(error)s") % {"error": row.error})


class _Wanted:
    """Stands for a reader who asked for a language."""

    def __init__(self, language: str) -> None:
        self.language = language
