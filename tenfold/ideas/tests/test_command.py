"""tenfold idea: list, add, vote and promote, as a person; bad input exits with a message and
writes nothing."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from tenfold.audit.models import AuditEvent
from tenfold.ideas.models import Idea, IdeaStatus, IdeaVote
from tenfold.ideas.services import vote_add
from tenfold.okrs.models import Cycle, CycleState, Objective

from .conftest import access_of


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("idea", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def written() -> tuple[int, int, int, int]:
    return (
        Idea.objects.count(),
        IdeaVote.objects.count(),
        Objective.objects.count(),
        AuditEvent.objects.count(),
    )


def test_list_groups_ideas_by_question_with_votes(org, idea, carol, victor):
    vote_add(access=access_of(org, carol), idea=idea)
    out = run("list", "--as", "carol@example.com", "--org", "acme")
    assert "What could we change to get better results?" in out
    line = next(line for line in out.splitlines() if idea.code in line)
    assert "1*" in line and "Pair new customers" in line
    assert "Growth" in out and "0 comments" in out
    assert idea.code in run("list", "--as", "victor@example.com")  # viewers read it too


def test_list_as_json_parses(org, idea, bob):
    data = json.loads(run("list", "--as", "bob@example.com", "--json"))
    assert [(i["code"], i["votes"], i["voted"]) for i in data] == [(idea.code, 0, False)]


def test_list_filters_and_says_when_empty(org, idea, bob):
    assert "No ideas here yet." in run("list", "--as", "bob@example.com", "--question", "problems")
    out = run("list", "--as", "bob@example.com", "--unit", "Growth", "--sort", "new")
    assert idea.code in out


def test_add_uses_the_default_cycle_and_accepts_names(org, team, cycle, next_cycle, bob):
    out = run(
        "add",
        "Fewer meetings on Fridays",
        "--question",
        "blockers",
        "--unit",
        "growth",
        "--as",
        "bob@example.com",
    )
    idea = Idea.objects.get()
    assert idea.code in out and "Q1 2027" in out
    assert (idea.question, idea.unit, idea.cycle, idea.author) == (
        "blockers",
        team,
        next_cycle,
        bob,
    )
    run("add", "Any time", "--question", "change", "--cycle", "none", "--as", "bob@example.com")
    assert Idea.objects.get(text="Any time").cycle is None


def test_vote_and_take_it_back(org, idea, carol):
    assert "1 votes" in run("vote", idea.code, "--as", "carol@example.com")
    assert "0 votes" in run("vote", idea.code, "--remove", "--as", "carol@example.com")
    assert not IdeaVote.objects.exists()


def test_promote_writes_a_draft_objective(org, idea, carol, team, cycle):
    out = run("promote", idea.code, "--unit", team.code, "--as", "carol@example.com")
    objective = Objective.objects.get()
    assert objective.code in out and "Q4 2026" in out
    assert objective.state == "draft" and objective.unit == team
    idea.refresh_from_db()
    assert (idea.status, idea.promoted_to) == (IdeaStatus.PROMOTED, objective)


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("add", "   ", "--question", "change", "--as", "bob@example.com"), "Write something"),
        (("add", "Hi", "--question", "change", "--as", "victor@example.com"), "Viewers"),
        (
            ("add", "Hi", "--question", "change", "--unit", "Nope", "--as", "bob@example.com"),
            "No unit",
        ),
        (
            ("add", "Hi", "--question", "change", "--cycle", "Q9", "--as", "bob@example.com"),
            "No cycle",
        ),
        (("vote", "{code}", "--as", "bob@example.com", "--remove"), "not voted"),
        (("vote", "{code}", "--as", "victor@example.com"), "Viewers"),
        (("vote", "nosuchcode", "--as", "bob@example.com"), "No idea"),
        (("promote", "{code}", "--unit", "Acme", "--as", "bob@example.com"), "may not create"),
        (
            (
                "promote",
                "{code}",
                "--unit",
                "Growth",
                "--cycle",
                "Q4 2026",
                "--as",
                "carol@example.com",
            ),
            "closed",
        ),
        (("list", "--as", "nobody@example.com"), "Nobody"),
        (("list", "--as", "mallory@example.com", "--org", "acme"), "not a member"),
    ],
)
def test_bad_input_exits_with_a_message_and_writes_nothing(
    org, idea, cycle, bob, victor, carol, mallory, args, words
):
    Cycle.objects.filter(pk=cycle.pk).update(state=CycleState.CLOSED)
    before = written()
    with pytest.raises(CommandError) as caught:
        run(*(arg.format(code=idea.code) for arg in args))
    assert words in str(caught.value)
    assert written() == before


def test_a_second_vote_is_refused(org, idea, carol):
    run("vote", idea.code, "--as", "carol@example.com")
    with pytest.raises(CommandError, match="already voted"):
        run("vote", idea.code, "--as", "carol@example.com")
    assert IdeaVote.objects.count() == 1
