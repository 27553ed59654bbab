"""Channel services: who may manage a unit's channels, what input is refused (and that nothing
is written then), the audit trail, and the gentle warning about unusual hosts."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tenfold.audit.models import AuditEvent
from tenfold.chat.models import CHANNELS_PER_UNIT, ChatChannel, hint_of
from tenfold.chat.services import (
    channel_create,
    channel_delete,
    channel_update,
    default_kinds,
    url_warning,
)

from .conftest import access_of

URL = "https://hooks.slack.com/services/T0001/B0002/abcdefghijklmnop"


def add(org, user, unit, **changes):
    data = {"provider": "slack", "name": "#growth", "url": URL}
    data.update(changes)
    return channel_create(access=access_of(org, user), unit=unit, **data)


def test_a_lead_adds_a_channel_with_the_default_kinds(org, team, carol):
    channel = add(org, carol, team)
    assert channel.kinds == ["weekly", "team_digest", "at_risk"]
    assert channel.active and channel.created_by == carol
    event = AuditEvent.objects.get(verb="chat.channel_added")
    assert event.changes["url"] == "hooks.slack.com/…mnop"
    assert "abcdefghijkl" not in str(event.changes)  # the secret part never reaches the log


def test_the_company_gets_the_company_digest_by_default(company):
    assert default_kinds(company) == ["weekly", "company_digest", "at_risk"]


@pytest.mark.parametrize("persona", ["bob", "victor", "mallory"])
def test_members_viewers_and_outsiders_may_not_add(org, team, other_org, persona, request):
    user = request.getfixturevalue(persona)
    if persona == "mallory":
        from tenfold.organizations.models import Membership
        from tenfold.organizations.permissions import access_for

        access = access_for(Membership.objects.get(user=user))
        with pytest.raises(PermissionDenied):
            channel_create(access=access, unit=team, provider="slack", name="x", url=URL)
    else:
        with pytest.raises(PermissionDenied):
            add(org, user, team)
    assert not ChatChannel.objects.exists()


def test_admins_manage_any_unit_and_leads_only_theirs(org, company, team, alice, carol):
    assert add(org, alice, team).unit == team
    with pytest.raises(PermissionDenied):
        add(org, carol, company)


def test_bad_input_is_refused_field_by_field_and_nothing_is_written(org, team, carol):
    with pytest.raises(ValidationError) as raised:
        add(org, carol, team, provider="irc", name="  ", url="ftp://example.com/x", kinds=["nope"])
    fields = raised.value.message_dict
    assert fields["provider"] == ["Choose Slack or Microsoft Teams."]
    assert fields["name"] == ["Give the channel a name, such as #growth-team."]
    assert fields["url"] == ["Only http:// and https:// addresses can be used."]
    assert fields["kinds"][0].startswith("Unknown kind of message: nope.")
    assert (
        not ChatChannel.objects.exists()
        and not AuditEvent.objects.filter(verb__startswith="chat.").exists()
    )


def test_credentials_in_the_url_and_an_empty_choice_of_kinds_are_refused(org, team, carol):
    with pytest.raises(ValidationError) as raised:
        add(org, carol, team, url="https://user:pw@hooks.slack.com/x", kinds=[])
    fields = raised.value.message_dict
    assert "credentials" in fields["url"][0]
    assert "at least one kind" in fields["kinds"][0]


def test_a_unit_has_at_most_ten_channels(org, team, carol):
    for n in range(CHANNELS_PER_UNIT):
        add(org, carol, team, name=f"#c{n}")
    with pytest.raises(ValidationError) as raised:
        add(org, carol, team, name="#one-too-many")
    assert "at most 10 channels" in raised.value.messages[0]


def test_update_changes_only_what_is_given_and_logs_it(org, team, carol):
    channel = add(org, carol, team)
    channel.organization = org
    channel_update(access=access_of(org, carol), channel=channel, kinds=["at_risk"], active=False)
    channel.refresh_from_db()
    assert channel.kinds == ["at_risk"] and not channel.active and channel.name == "#growth"
    event = AuditEvent.objects.get(verb="chat.channel_changed")
    assert event.changes == {
        "kinds": [["weekly", "team_digest", "at_risk"], ["at_risk"]],
        "active": [True, False],
    }
    # Nothing new: no write, no event.
    channel_update(access=access_of(org, carol), channel=channel, kinds="at_risk")
    assert AuditEvent.objects.filter(verb="chat.channel_changed").count() == 1


def test_a_new_url_replaces_the_old_and_clears_the_error(org, team, carol):
    channel = add(org, carol, team)
    channel.organization = org
    ChatChannel.objects.filter(pk=channel.pk).update(last_error="boom")
    channel.refresh_from_db()
    channel.organization = org
    channel_update(
        access=access_of(org, carol), channel=channel, url="https://hooks.slack.com/new/zzzz"
    )
    channel.refresh_from_db()
    assert channel.webhook_url.endswith("/new/zzzz") and channel.last_error == ""


def test_viewers_and_members_may_not_change_or_delete(org, team, carol, bob, victor):
    channel = add(org, carol, team)
    channel.organization = org
    for user in (bob, victor):
        with pytest.raises(PermissionDenied):
            channel_update(access=access_of(org, user), channel=channel, name="mine")
        with pytest.raises(PermissionDenied):
            channel_delete(access=access_of(org, user), channel=channel)
    channel_delete(access=access_of(org, carol), channel=channel)
    assert not ChatChannel.objects.exists()
    assert AuditEvent.objects.filter(verb="chat.channel_removed").count() == 1


def test_url_warning_names_an_unusual_host_but_not_the_usual_ones():
    assert url_warning("slack", URL) == ""
    assert url_warning("teams", "https://acme.webhook.office.com/webhookb2/x") == ""
    assert url_warning("teams", "https://prod-01.westeurope.logic.azure.com/workflows/x") == ""
    warning = url_warning("slack", "https://relay.acme.internal/slack")
    assert "relay.acme.internal" in warning and "Slack" in warning
    assert url_warning("teams", URL) != ""  # a Slack URL given as Teams
    assert url_warning("slack", "not a url") == ""


def test_hints_show_the_host_and_the_last_characters_only():
    assert hint_of(URL) == "hooks.slack.com/…mnop"
    assert hint_of("https://a.io/x") == "a.io/…"
