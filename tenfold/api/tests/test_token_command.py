import pytest
from django.core.management import CommandError, call_command

from tenfold.accounts.models import ApiToken
from tenfold.accounts.services import api_token_check


def test_it_makes_a_token_that_opens_the_api(org, team, bob, capsys):
    call_command("token", "create", "--as", bob.email, "--org", org.slug, "--name", "laptop")
    token = capsys.readouterr().out.strip()
    assert token.startswith("tf_")
    assert api_token_check(token).user == bob


def test_it_refuses_a_person_outside_the_organization(org, mallory, other_org):
    with pytest.raises(CommandError, match="not a member"):
        call_command("token", "create", "--as", mallory.email, "--org", org.slug, "--name", "x")
    assert ApiToken.objects.count() == 0


def test_it_refuses_unknown_people_and_organizations(org, bob):
    with pytest.raises(CommandError, match="No account"):
        call_command(
            "token", "create", "--as", "nobody@example.com", "--org", org.slug, "--name", "x"
        )
    with pytest.raises(CommandError, match="No organization"):
        call_command("token", "create", "--as", bob.email, "--org", "nowhere", "--name", "x")
    assert ApiToken.objects.count() == 0


def test_it_lists_and_revokes_tokens(org, team, bob, capsys):
    call_command("token", "create", "--as", bob.email, "--org", org.slug, "--name", "ci")
    token = capsys.readouterr().out.strip()
    call_command("token", "list")
    listing = capsys.readouterr().out
    assert "active" in listing and token not in listing
    call_command("token", "revoke", token[:11])
    assert api_token_check(token) is None
    with pytest.raises(CommandError, match="No token"):
        call_command("token", "revoke", "tf_zzzzzzzz")


def test_it_makes_read_only_tokens_and_lists_them_so(org, team, bob, capsys):
    call_command(
        "token", "create", "--as", bob.email, "--org", org.slug, "--name", "bi", "--read-only"
    )
    token = capsys.readouterr().out.strip()
    assert api_token_check(token).read_only
    call_command("token", "list", "--as", bob.email)
    assert "read-only" in capsys.readouterr().out
