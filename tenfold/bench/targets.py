"""What `tenfold bench` measures in one organization: the people it signs in as, the unit,
objective and key result whose pages it opens, and the ids its raw-SQL floors need.

Run as ``python -m tenfold.bench.targets SLUG…`` with ``DATABASE_URL`` pointing at the
benchmark database; prints one JSON object per slug (``{"exists": false}`` for a missing
one). It runs beside the benchmark rather than inside it because the benchmark process is not
connected to that database through Django.

A synthetic organization (`tenfold seed`) names its own targets and accounts; any other is
searched the same deterministic way. Either way a 100-person and a 10,000-person organization
are measured on the same sort of page.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from typing import Any

TOKEN_NAME = "tenfold bench"  # nosec B105  # the label of the bench's token, not a token
FALLBACK_PASSWORD = "tenfold-bench-password"  # nosec B105  # synthetic benchmark accounts only


def find(slug: str) -> dict[str, Any]:
    from django.utils import timezone

    from tenfold.accounts.models import ApiToken
    from tenfold.accounts.services import api_token_create, api_token_revoke
    from tenfold.checkins.weekly import week_of
    from tenfold.organizations.models import Membership, Organization, Unit

    organization = Organization.objects.filter(slug=slug).first()
    if organization is None:
        return {"exists": False}
    from tenfold.bench import seeding

    if seeding.seeded_parameters(organization) is not None:
        chosen = _seeded(organization)
    else:
        chosen = _discovered(organization)
    cycle, team, objective, kr = chosen["cycle"], chosen["team"], chosen["objective"], chosen["kr"]
    admin, member = chosen["admin"], chosen["member"]
    units = list(Unit.objects.filter(organization=organization))
    root = next(u for u in units if u.parent_id is None)
    department = chosen["department"] or root
    subtree = _subtree(units, department.id)
    password = _password([admin, member])
    for row in ApiToken.objects.filter(
        user=admin, organization=organization, name=TOKEN_NAME, revoked_at__isnull=True
    ):
        api_token_revoke(token=row, by=None)
    _row, token = api_token_create(user=admin, organization=organization, name=TOKEN_NAME, by=admin)
    week = week_of(organization)
    return {
        "exists": True,
        "org": {"id": organization.id, "slug": organization.slug, "name": organization.name},
        "people": Membership.objects.filter(organization=organization).count(),
        "cycle": {"id": cycle.id, "code": cycle.code},
        "root": {"id": root.id, "code": root.code},
        "department": {"id": department.id, "code": department.code, "subtree": subtree},
        "team": {"id": team.id, "code": team.code},
        "objective": {"id": objective.id, "code": objective.code},
        "key_result": {
            "id": kr.id,
            "code": kr.code,
            "start": None if kr.start is None else str(kr.start),
            "target": None if kr.target is None else str(kr.target),
        },
        "admin": {"id": admin.id, "email": admin.email},
        "member": {"id": member.id, "email": member.email},
        "password": password,
        "token": token,
        "week": week.isoformat(),
        "last_week": (week - dt.timedelta(days=7)).isoformat(),
        "quiet_since": (timezone.now() - dt.timedelta(days=14)).isoformat(),
    }


def _seeded(organization: Any) -> dict[str, Any]:
    """A synthetic organization names its own targets and accounts (`seeding.targets`)."""
    from tenfold.accounts.models import User
    from tenfold.bench import seeding
    from tenfold.okrs.models import Cycle, KeyResult, Objective
    from tenfold.organizations.models import Unit

    found = seeding.targets(organization)
    scope = {"organization": organization}
    return {
        "cycle": Cycle.objects.get(**scope, code=found.cycle_code),
        "department": Unit.objects.get(**scope, code=found.department_code),
        "team": Unit.objects.get(**scope, code=found.team_code),
        "objective": Objective.objects.get(**scope, code=found.objective_code),
        "kr": KeyResult.objects.get(**scope, code=found.key_result_code),
        "admin": User.objects.get(email=found.sign_in["owner"]),
        "member": User.objects.get(email=found.sign_in["member"]),
    }


def _discovered(organization: Any) -> dict[str, Any]:
    """Any other organization (the demo, say): the team with the most objectives in the
    current cycle (lowest code on a tie), its department, its objective with the most key
    results and that objective's first numeric key result; the owner and the team's lead."""
    from django.db.models import Count, Exists, OuterRef, Q

    from tenfold.okrs.models import KeyResult, Objective
    from tenfold.okrs.selectors import current_cycle
    from tenfold.organizations.models import Membership, Role, Unit, UnitKind, UnitMember

    cycle = current_cycle(organization)
    if cycle is None:
        raise SystemExit(f"{organization.slug} has no cycle to measure.")
    team = (
        Unit.objects.filter(organization=organization, kind=UnitKind.TEAM)
        .annotate(n=Count("objectives", filter=Q(objectives__cycle=cycle)))
        .filter(Exists(UnitMember.objects.filter(unit=OuterRef("pk"), is_lead=True)))
        .order_by("-n", "code")
        .first()
    )
    if team is None:
        raise SystemExit(f"{organization.slug} has no team with a lead to measure.")
    objective = (
        Objective.objects.filter(cycle=cycle, unit=team)
        .annotate(n=Count("key_results"))
        .order_by("-n", "code")
        .first()
    )
    if objective is None:
        raise SystemExit(f"{team.name} has no objective in {cycle.name}.")
    kr = (
        KeyResult.objects.filter(objective=objective)
        .exclude(kind="milestone")
        .order_by("order", "id")
        .first()
    )
    if kr is None:
        raise SystemExit(f"{objective.code} has no numeric key result.")
    owner = (
        Membership.objects.filter(organization=organization, role=Role.OWNER)
        .select_related("user")
        .order_by("id")
        .first()
    )
    lead = (
        UnitMember.objects.filter(unit=team, is_lead=True)
        .select_related("user")
        .order_by("user_id")
        .first()
    )
    if owner is None or lead is None:
        raise SystemExit(f"{organization.slug} has no owner or team lead to sign in as.")
    return {
        "cycle": cycle,
        "department": Unit.objects.filter(id=team.parent_id or 0, kind=UnitKind.DEPARTMENT).first(),
        "team": team,
        "objective": objective,
        "kr": kr,
        "admin": owner.user,
        "member": lead.user,
    }


def _subtree(units: list[Any], top: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for unit in units:
        if unit.parent_id is not None:
            children.setdefault(unit.parent_id, []).append(unit.id)
    found, stack = [], [top]
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(children.get(current, ()))
    return sorted(found)


def _password(users: list[Any]) -> str:
    """The seeded (or demo) password when it opens these accounts; otherwise a known one is
    set, so any organization in a benchmark database can be measured."""
    from tenfold.okrs import demo

    known = [demo.PASSWORD]
    try:
        from tenfold.bench import seeding

        if getattr(seeding, "PASSWORD", None):
            known.insert(0, seeding.PASSWORD)
    except ImportError:  # pragma: no cover - the module ships with the app
        pass
    for candidate in known:
        if all(user.check_password(candidate) for user in users):
            return candidate
    for user in users:
        user.set_password(FALLBACK_PASSWORD)
        user.save(update_fields=["password"])
    return FALLBACK_PASSWORD


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tenfold.settings")
    import django

    django.setup()
    json.dump({slug: find(slug) for slug in sys.argv[1:]}, sys.stdout)


if __name__ == "__main__":
    main()
