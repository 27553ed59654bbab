"""tenfold calendar url: a person's or a unit's feed URL, optionally reset first."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from tenfold.calendars.models import CalendarKey
from tenfold.calendars.selectors import person_feed_url, unit_feed_url


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("calendar", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue().strip()


def test_a_person_gets_their_own_url(org, team, bob):
    assert run("url", "--as", "bob@example.com", "--org", "acme") == person_feed_url(org, bob)


def test_a_member_gets_the_units_url_by_code_or_name(org, team):
    expected = unit_feed_url(org, team)
    assert run("url", "--as", "bob@example.com", "--org", "acme", "--unit", team.code) == expected
    assert run("url", "--as", "bob@example.com", "--unit", "growth") == expected


def test_reset_makes_a_new_url(org, team, bob):
    old = person_feed_url(org, bob)
    new = run("url", "--as", "bob@example.com", "--reset")
    assert new != old and new == person_feed_url(org, bob)


def test_outsiders_of_a_unit_and_unknown_units_are_refused_and_nothing_changes(org, team):
    with pytest.raises(CommandError, match="Only the unit's members, leads and admins"):
        run("url", "--as", "victor@example.com", "--unit", team.code)
    with pytest.raises(CommandError, match="Only the unit's leads and admins can reset"):
        run("url", "--as", "bob@example.com", "--unit", team.code, "--reset")
    with pytest.raises(CommandError, match="No unit is called or coded “Moon”"):
        run("url", "--as", "bob@example.com", "--unit", "Moon")
    with pytest.raises(CommandError, match=r"Nobody signs in as nobody@example\.com"):
        run("url", "--as", "nobody@example.com")
    assert not CalendarKey.objects.exists()
