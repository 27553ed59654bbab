"""The main pages of the demo organization, for the browser checks that walk all of them (the
screenshots of the guide, the Core Web Vitals in the lab).

Northwind Labs is built as of one fixed Wednesday, so the pictures and the figures are of the
same organization on every run."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import time_machine

from tenfold.okrs.demo import PASSWORD as DEMO_PASSWORD
from tenfold.okrs.demo import build_demo, email_of
from tenfold.okrs.models import Cycle, KeyResult, Objective
from tenfold.organizations.models import Organization, Unit
from tenfold.reviews.models import Review

OWNER = email_of("Maya Okafor")  # sees every page, settings included
MEMBER = email_of("Noah Fischer")  # works in Onboarding, owns key results
DEMO_DAY = "2026-11-18 09:00:00+01:00"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


PAGE_NAMES = (
    "sign-in",
    "my-week",
    "team-week",
    "meeting",
    "company",
    "dashboard",
    "tree",
    "unit",
    "objective",
    "key-result",
    "planning",
    "review",
    "coach",
    "coach-library",
    "coach-wizard",
    "health",
    "kpis",
    "settings-people",
    "help",
)
"""The main pages by the names of their pictures, in the order a new reader meets them."""


@dataclass(frozen=True)
class MainPage:
    name: str  # the file name stem of its pictures: `<name>-light.png`
    path: str
    who: str | None  # whose page it is; None: signed out


def main_pages(org: Organization) -> list[MainPage]:
    """Every main page of the demo, where it is and who looks at it."""
    team = Unit.objects.get(organization=org, name="Onboarding")
    current = Cycle.objects.get(organization=org, name="Q4 2026")
    closed = Cycle.objects.get(organization=org, name="Q3 2026")
    objective = Objective.objects.filter(unit=team, cycle=current).order_by("id")[0]
    key_result = KeyResult.objects.filter(objective=objective).order_by("id")[0]
    review = Review.objects.get(cycle=closed, unit=team)
    o, unit = f"/{org.slug}", f"/{org.slug}/units/{team.code}"
    pages = [
        MainPage("sign-in", "/accounts/login/", None),
        MainPage("my-week", f"{o}/week/", MEMBER),
        MainPage("team-week", f"{unit}/week/", OWNER),
        MainPage("meeting", f"{unit}/meeting/", OWNER),
        MainPage("company", f"{o}/", OWNER),
        MainPage("dashboard", f"{o}/dashboard/", OWNER),
        MainPage("tree", f"{o}/tree/", OWNER),
        MainPage("unit", f"{unit}/", OWNER),
        MainPage("objective", f"{o}/objectives/{objective.code}/", OWNER),
        MainPage("key-result", f"{o}/key-results/{key_result.code}/", OWNER),
        # The board of the running quarter: the next one's is still empty in the demo.
        MainPage("planning", f"{o}/cycles/{current.code}/planning/", OWNER),
        MainPage("review", f"{o}/reviews/{review.code}/", OWNER),
        MainPage("coach", f"{o}/coach/", OWNER),
        MainPage("coach-library", f"{o}/coach/examples/", OWNER),
        MainPage("coach-wizard", f"{o}/coach/wizard/", OWNER),
        MainPage("health", f"{o}/coach/health/", OWNER),
        MainPage("kpis", f"{o}/kpis/", OWNER),
        MainPage("settings-people", f"{o}/settings/people/", OWNER),
        MainPage("help", "/help/", OWNER),
    ]
    assert tuple(page.name for page in pages) == PAGE_NAMES
    return pages


@contextlib.contextmanager
def demo_organization() -> Iterator[Organization]:
    """Northwind Labs, built and looked at on the demo's fixed day (the clock still runs)."""
    with time_machine.travel(DEMO_DAY, tick=True):
        yield build_demo(dt.date.fromisoformat(DEMO_DAY[:10]))


def signed_in(browser: Any, base_url: str, email: str) -> Any:
    """The cookies of a signed-in session, for the contexts that look at pages to start from."""
    context = browser.new_context(viewport=DESKTOP, locale="en-GB")
    tab = context.new_page()
    tab.goto(f"{base_url}/accounts/login/")
    tab.get_by_label("Email").fill(email)
    tab.get_by_label("Password").fill(DEMO_PASSWORD)
    tab.get_by_role("button", name="Sign In").click()
    tab.wait_for_url(lambda url: "/accounts/login/" not in url)
    state = context.storage_state()
    context.close()
    return state


def sessions(browser: Any, base_url: str) -> dict[str | None, Any]:
    return {
        None: None,
        OWNER: signed_in(browser, base_url, OWNER),
        MEMBER: signed_in(browser, base_url, MEMBER),
    }


def settled(tab: Any) -> None:
    """Wait until what htmx fills in after the load (the coach's panel, a live check) is in."""
    tab.wait_for_load_state("load")
    tab.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
    )
