"""One organization never reaches another's data.

Every route that names an object is requested under Alice's organization with the codes of
the other organization's objects, by Alice (owner) and Ada (admin), with every method: each
attempt answers 404 (or 405 for a method the route does not take) and reads none of the
other organization's rows (`tenfold.organizations.tenancy`). The counts are printed for
docs/security.md."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest

from tenfold.db import changes
from tenfold.okrs.models import Objective
from tenfold.organizations.models import Organization
from tenfold.organizations.tenancy import CrossOrganizationRead, reads_stay_in_one_organization
from tenfold.web.tests.test_permission_matrix import METHODS, own_routes, request, url_of


def foreign_urls(world: dict[str, str]) -> dict[str, tuple[str, str]]:
    """Each route's address in Alice's organization naming the other organization's object
    instead of Alice's, for the routes that name an object the other organization has; with
    the same address naming an object that exists nowhere."""
    theirs = {key.removeprefix("other:"): code for key, code in world.items() if ":" in key}
    theirs.pop("org")
    swapped = {**world, **theirs}
    nowhere = {**world, **{key: _missing(key, code) for key, code in theirs.items()}}
    found = {}
    for name in sorted(own_routes()):
        ours, foreign = url_of(name, world), url_of(name, swapped)
        if ours != foreign:
            found[name] = (foreign, url_of(name, nowhere))
    return found


def _missing(key: str, code: str) -> str:
    """A code (or id) of the same shape that names nothing."""
    return "999999" if code.isdigit() else "z" * len(code)


def test_the_guard_fails_a_request_that_reads_another_organizations_rows(
    world: dict[str, str],
) -> None:
    """The guard is not a formality: reading the other organization's objective while
    answering for Alice's fails."""
    ours = Organization.objects.get(slug=world["org"])
    with reads_stay_in_one_organization() as checked:
        changes.work_in(ours.id)
        try:
            Objective.objects.get(code=world["objective"])  # Alice's own: allowed
            with pytest.raises(CrossOrganizationRead, match=r"okrs\.Objective"):
                Objective.objects.get(code=world["other:objective"])
        finally:
            changes.start_request()
    assert checked == ["okrs.Objective", "okrs.Objective"]


@pytest.fixture
def guarded() -> Iterator[list[str]]:
    with reads_stay_in_one_organization() as checked:
        yield checked


def test_no_route_reaches_the_other_organizations_objects(
    client: Any, world: dict[str, str], personas: dict[str, Any], guarded: list[str]
) -> None:
    urls = foreign_urls(world)
    assert len(urls) > 100  # most routes name an object
    answers: Counter[int] = Counter()
    reached = []
    for persona in ("alice", "ada"):
        client.force_login(personas[persona])
        for name, (url, nowhere) in urls.items():
            for method in METHODS:
                status = request(client, method, url).status_code
                answers[status] += 1
                if status in (404, 405):
                    continue
                # An empty write may be refused for its body before anything is looked up
                # (the API validates first): that answer must be the same as for an object
                # that exists nowhere, or it would tell that the other one exists.
                if status == 400 and request(client, method, nowhere).status_code == 400:
                    continue
                reached.append(f"{persona} {method} {name} {url} → {status}")
    attempts = sum(answers.values())
    print(
        f"\ncross-organization attempts: {attempts} over {len(urls)} routes × "
        f"{len(METHODS)} methods × 2 personas; answers {dict(sorted(answers.items()))}; "
        f"successes {len(reached)}; tenant rows checked {len(guarded)}"
    )
    assert reached == []
