"""tenfold examples: browse and search the example OKRs, show one, or start a draft objective
from one.

Reading needs no account. `--use` runs as the person given with `--as`, through the same service
as the web page, so it may do exactly what that person may do there."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from tenfold.accounts.models import User
from tenfold.lib.validation import error_dict
from tenfold.okrs.models import Cycle, Level
from tenfold.organizations.models import Membership, Unit
from tenfold.organizations.permissions import access_for

from ...library import Example, example, functions, search
from ...library.services import example_use

LANGUAGES = ("en", "zh-hans", "es")


def error_message(error: ValidationError) -> str:
    parts: list[str] = []
    for field, messages in error_dict(error).items():
        prefix = "" if field == "__all__" else f"{field}: "
        parts.extend(prefix + message for message in messages)
    return " ".join(parts)


class Command(BaseCommand):
    help = (
        "Browse and search the example OKRs (every word of QUERY must appear), show one with "
        "--show, or start a draft objective from one with --use."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("query", nargs="*", metavar="QUERY", help="Words to look for.")
        parser.add_argument(
            "--function", metavar="F", help="Only this function (e.g. sales, engineering)."
        )
        parser.add_argument("--json", action="store_true", help="Print JSON instead of text.")
        parser.add_argument(
            "--language",
            choices=LANGUAGES,
            help="Language of the examples (default: the server's language).",
        )
        parser.add_argument("--show", metavar="SLUG", help="Print one example in full.")
        parser.add_argument(
            "--use", metavar="SLUG", help="Start a draft objective from this example."
        )
        parser.add_argument("--org", metavar="ORG", help="With --use: the organization's slug.")
        parser.add_argument(
            "--unit", metavar="CODE", help="With --use: the code of the unit that will own it."
        )
        parser.add_argument("--cycle", metavar="CODE", help="With --use: the cycle's code.")
        parser.add_argument(
            "--as", dest="email", metavar="EMAIL", help="With --use: who is writing it."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options.get("language") or translation.get_language()):
            if options.get("use"):
                self.use(options)
            elif options.get("show"):
                self.show(options["show"], options["json"])
            else:
                self.list(" ".join(options["query"]), options.get("function"), options["json"])

    # --- reading ----------------------------------------------------------------------------

    def _print_json(self, data: Any) -> None:
        self.stdout.write(json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2))

    def _example(self, slug: str) -> Example:
        found = example(slug)
        if found is None:
            raise CommandError(
                _("No example is called “%(slug)s” (`tenfold examples` lists them).")
                % {"slug": slug}
            )
        return found

    def list(self, query: str, function: str | None, as_json: bool) -> None:
        keys = dict(functions())
        if function and function not in keys:
            raise CommandError(
                _("Unknown function “%(f)s”. Use one of: %(keys)s")
                % {"f": function, "keys": ", ".join(keys)}
            )
        found = search(query, function)
        if as_json:
            self._print_json([item.as_dict() for item in found])
            return
        if not found:
            self.stdout.write(_("No example matches."))
            return
        for item in found:
            self.stdout.write(f"{item.slug}  [{item.function_label}] {item.title}")
        self.stdout.write(_("%(n)d examples. Show one with --show SLUG.") % {"n": len(found)})

    def show(self, slug: str, as_json: bool) -> None:
        item = self._example(slug)
        if as_json:
            self._print_json(item.as_dict())
            return
        write = self.stdout.write
        write(item.title)
        write(f"{item.function_label} · {item.level_label} · {item.type_label}  ({item.slug})")
        write("")
        write(item.description)
        write("")
        write(_("Key results:"))
        for kr in item.key_results:
            write(f"  - {kr.title}")
        write(_("Suggested weekly plans:"))
        for plan in item.plans:
            write(f"  - {plan}")
        write(_("Why this is a good OKR:"))
        write(f"  {item.note}")

    # --- using --------------------------------------------------------------------------------

    def use(self, options: dict[str, Any]) -> None:
        item = self._example(options["use"])
        missing = [
            flag
            for flag, key in (("--as", "email"), ("--org", "org"), ("--cycle", "cycle"))
            if not options.get(key)
        ]
        if item.level != Level.PERSONAL and not options.get("unit"):
            missing.append("--unit")
        if missing:
            raise CommandError(_("--use also needs %(flags)s.") % {"flags": ", ".join(missing)})
        email = options["email"].strip()
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(_("Nobody signs in as %(email)s.") % {"email": email})
        membership = (
            Membership.objects.select_related("organization", "user")
            .filter(user=user, organization__slug=options["org"].strip())
            .first()
        )
        if membership is None:
            raise CommandError(
                _("%(email)s is not a member of the organization “%(org)s”.")
                % {"email": email, "org": options["org"]}
            )
        organization = membership.organization
        unit = None
        if item.level != Level.PERSONAL:
            unit = Unit.objects.filter(organization=organization, code=options["unit"]).first()
            if unit is None:
                raise CommandError(
                    _("No unit of %(org)s has the code “%(code)s”.")
                    % {"org": organization.slug, "code": options["unit"]}
                )
        cycle = Cycle.objects.filter(organization=organization, code=options["cycle"]).first()
        if cycle is None:
            raise CommandError(
                _("No cycle of %(org)s has the code “%(code)s”.")
                % {"org": organization.slug, "code": options["cycle"]}
            )
        try:
            objective = example_use(
                example=item,
                access=access_for(membership),
                unit=unit,
                cycle=cycle,
                by=user,
            )
        except ValidationError as error:
            raise CommandError(error_message(error)) from error
        except PermissionDenied as error:
            raise CommandError(
                str(error) or _("%(email)s may not create this objective.") % {"email": email}
            ) from error
        path = reverse("objective", kwargs={"org": organization.slug, "code": objective.code})
        if options["json"]:
            self._print_json(
                {
                    "code": objective.code,
                    "path": path,
                    "title": objective.title,
                    "state": objective.state,
                    "key_results": objective.key_results.count(),
                }
            )
            return
        self.stdout.write(
            _("Draft objective %(code)s created from “%(slug)s” with %(n)d key results: %(path)s")
            % {
                "code": objective.code,
                "slug": item.slug,
                "n": objective.key_results.count(),
                "path": path,
            }
        )
