"""The rules of an organization's first cycle with OKRs (METHOD §2, §4 and §8), as pure
functions: no database here. `selectors.first_cycle_policy(organization)` gathers the facts
and calls `policy_for`.

A new organization starts small so the habit forms before the ambition grows: one committed
objective per team (and one for the company), no aspirational OKRs, and no pressure to align
yet. From the second cycle on, the usual sizes apply.
"""

from __future__ import annotations

from dataclasses import dataclass

PILOT = "pilot"
LEADS = "leads"
EVERYONE = "everyone"
SHAPES = (PILOT, LEADS, EVERYONE)

# METHOD §2: objectives per team per cycle — 1 in the first cycle, 1–3 later, never more than
# 5; company objectives — 1 when starting, 3 recommended, never more than 5.
FIRST_CYCLE_OBJECTIVES = 1
RECOMMENDED_OBJECTIVES = 3
MAX_OBJECTIVES = 5


@dataclass(frozen=True)
class Policy:
    """What the coach holds an organization's OKRs to right now."""

    first_cycle: bool
    """The organization has closed no cycle yet and keeps the first-cycle defaults on."""
    rollout: str
    """pilot, leads or everyone."""
    pilot_unit_id: int | None
    """The pilot team, when the rollout starts with one."""
    max_objectives_per_team: int
    recommended_objectives_per_team: int
    max_company_objectives: int
    recommended_company_objectives: int
    aspirational_allowed: bool
    """False in the first cycle: committed OKRs only until the habit exists (METHOD §4)."""
    alignment_expected: bool
    """False in the first cycle: teams write their one objective without linking it up yet,
    so the coach does not warn about team objectives that link to nothing."""

    def team_writes_okrs(self, unit_id: int) -> bool:
        """Whether a team is expected to have OKRs: with a pilot rollout, only the pilot team
        (every team, while no pilot team is chosen yet)."""
        if self.rollout != PILOT or self.pilot_unit_id is None:
            return True
        return unit_id == self.pilot_unit_id


def policy_for(
    *,
    rollout: str,
    defaults_on: bool,
    has_closed_cycle: bool,
    pilot_unit_id: int | None = None,
) -> Policy:
    """The policy of an organization from the facts that decide it."""
    first = defaults_on and not has_closed_cycle
    return Policy(
        first_cycle=first,
        rollout=rollout if rollout in SHAPES else EVERYONE,
        pilot_unit_id=pilot_unit_id if rollout == PILOT else None,
        max_objectives_per_team=FIRST_CYCLE_OBJECTIVES if first else MAX_OBJECTIVES,
        recommended_objectives_per_team=FIRST_CYCLE_OBJECTIVES if first else RECOMMENDED_OBJECTIVES,
        max_company_objectives=FIRST_CYCLE_OBJECTIVES if first else MAX_OBJECTIVES,
        recommended_company_objectives=FIRST_CYCLE_OBJECTIVES if first else RECOMMENDED_OBJECTIVES,
        aspirational_allowed=not first,
        alignment_expected=not first,
    )
