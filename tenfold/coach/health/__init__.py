"""The programme health check (METHOD §9 and §3): is the OKR programme alive, and what to do
about it, for the whole organization or for one unit and the units below it.

`rules` holds the pure rules (facts in, signals and a score out); `selectors` reads the facts
with a fixed number of queries and decides who may see a report. Pages, the API and the
`tenfold health` command all call `org_health` and `unit_health`.
"""

from .rules import (
    GRADE_LABELS,
    STATE_LABELS,
    Grade,
    Health,
    Item,
    Signal,
    State,
    UnitScore,
    as_dict,
)
from .selectors import (
    can_see_org_health,
    can_see_unit_health,
    company_unit_id,
    org_health,
    unit_health,
)

__all__ = [
    "GRADE_LABELS",
    "STATE_LABELS",
    "Grade",
    "Health",
    "Item",
    "Signal",
    "State",
    "UnitScore",
    "as_dict",
    "can_see_org_health",
    "can_see_unit_health",
    "company_unit_id",
    "org_health",
    "unit_health",
]
