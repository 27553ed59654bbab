"""tenfold search: find objectives, key results, people and units by a few words of their
title, name or code, as the person given with `--as` may see them: the same search as the
web's command palette and GET /api/v1/orgs/{org}/search (`tenfold.okrs.search`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from tenfold.cli.output import dumps, print_table
from tenfold.okrs.search import (
    KEY_RESULT,
    KINDS,
    OBJECTIVE,
    PER_KIND,
    PERSON,
    UNIT,
    quick_search,
    results_data,
)
from tenfold.organizations.cli import access_of, error_message

LIMIT_MAX = 25


def _limit(text: str) -> int:
    import argparse

    try:
        number = int(text)
    except ValueError:
        number = 0
    if not 1 <= number <= LIMIT_MAX:
        raise argparse.ArgumentTypeError(
            _("give a whole number from 1 to %(max)d") % {"max": LIMIT_MAX}
        )
    return number


class Command(BaseCommand):
    help = (
        "Find objectives, key results, people and units whose title, name or code holds every "
        "word of QUERY, as the person given with --as sees them. The current cycle comes first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("query", nargs="+", metavar="QUERY", help="Words to look for.")
        parser.add_argument(
            "--as",
            dest="email",
            required=True,
            metavar="EMAIL",
            help="Email of the person searching: only what they may see is found.",
        )
        parser.add_argument(
            "--org",
            metavar="SLUG",
            help="The organization's address (default: the person's only organization).",
        )
        parser.add_argument(
            "--limit",
            type=_limit,
            default=PER_KIND,
            metavar="N",
            help=f"Results of each kind at most (1 to {LIMIT_MAX}, default {PER_KIND}).",
        )
        parser.add_argument("--json", action="store_true", help="Print the API's JSON shape.")

    def handle(self, *args: Any, **options: Any) -> None:
        access = access_of(options["email"], options.get("org"))
        try:
            results = quick_search(access, " ".join(options["query"]), per_kind=options["limit"])
        except ValidationError as error:
            raise CommandError(error_message(error)) from error
        if options["json"]:
            self.stdout.write(dumps(results_data(results, lambda path: settings.SITE_URL + path)))
            return
        labels = {
            OBJECTIVE: _("Objective"),
            KEY_RESULT: _("Key result"),
            PERSON: _("Person"),
            UNIT: _("Unit"),
        }
        rows = [
            [labels[kind], hit.code, hit.title, hit.context_line]
            for kind in (OBJECTIVE, KEY_RESULT, UNIT, PERSON)
            for hit in results.of(kind)
        ]
        if not rows:
            self.stdout.write(_("Nothing matches “%(query)s”.") % {"query": results.query})
            return
        print_table(self.stdout, [_("Kind"), _("Code"), _("Title"), _("Context")], rows)
        more = [labels[kind].lower() for kind in KINDS if results.more[kind]]
        if more:
            self.stdout.write(
                _("More match than shown (%(kinds)s): add a word, or raise --limit.")
                % {"kinds": ", ".join(more)}
            )
