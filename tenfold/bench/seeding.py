"""A deterministic synthetic organization shaped like a real one (`tenfold seed`).

About one team per ten people, teams grouped in departments of five to fifteen teams,
four closed quarters and the active one (each with company, department and team objectives,
three to five key results each, aligned upward), weekly check-ins with trends and gaps,
weekly reports for nearly everybody, comments, initiatives and reviews. The same number of
people, seed and day always give the same data, public codes included.

The benchmark signs in with the fixed accounts of `sign_in()` and `PASSWORD`, and finds what
to measure with `targets()`.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from tenfold.accounts.models import User
from tenfold.audit.models import AuditEvent
from tenfold.db.jobs import analyze
from tenfold.lib.longrun import Progress
from tenfold.lib.validation import Errors
from tenfold.organizations.models import Organization, UnitKind

from .seed_build import FORMAT, SEEDED_VERB, Builder, SeedStats

PASSWORD = "tenfold-seed-password"  # nosec B105  # synthetic benchmark accounts only
"""The password of every synthetic account."""

SIGN_IN = {
    "owner": "owner",
    "admin": "admin",
    "head": "head",
    "lead": "lead",
    "member": "member",
    "viewer": "viewer",
}
"""The fixed accounts (by role: email local part) of every synthetic organization: the owner,
an admin, the head of the first department, the lead of its first team, a member of that team
(with key results to check in on and items in this week's report) and a viewer. Their full
addresses depend on the organization's address: see `sign_in()`."""

MIN_PEOPLE = 10
MAX_PEOPLE = 200_000

__all__ = [
    "MAX_PEOPLE",
    "MIN_PEOPLE",
    "PASSWORD",
    "SIGN_IN",
    "SeedStats",
    "Targets",
    "default_slug",
    "seed_delete",
    "seed_organization",
    "seeded_parameters",
    "sign_in",
    "targets",
]


def default_slug(people: int, seed: int = 1) -> str:
    """`synthetic-10000` for seed 1, `synthetic-10000-s7` for seed 7."""
    return f"synthetic-{people}" if seed == 1 else f"synthetic-{people}-s{seed}"


def email_domain(slug: str) -> str:
    return f"{slug}.example.com"


def sign_in(slug: str) -> dict[str, str]:
    """The email addresses of the fixed accounts of the synthetic organization at `slug`."""
    return {role: f"{local}@{email_domain(slug)}" for role, local in SIGN_IN.items()}


def seeded_parameters(organization: Organization) -> dict[str, Any] | None:
    """How a synthetic organization was built (people, seed, today, format); None when the
    organization was not built by `seed_organization`."""
    event = (
        AuditEvent.objects.filter(organization=organization, verb=SEEDED_VERB)
        .order_by("id")
        .first()
    )
    return dict(event.changes) if event is not None else None


def check_parameters(*, people: Any, seed: Any, slug: str | None, today: Any) -> Errors:
    errors = Errors()
    if not isinstance(people, int) or isinstance(people, bool):
        errors.add("people", _("The number of people must be a whole number."))
    elif not MIN_PEOPLE <= people <= MAX_PEOPLE:
        errors.add(
            "people",
            _("Choose between %(low)d and %(high)d people.")
            % {"low": MIN_PEOPLE, "high": MAX_PEOPLE},
        )
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        errors.add("seed", _("The seed must be a whole number, 0 or more."))
    if slug is not None and (not slug or slugify(slug) != slug or len(slug) > 40):
        errors.add(
            "slug",
            _("Choose an address of at most 40 lowercase letters, digits and dashes."),
        )
    if today is not None and not isinstance(today, dt.date):
        errors.add("today", _("The day must be a date."))
    return errors


def seed_organization(
    *,
    people: int,
    seed: int = 1,
    slug: str | None = None,
    progress: Progress | None = None,
    today: dt.date | None = None,
    stats: SeedStats | None = None,
) -> Organization:
    """Build the synthetic organization of `people` people from `seed`, as of `today`
    (default: today, UTC), at `slug` (default: `default_slug(people, seed)`).

    The address must be free (see `seed_delete`). Raises `ValidationError` for bad input and
    `Cancelled` when the progress is cancelled; either way nothing is written. `stats`, when
    given, receives the seconds per phase and the rows per table."""
    errors = check_parameters(people=people, seed=seed, slug=slug, today=today)
    errors.raise_if_any()
    slug = slug or default_slug(people, seed)
    today = today or timezone.localdate(timezone.now(), timezone=dt.UTC)
    stats = stats if stats is not None else SeedStats()
    progress = progress or Progress()
    domain = email_domain(slug)
    if Organization.objects.filter(slug=slug).exists():
        errors.add("slug", _("The address “%(slug)s” is taken.") % {"slug": slug})
    elif (
        User.objects.filter(email__endswith=f"@{domain}", memberships__isnull=False)
        .distinct()
        .exists()
    ):
        errors.add(
            "slug",
            _("People with addresses at %(domain)s already belong to an organization.")
            % {"domain": domain},
        )
    errors.raise_if_any()
    name = f"Synthetic {people}" if seed == 1 else f"Synthetic {people} (seed {seed})"
    with transaction.atomic():
        # Accounts left behind by an earlier build that was removed (they belong nowhere).
        User.objects.filter(email__endswith=f"@{domain}").delete()
        with _fast_sqlite():
            organization = Builder(
                people=people,
                seed=seed,
                slug=slug,
                name=name,
                domain=domain,
                password=PASSWORD,
                today=today,
                sign_in=sign_in(slug),
                progress=progress,
                stats=stats,
            ).build()
        started = time.monotonic()
    stats.phases["commit"] = round(time.monotonic() - started, 2)
    # Fresh planner statistics: without them SQLite picks poor plans over millions of rows (a
    # dashboard query went from minutes to milliseconds), and PostgreSQL's autovacuum would only
    # catch up later. SQLite samples (analysis_limit) so that this stays a matter of seconds.
    started = time.monotonic()
    analyze()
    stats.phases["analyze"] = round(time.monotonic() - started, 2)
    progress.finish()
    return organization


class _fast_sqlite:
    """A bigger page cache while seeding SQLite: indexes of millions of rows are built
    without going back to disk for every page."""

    def __enter__(self) -> None:
        self.previous = None
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA cache_size")
                self.previous = cursor.fetchone()[0]
                cursor.execute("PRAGMA cache_size = -524288")  # 512 MiB

    def __exit__(self, *exc: object) -> None:
        if self.previous is not None:
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA cache_size = {int(self.previous)}")


def seed_delete(organization: Organization) -> None:
    """Remove a synthetic organization and its people, fast: the biggest tables are emptied
    with one statement each instead of row by row."""
    from tenfold.checkins.models import CheckIn, WeeklyItem, WeeklyReport
    from tenfold.okrs.models import Alignment, Cycle, Initiative, KeyResult, Objective
    from tenfold.organizations.models import Unit
    from tenfold.reviews.models import Review, ReviewScore
    from tenfold.social.models import Comment, Mention, Reaction

    if seeded_parameters(organization) is None:
        raise ValueError("not a synthetic organization")
    domain = email_domain(organization.slug)
    with transaction.atomic():
        scope = {"organization": organization}
        big: list[Any] = [
            Review,
            WeeklyItem,
            WeeklyReport,
            CheckIn,
            Initiative,
            Alignment,
            KeyResult,
            Objective,
            AuditEvent,
        ]
        small: list[Any] = [Mention, Reaction, Comment]
        # Rows of other features that point into the big tables (habits, chat alerts, data
        # feeds, ideas, …) go the ordinary way first.
        for model in big:
            for relation in model._meta.related_objects:
                other = relation.related_model
                if other in big or other in small or other is ReviewScore:
                    continue
                name = relation.field.name
                rows = other._base_manager.filter(**{f"{name}__organization": organization})
                if relation.on_delete is models.SET_NULL:
                    rows.update(**{name: None})
                else:
                    rows.delete()
        # Then the big tables, emptied with one statement each, children first.
        for model in small:
            _wipe(model.objects.filter(**scope))
        ReviewScore.objects.filter(review__organization=organization).delete()
        for model in big:
            _wipe(model.objects.filter(**scope))
        # Whatever else the organization gathered since (sessions of use, deliveries, …).
        Cycle.objects.filter(**scope, parent__isnull=False).delete()
        Cycle.objects.filter(**scope).delete()
        for kind in (UnitKind.TEAM, UnitKind.DEPARTMENT, UnitKind.COMPANY):
            Unit.objects.filter(**scope, kind=kind).delete()
        organization.delete()
        User.objects.filter(email__endswith=f"@{domain}", memberships__isnull=True).delete()


def _wipe(rows: Any) -> None:
    """Delete with one statement: no signals, no cascades (what refers to these rows is
    deleted before them)."""
    rows._raw_delete(rows.db)


@dataclass(frozen=True)
class Targets:
    """What the benchmark measures in a synthetic organization, found the same way every
    time: the first department, its first team, that team's first objective of the active
    cycle and the key result of it that the member owns."""

    slug: str
    cycle_code: str
    department_code: str
    team_code: str
    objective_code: str
    key_result_code: str
    sign_in: dict[str, str]
    password: str = PASSWORD


def targets(organization: Organization) -> Targets:
    from tenfold.okrs.models import CycleState, KeyResult, Objective
    from tenfold.organizations.models import Unit

    emails = sign_in(organization.slug)
    member = User.objects.get(email=emails["member"])
    team = Unit.objects.get(organization=organization, members__user=member)
    assert team.parent is not None
    objective = (
        Objective.objects.filter(
            organization=organization, unit=team, cycle__state=CycleState.ACTIVE
        )
        .select_related("cycle")
        .order_by("order", "id")
        .first()
    )
    assert objective is not None
    kr = KeyResult.objects.filter(objective=objective, owner=member).order_by("order", "id")[0]
    return Targets(
        slug=organization.slug,
        cycle_code=objective.cycle.code,
        department_code=team.parent.code,
        team_code=team.code,
        objective_code=objective.code,
        key_result_code=kr.code,
        sign_in=emails,
    )


def parameters_of(*, people: int, seed: int, today: dt.date | None) -> dict[str, Any]:
    """The parameters as `seeded_parameters` reports them, for comparison; `today` None
    matches any day."""
    wanted: dict[str, Any] = {"people": people, "seed": seed, "format": FORMAT}
    if today is not None:
        wanted["today"] = today.isoformat()
    return wanted
