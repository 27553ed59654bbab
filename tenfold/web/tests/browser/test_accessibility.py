"""WCAG 2.2 AA, checked automatically, and the keyboard alone.

axe-core (from npm, pinned by package-lock.json; `npm ci` installs it) runs in Debian's Chromium
on every main page of the demo organization, in the light and the dark colour scheme, and once
more at phone width for the pages people open on the move. A serious or critical violation
fails the test, listed by rule, impact, element and page; `pytest -s` prints the figures.

Then a member signs in, opens the week, writes a plan and checks in on a key result with Tab,
Enter and Space only, and every stop on the way shows where the focus is."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.conf import settings

from tenfold.checkins.models import CheckIn, WeeklyItem
from tenfold.conftest import PASSWORD
from tenfold.okrs.demo import build_demo, email_of
from tenfold.okrs.models import Cycle, KeyResult, Objective
from tenfold.organizations.models import Organization, Unit
from tenfold.reviews.models import Review

from .conftest import screenshot
from .demo_pages import signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core"
# WCAG 2.0, 2.1 and 2.2 at levels A and AA (2.2 adds no level-A rule to axe).
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
FAILING = ("critical", "serious")
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
OWNER = email_of("Maya Okafor")  # sees every page, settings included
MEMBER = email_of("Noah Fischer")  # works in Onboarding and owns key results to check in on
# Checked again at phone width: what people open on the move.
PAGES_ON_THE_MOVE = {
    "sign-in",
    "company",
    "dashboard",
    "objective",
    "key result",
    "my week",
    "meeting",
}


@dataclass(frozen=True)
class Finding:
    rule: str
    impact: str
    target: str
    summary: str
    page: str
    view: str  # "light", "dark" or "phone"


@pytest.fixture(scope="module")
def axe_source() -> str:
    script = AXE / "axe.min.js"
    if not script.exists():
        if os.environ.get("TENFOLD_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{script} is missing: `npm ci` installs it (make browser-deps does)")
        pytest.skip("axe-core is not installed: `npm ci` (make browser-deps)")
    return script.read_text(encoding="utf-8")


def axe_version() -> str:
    version: str = json.loads((AXE / "package.json").read_text(encoding="utf-8"))["version"]
    return version


def axe_check(
    tab: Any, axe_source: str, page: str, view: str, *, colours_only: bool = False
) -> list[Finding]:
    """What axe finds wrong in the page as it stands: one finding per rule and element.
    `colours_only` runs just the rules about colour (contrast, links told by colour)."""
    # htmx fills some parts after the load (the coach's panel): check them once they are in.
    tab.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
    )
    if not tab.evaluate("() => typeof window.axe === 'object'"):
        tab.add_script_tag(content=axe_source)
    rules = tab.evaluate(
        """async ([tags, coloursOnly]) => {
          const only = coloursOnly
            ? {type: "rule", values: axe.getRules(tags)
                .filter((rule) => rule.tags.includes("cat.color")).map((rule) => rule.ruleId)}
            : {type: "tag", values: tags};
          const found = await axe.run(document, {runOnly: only, resultTypes: ["violations"]});
          return found.violations.map((rule) => ({
            id: rule.id,
            nodes: rule.nodes.map((node) => ({
              impact: node.impact || rule.impact,
              target: node.target.join(" "),
              summary: (node.any[0] || node.all[0] || node.none[0] || {}).message || "",
            })),
          }));
        }""",
        [TAGS, colours_only],
    )
    return [
        Finding(rule["id"], node["impact"], node["target"], node["summary"], page, view)
        for rule in rules
        for node in rule["nodes"]
    ]


def report(findings: list[Finding]) -> str:
    """The same rule on the same element, once, with every page and view it was seen on."""
    seen: dict[tuple[str, str, str], list[Finding]] = defaultdict(list)
    for finding in findings:
        seen[(finding.impact, finding.rule, finding.target)].append(finding)
    lines = []
    for (impact, rule, target), where in sorted(seen.items()):
        places = sorted({f"{f.page} [{f.view}]" for f in where})
        lines.append(f"{impact} {rule} at {target}: {where[0].summary}")
        lines.append(f"    on {len(places)}: {', '.join(places)}")
    return "\n".join(lines)


def main_pages(org: Organization) -> list[tuple[str, str, str | None]]:
    """(name, path, who looks at it; None: signed out) for every main page of the demo."""
    team = Unit.objects.get(organization=org, name="Onboarding")
    current = Cycle.objects.get(organization=org, name="Q4 2026")
    closed = Cycle.objects.get(organization=org, name="Q3 2026")
    objective = Objective.objects.filter(unit=team, cycle=current).order_by("id")[0]
    key_result = KeyResult.objects.filter(objective=objective).order_by("id")[0]
    review = Review.objects.get(cycle=closed, unit=team)
    o, unit = f"/{org.slug}", f"/{org.slug}/units/{team.code}"
    return [
        ("sign-in", "/accounts/login/", None),
        ("organizations", "/orgs/", OWNER),
        ("company", f"{o}/", OWNER),
        ("dashboard", f"{o}/dashboard/", OWNER),
        ("alignment tree", f"{o}/tree/", OWNER),
        ("unit", f"{unit}/", OWNER),
        ("team dashboard", f"{unit}/dashboard/", OWNER),
        ("objective", f"{o}/objectives/{objective.code}/", OWNER),
        ("key result", f"{o}/key-results/{key_result.code}/", OWNER),
        ("my week", f"{o}/week/", MEMBER),
        ("team week", f"{unit}/week/", OWNER),
        ("meeting", f"{unit}/meeting/", OWNER),
        ("planning", f"{o}/planning/", OWNER),
        ("approvals", f"{o}/approvals/", OWNER),
        ("cycle reviews", f"{o}/cycles/{closed.code}/reviews/", OWNER),
        ("review", f"{o}/reviews/{review.code}/", OWNER),
        ("KPIs", f"{o}/kpis/", OWNER),
        ("activity", f"{o}/activity/", OWNER),
        ("ideas", f"{o}/ideas/", OWNER),
        ("coach", f"{o}/coach/", OWNER),
        ("coach library", f"{o}/coach/examples/", OWNER),
        ("coach wizard", f"{o}/coach/wizard/", OWNER),
        ("health check", f"{o}/coach/health/", OWNER),
        ("settings", f"{o}/settings/", OWNER),
        ("settings: units", f"{o}/settings/units/", OWNER),
        ("settings: people", f"{o}/settings/people/", OWNER),
        ("settings: cycles", f"{o}/settings/cycles/", OWNER),
        ("settings: weekly", f"{o}/settings/weekly/", OWNER),
        ("settings: notifications", f"{o}/settings/notifications/", OWNER),
        ("settings: API tokens", f"{o}/settings/tokens/", OWNER),
        ("reports and exports", f"{o}/settings/data/", OWNER),
        ("my notifications", f"{o}/me/notifications/", OWNER),
        ("my API tokens", f"{o}/me/tokens/", OWNER),
        ("account: email", "/accounts/email/", OWNER),
        ("account: password", "/accounts/password/change/", OWNER),
        ("account: two-factor", "/accounts/2fa/", OWNER),
        ("account: sessions", "/accounts/sessions/", OWNER),
    ]


@pytest.fixture
def demo() -> Iterator[Organization]:
    with time_machine.travel("2026-11-18 09:00:00+01:00", tick=True):
        yield build_demo(dt.date(2026, 11, 18))


def test_every_main_page_meets_wcag_aa_in_both_schemes_and_on_a_phone(
    browser: Any, live_server: Any, axe_source: str, demo: Organization
) -> None:
    pages = main_pages(demo)
    phone_pages = [p for p in pages if p[0] in PAGES_ON_THE_MOVE]
    states = {
        None: None,
        OWNER: signed_in(browser, live_server.url, OWNER),
        MEMBER: signed_in(browser, live_server.url, MEMBER),
    }
    findings: list[Finding] = []
    checked: Counter[str] = Counter()
    for view, viewport, listed in (("desktop", DESKTOP, pages), ("phone", PHONE, phone_pages)):
        tabs: dict[str | None, Any] = {}
        try:
            for name, path, who in listed:
                if who not in tabs:
                    # Only these checking contexts bypass the Content-Security-Policy, so that
                    # axe can be added to the page; the CSP journey runs under the real policy.
                    context = browser.new_context(
                        viewport=viewport,
                        locale="en-GB",
                        color_scheme="light",
                        bypass_csp=True,
                        storage_state=states[who],
                    )
                    context.set_default_timeout(15_000)
                    tabs[who] = context.new_page()
                tab = tabs[who]
                tab.emulate_media(color_scheme="light")
                response = tab.goto(f"{live_server.url}{path}")
                assert response is not None and response.status == 200, (name, path)
                if view == "phone":
                    findings += axe_check(tab, axe_source, name, "phone")
                    checked["phone"] += 1
                    continue
                findings += axe_check(tab, axe_source, name, "light")
                checked["light"] += 1
                # The dark scheme swaps colours and nothing else (tenfold.css, reviews.css):
                # the same page, switched to it, is checked again on every rule about colour.
                tab.emulate_media(color_scheme="dark")
                assert tab.evaluate("matchMedia('(prefers-color-scheme: dark)').matches")
                findings += axe_check(tab, axe_source, name, "dark", colours_only=True)
                checked["dark"] += 1
        finally:
            for tab in tabs.values():
                tab.context.close()

    by_impact = Counter(finding.impact for finding in findings)
    print(
        f"\naxe-core {axe_version()}, {', '.join(TAGS)}: {sum(checked.values())} page views "
        f"({checked['light']} pages light, {checked['dark']} dark, {checked['phone']} at phone "
        f"width); violations by impact: {dict(sorted(by_impact.items())) or 'none'}"
    )
    if findings:
        print(report(findings))
    assert checked == {"light": len(pages), "dark": len(pages), "phone": len(PAGES_ON_THE_MOVE)}
    failing = [finding for finding in findings if finding.impact in FAILING]
    assert not failing, "WCAG 2.2 AA, serious or critical:\n" + report(failing)


# --- the keyboard alone -------------------------------------------------------------------------

FOCUS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const box = el.getBoundingClientRect();
  const style = getComputedStyle(el);
  const focused = {outline: `${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}`,
                   shadow: style.boxShadow};
  // The same element at rest: a bare copy beside it, never focused, styled by the same rules.
  const copy = el.cloneNode(false);
  copy.removeAttribute("id");
  el.after(copy);
  const still = getComputedStyle(copy);
  const rest = {outline: `${still.outlineStyle} ${still.outlineWidth} ${still.outlineColor}`,
                shadow: still.boxShadow};
  copy.remove();
  return {
    tag: el.tagName.toLowerCase(),
    id: el.id,
    text: (el.innerText || el.value || el.getAttribute("aria-label") || "").trim().slice(0, 60),
    href: el.getAttribute("href"),
    focusVisible: el.matches(":focus-visible"),
    outlineWidth: parseFloat(style.outlineWidth) || 0,
    outlineShown: style.outlineStyle !== "none" && !style.outlineColor.endsWith(", 0)")
      && style.outlineColor !== "transparent",
    shadowShown: style.boxShadow !== "none",
    differs: focused.outline !== rest.outline || focused.shadow !== rest.shadow,
    onScreen: box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0
      && box.top < innerHeight && box.left < innerWidth,
  };
}"""


