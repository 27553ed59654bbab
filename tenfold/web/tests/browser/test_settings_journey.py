"""An owner sets up the organization from the browser: a team, a person, a cycle."""

import pytest

from tenfold.accounts.models import User
from tenfold.conftest import PASSWORD
from tenfold.okrs.models import Cycle
from tenfold.organizations.models import Unit

from .conftest import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_owner_sets_up_teams_people_and_cycles(page, org, company, alice):
    sign_in(page, alice.email, PASSWORD)
    page.goto(f"{page.base_url}/{org.slug}/settings/units/")
    page.get_by_label("Name").fill("Platform")
    page.get_by_label("Kind").select_option("team")
    page.get_by_role("button", name="Add unit").click()
    page.get_by_text("Platform added.").wait_for()
    platform = Unit.objects.get(name="Platform")
    assert platform.parent == company

    page.goto(f"{page.base_url}/{org.slug}/settings/people/")
    adding = page.get_by_role("region", name="Add a person")
    adding.get_by_label("Email").fill("dana@example.com")
    adding.get_by_label("Name").fill("Dana Reyes")
    adding.get_by_label("Member of").select_option(platform.code)
    adding.get_by_label("First password").fill("a-long-first-password")
    adding.get_by_role("button", name="Add person").click()
    page.get_by_text("Dana Reyes is in.").wait_for()
    assert platform.members.filter(user=User.objects.get(email="dana@example.com")).exists()
    screenshot(page, "settings-people")

    page.goto(f"{page.base_url}/{org.slug}/settings/cycles/")
    page.get_by_label("Fiscal year").fill("2027")
    page.get_by_role("button", name="Create cycles").click()
    page.get_by_text("5 cycles ready.").wait_for()
    assert Cycle.objects.filter(organization=org, name="Q3 2027").exists()
    screenshot(page, "settings-cycles")
