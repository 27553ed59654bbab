"""The team chat pages per persona, adding, editing, removing and testing channels from the
web (with and without htmx), the card on the unit page, and constant query counts."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from tenfold.chat.models import ChatChannel
from tenfold.chat.services import channel_create
from tenfold.notifications.testing import Answer

from .conftest import access_of

PERSONAS = ("anonymous", "alice", "bob", "carol", "victor", "mallory")
# The rows to add to tenfold/web/tests/permission_matrix.txt, checked here the same way: GET,
# and POST with an empty body. The unit is Growth (carol leads it); the channel is Growth's and
# points at a loopback port nobody allowed, so the test message fails at once (still a 302).
EXPECTED = {
    ("unit_chat", "GET"): (302, 200, 403, 200, 403, 404),
    ("unit_chat", "POST"): (302, 405, 405, 405, 405, 405),
    ("unit_chat_add", "GET"): (302, 405, 405, 405, 405, 405),
    ("unit_chat_add", "POST"): (302, 400, 403, 400, 403, 404),
    ("chat_channel_edit", "GET"): (302, 200, 403, 200, 403, 404),
    ("chat_channel_edit", "POST"): (302, 400, 403, 400, 403, 404),
    ("chat_channel_delete", "GET"): (302, 405, 405, 405, 405, 405),
    ("chat_channel_delete", "POST"): (302, 302, 404, 404, 404, 404),
    ("chat_channel_test", "GET"): (302, 405, 405, 405, 405, 405),
    ("chat_channel_test", "POST"): (302, 302, 403, 302, 403, 404),
}


@pytest.fixture
def blocked(org, team, carol):
    """A channel whose URL the guard refuses straight away: no network in the matrix."""
    channel = channel_create(
        access=access_of(org, carol),
        unit=team,
        provider="slack",
        name="#growth",
        url="http://127.0.0.1:9/hook",
    )
    return channel


@pytest.mark.parametrize(("name", "method"), sorted(EXPECTED))
def test_each_persona_gets_the_status_the_matrix_says(
    client, request, org, team, other_org, blocked, name, method
):
    code = team.code if name.startswith("unit_") else blocked.code
    url = reverse(name, kwargs={"org": org.slug, "code": code})
    seen = []
    for persona in PERSONAS:
        client.logout()
        if persona != "anonymous":
            client.force_login(request.getfixturevalue(persona))
        response = client.get(url) if method == "GET" else client.post(url, {})
        seen.append(response.status_code)
    assert tuple(seen) == EXPECTED[(name, method)]


def test_every_route_of_the_app_is_in_the_table():
    from tenfold.chat.urls import urlpatterns

    assert {p.name for p in urlpatterns} == {name for name, _method in EXPECTED}


def page_url(org, team):
    return reverse("unit_chat", kwargs={"org": org.slug, "code": team.code})


def test_the_page_lists_channels_without_their_secret(client, org, team, carol, slack):
    client.force_login(carol)
    html = client.get(page_url(org, team)).content.decode()
    assert "#growth" in html
    assert slack.url_hint in html
    assert "XXXXsecret" not in html
    assert "Weekly check-in reminder, Team digest, At-risk alert" in html


@pytest.mark.parametrize("count", [1, 6])
def test_the_page_costs_the_same_whatever_the_number_of_channels(
    client, org, team, carol, count, django_assert_max_num_queries
):
    for n in range(count):
        channel_create(
            access=access_of(org, carol),
            unit=team,
            provider="teams" if n % 2 else "slack",
            name=f"#c{n}",
            url=f"https://hooks.slack.com/services/T/B/{n:04d}",
        )
    client.force_login(carol)
    with django_assert_max_num_queries(12):
        response = client.get(page_url(org, team))
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="chat-channel"') == count


def test_adding_a_channel_redirects_with_a_warning_for_an_unusual_host(client, org, team, carol):
    client.force_login(carol)
    response = client.post(
        reverse("unit_chat_add", kwargs={"org": org.slug, "code": team.code}),
        {
            "provider": "slack",
            "name": "#growth",
            "url": "https://relay.acme.example/slack/abc",
            "kinds": ["weekly", "at_risk"],
        },
        follow=True,
    )
    channel = ChatChannel.objects.get()
    assert channel.kinds == ["weekly", "at_risk"] and channel.unit == team
    html = response.content.decode()
    assert "Channel “#growth” added." in html
    assert "relay.acme.example is not an address Slack usually gives out" in html


def test_bad_input_comes_back_with_messages_and_nothing_is_written(client, org, team, carol):
    client.force_login(carol)
    response = client.post(
        reverse("unit_chat_add", kwargs={"org": org.slug, "code": team.code}),
        {"provider": "slack", "name": "", "url": "javascript:alert(1)"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Give the channel a name" in html
    assert "Only http:// and https:// addresses can be used." in html
    assert not ChatChannel.objects.exists()


def test_editing_kinds_and_pausing(client, org, team, carol, slack):
    client.force_login(carol)
    url = reverse("chat_channel_edit", kwargs={"org": org.slug, "code": slack.code})
    assert 'value="#growth"' in client.get(url).content.decode()
    response = client.post(url, {"name": "#growth-team", "kinds": ["team_digest"]})
    assert response.status_code == 302
    slack.refresh_from_db()
    assert (slack.name, slack.kinds, slack.active) == ("#growth-team", ["team_digest"], False)


def test_removing_a_channel(client, org, team, carol, slack):
    client.force_login(carol)
    response = client.post(
        reverse("chat_channel_delete", kwargs={"org": org.slug, "code": slack.code}), follow=True
    )
    assert "Channel “#growth” removed." in response.content.decode()
    assert not ChatChannel.objects.exists()


def test_the_test_button_with_htmx_swaps_the_card_with_the_outcome(
    client, org, team, carol, slack, receiver
):
    client.force_login(carol)
    url = reverse("chat_channel_test", kwargs={"org": org.slug, "code": slack.code})
    response = client.post(url, headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(f'<li class="card" id="channel-{slack.code}"')
    assert "Test message sent." in html
    [got] = receiver.wait_for(1)
    body = json.loads(got.body)
    assert body["blocks"][0]["text"]["text"] == "Tenfold is connected to #growth"

    receiver.answers["/slack/T000/B000/XXXXsecret"] = Answer(403, b"action_prohibited")
    html = client.post(url, headers={"HX-Request": "true"}).content.decode()
    assert (
        "The test message did not arrive: Slack answered with status 403: action_prohibited" in html
    )


def test_the_test_button_without_js_redirects_with_a_message(
    client, org, team, carol, slack, receiver
):
    client.force_login(carol)
    url = reverse("chat_channel_test", kwargs={"org": org.slug, "code": slack.code})
    response = client.post(url, follow=True)
    assert "Test message sent to “#growth”." in response.content.decode()
    receiver.answers["/slack/T000/B000/XXXXsecret"] = Answer(500)
    response = client.post(url, follow=True)
    html = response.content.decode()
    assert "did not arrive: Slack answered with status 500" in html


def test_the_unit_page_shows_the_chat_card_to_those_who_manage_it(
    client, org, team, carol, bob, slack
):
    url = reverse("unit", kwargs={"org": org.slug, "code": team.code})
    client.force_login(carol)
    html = client.get(url).content.decode()
    assert 'data-testid="unit-chat-card"' in html and "Posting to 1 channel." in html
    assert page_url(org, team) in html
    client.force_login(bob)
    assert 'data-testid="unit-chat-card"' not in client.get(url).content.decode()