def focus_of(page: Any) -> dict[str, Any]:
    """Where the focus is, and whether a sighted keyboard user can see it there."""
    focus: dict[str, Any] | None = page.evaluate(FOCUS)
    assert focus is not None, "the focus fell back to the page"
    where = f"{focus['tag']}#{focus['id']} {focus['text']!r}"
    assert focus["onScreen"], f"focused but off screen: {where}"
    assert focus["focusVisible"], f"focused without :focus-visible: {where}"
    shown = (focus["outlineShown"] and focus["outlineWidth"] >= 2) or focus["shadowShown"]
    assert shown and focus["differs"], f"no visible focus indicator on {where}"
    return focus


def tab_to(page: Any, wanted: Any, *, limit: int = 60) -> dict[str, Any]:
    """Press Tab until `wanted(focus)` holds, checking the focus indicator at every stop."""
    stops = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focus = focus_of(page)
        stops.append(f"{focus['tag']}#{focus['id']} {focus['text']!r}")
        if wanted(focus):
            return focus
    raise AssertionError(f"not reached in {limit} Tab presses; stops: {stops}")


@pytest.fixture
def _week_time() -> Iterator[None]:
    with time_machine.travel("2026-11-18 09:00:00+00:00", tick=True):
        yield


def test_a_member_writes_the_week_with_the_keyboard_alone_and_always_sees_the_focus(
    page: Any, _week_time: None, org: Any, team: Any, objective: Any, key_result: Any, bob: Any
) -> None:
    page.goto(f"{page.base_url}/accounts/login/")

    # The first stop is the way past the top bar, visible while it has the focus.
    skip = tab_to(page, lambda focus: True, limit=1)
    assert (skip["tag"], skip["href"], skip["text"]) == ("a", "#main", "Skip to content")

    tab_to(page, lambda focus: focus["id"] == "id_login")
    page.keyboard.type(bob.email)
    tab_to(page, lambda focus: focus["id"] == "id_password", limit=2)
    page.keyboard.type(PASSWORD)
    tab_to(page, lambda focus: focus["tag"] == "button" and focus["text"] == "Sign In")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/{org.slug}/week/")

    # Past the top bar in one step: the skip link moves the focus to the page's content.
    tab_to(page, lambda focus: focus["href"] == "#main", limit=1)
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    tab_to(page, lambda focus: focus["id"] == "add-plans")
    page.keyboard.type("Call three trial teams")
    page.keyboard.press("Enter")
    page.get_by_test_id("items-plans").get_by_text("Call three trial teams", exact=True).wait_for()
    assert WeeklyItem.objects.get(category="plans").text == "Call three trial teams"
    assert focus_of(page)["id"] == "add-plans"  # still there for the next plan

    value = f"id_{key_result.code}-value"
    tab_to(page, lambda focus: focus["id"] == value)
    page.keyboard.type("30")
    tab_to(page, lambda focus: focus["id"] == f"id_{key_result.code}-confidence", limit=1)
    page.keyboard.type("7")
    tab_to(page, lambda focus: focus["tag"] == "button" and focus["text"] == "Save", limit=3)
    page.keyboard.press("Space")
    page.locator(f"#kr-{key_result.code}").get_by_text("Saved").wait_for()
    checkin = CheckIn.objects.get()
    assert (checkin.key_result_id, checkin.value, checkin.author_id) == (key_result.id, 30, bob.id)
    assert checkin.confidence == Decimal("0.7")
    screenshot(page, "keyboard-week")
