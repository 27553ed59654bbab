"""tenfold demo: migrate, build the demo organization, print how to sign in, optionally serve."""

from __future__ import annotations

import time
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from tenfold.lib.validation import error_dict
from tenfold.okrs.demo import NAME, PASSWORD, SLUG, build_demo, demo_delete, demo_logins, is_demo
from tenfold.organizations.models import Organization


class Command(BaseCommand):
    help = (
        "Migrate the database, build the demo organization (Northwind Labs) unless it exists, "
        "print how to sign in, and optionally serve it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset",
            action="store_true",
            help=("Delete the demo organization and build it afresh."),
        )
        parser.add_argument(
            "--serve",
            action="store_true",
            help=("Then serve it with `tenfold serve`."),
        )
        parser.add_argument(
            "--host",
            default="127.0.0.1",
            help=("Address to serve on (default: %(default)s)."),
        )
        parser.add_argument("--port", type=int, default=8000, help=("Port (default: %(default)s)."))

    def handle(self, *args: Any, **options: Any) -> None:
        host, port = options["host"].strip(), options["port"]
        if not 0 < port < 65536:
            raise CommandError(_("The port must be between 1 and 65535."))
        call_command("migrate", interactive=False, verbosity=0)
        org = Organization.objects.filter(slug=SLUG).first()
        if org is not None and not is_demo(org):
            raise CommandError(
                _(
                    "An organization that is not the demo already uses the address /%(slug)s/; "
                    "the demo needs it."
                )
                % {"slug": SLUG}
            )
        if org is not None and options["reset"]:
            demo_delete()
            org = None
            self.stdout.write(_("Removed the previous demo organization."))
        if org is None:
            started = time.monotonic()
            try:
                org = build_demo()
            except ValidationError as error:  # pragma: no cover - the demo data is fixed
                messages = [m for ms in error_dict(error).values() for m in ms]
                raise CommandError(" ".join(messages)) from error
            self.stdout.write(
                _("Built %(name)s in %(seconds).1f s.")
                % {"name": NAME, "seconds": time.monotonic() - started}
            )
        else:
            self.stdout.write(
                _("%(name)s already exists (use --reset to rebuild it).") % {"name": NAME}
            )
        self._print_logins(host, port, serving=options["serve"])
        if options["serve"]:
            call_command("serve", host=host, port=port, with_worker=True)

    def _print_logins(self, host: str, port: int, *, serving: bool) -> None:
        shown = "localhost" if host in ("0.0.0.0", "::", "") else host  # nosec B104  # binds nothing
        address = f"[{shown}]" if ":" in shown else shown
        rows = [(_("Role"), _("Email"), _("Name"))] + [
            (_(label), email, name) for label, email, name in demo_logins()
        ]
        widths = [max(len(str(row[i])) for row in rows) for i in range(3)]
        self.stdout.write("")
        self.stdout.write(
            _('Demo organization "%(name)s" is ready at %(url)s')
            % {"name": NAME, "url": f"http://{address}:{port}/{SLUG}/"}
        )
        self.stdout.write(
            _("Sign in as any of these (password: %(password)s):") % {"password": PASSWORD}
        )
        self.stdout.write("")
        for index, row in enumerate(rows):
            line = "  ".join(
                str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)
            )
            self.stdout.write(f"  {line.rstrip()}")
            if index == 0:
                self.stdout.write("  " + "  ".join("-" * width for width in widths))
        self.stdout.write("")
        if not serving:
            self.stdout.write(_("Serve it with: tenfold serve (or tenfold demo --serve)."))
