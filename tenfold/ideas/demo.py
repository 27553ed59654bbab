"""Ideas for the demo organization: a brainstorm for next quarter under way, with votes and a
few comments, so the board shows what it is for."""

from __future__ import annotations

from tenfold.organizations.models import Membership, Organization, Unit
from tenfold.organizations.permissions import access_for

from .models import Idea
from .services import comment_add, idea_add, vote_add

# (question, unit name or "", text, how many people vote for it, a comment or "")
IDEAS = (
    (
        "change",
        "Onboarding",
        "Give every new account a guided first report instead of an empty dashboard",
        7,
        "Most trials that stall never saw a single report. Worth a key result next quarter.",
    ),
    (
        "blockers",
        "",
        "Too many priorities arrive mid-quarter without anything being dropped",
        6,
        "Could the monthly review be where we drop something when something new comes in?",
    ),
    ("double_down", "Sales", "The customer round-tables close deals: hold one every month", 4, ""),
    (
        "problems",
        "Platform",
        "Deploys still need a person watching for an hour; we ship less often because of it",
        5,
        "",
    ),
    ("change", "Marketing", "Publish fewer, deeper guides and measure what readers do next", 2, ""),
    ("double_down", "", "The Friday demo: keep it, and invite customers once a month", 3, ""),
)


def demo_ideas(org: Organization, units: dict[str, Unit]) -> list[Idea]:
    """Add the ideas, each by a different member, with votes from the others."""
    memberships = list(
        Membership.objects.filter(organization=org)
        .exclude(role="viewer")
        .select_related("organization", "user")
        .order_by("id")
    )
    if len(memberships) < 2:
        return []
    made: list[Idea] = []
    for number, (question, unit_name, text, votes, comment) in enumerate(IDEAS):
        author = access_for(memberships[(number * 5 + 3) % len(memberships)])
        idea = idea_add(access=author, question=question, text=text, unit=units.get(unit_name))
        voters = [m for m in memberships if m.user_id != author.user_id][:votes]
        for voter in voters:
            vote_add(access=access_for(voter), idea=idea)
        if comment:
            commenter = access_for(voters[0]) if voters else author
            comment_add(access=commenter, idea=idea, body=comment)
        made.append(idea)
    return made
