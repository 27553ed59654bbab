"""tenfold demo: migrate, build the demo organization, print its logins, optionally serve."""

from __future__ import annotations

import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from tenfold.okrs.demo import NAME, PASSWORD, SLUG, build_demo, demo_delete
from tenfold.organizations.models import Membership, Organization, Role


class Command(BaseCommand):
    help = "Build the demo organization (Northwind Labs) and print how to sign in."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset", action="store_true", help="Delete the demo organization and build it again."
        )
        parser.add_argument("--serve", action="store_true", help="Serve it afterwards.")
        parser.add_argument("--host", default="127.0.0.1", help="Address to serve on.")
        parser.add_argument("--port", type=int, default=8000, help="Port to serve on.")

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        if options["reset"] and demo_delete():
            self.stdout.write("Removed the previous demo organization.")
        org = Organization.objects.filter(slug=SLUG).first()
        if org is None:
            started = time.monotonic()
            org, _logins = build_demo()
            self.stdout.write(f"Built {NAME} in {time.monotonic() - started:.1f} s.")
        self._print_logins(org, options["host"], options["port"])
        if options["serve"]:
            call_command("serve", host=options["host"], port=options["port"])

    def _print_logins(self, org: Organization, host: str, port: int) -> None:
        from tenfold.organizations.models import UnitMember

        first = Membership.objects.filter(organization=org).select_related("user").order_by("id")
        team = UnitMember.objects.filter(organization=org, unit__name="Onboarding")
        team = team.select_related("user").order_by("id")
        rows = [
            ("owner", first.filter(role=Role.OWNER).first()),
            ("admin", first.filter(role=Role.ADMIN).first()),
            ("team lead", team.filter(is_lead=True).first()),
            ("member", team.filter(is_lead=False).first()),
            ("viewer", first.filter(role=Role.VIEWER).first()),
        ]
        self.stdout.write("")
        self.stdout.write(f'Demo organization "{NAME}" is ready at http://{host}:{port}/')
        self.stdout.write(f"Sign in with any of these (password: {PASSWORD}):")
        for label, row in rows:
            if row is not None:
                self.stdout.write(f"  {label:10} {row.user.email:38} {row.user.name}")
        self.stdout.write("")
