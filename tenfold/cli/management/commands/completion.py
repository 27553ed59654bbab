"""tenfold completion: print a shell completion script for bash, zsh or fish."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tenfold.cli.completion import SHELLS, script


class Command(BaseCommand):
    help = (
        "Print a completion script for bash, zsh or fish: commands, subcommands, options and "
        "the codes of the current cycle's OKRs. See docs/cli.md for how to install it."
    )

    # Nothing here depends on the checks, and completion must answer quickly.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("shell", choices=sorted(SHELLS), help="bash, zsh or fish.")

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(script(options["shell"]), ending="")
