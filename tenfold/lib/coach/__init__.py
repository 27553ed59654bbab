"""The coach's quality rules: instant, explained suggestions on every OKR (METHOD §1–§4, §9).

Pure Python, no database: forms (as you type), the objective page, the planning board,
`tenfold coach FILE` and the API all call these functions. See docs/coach.md.
"""

from tenfold.lib.coach.catalogue import RULES, Rule, rule_ids
from tenfold.lib.coach.checks import (
    check_cycle,
    check_key_result,
    check_objective,
    check_unit,
    needs_work,
)
from tenfold.lib.coach.text import detect_language, has_number, similarity
from tenfold.lib.coach.types import Context, Finding, KeyResultText, ObjectiveText, Severity

__all__ = [
    "RULES",
    "Context",
    "Finding",
    "KeyResultText",
    "ObjectiveText",
    "Rule",
    "Severity",
    "check_cycle",
    "check_key_result",
    "check_objective",
    "check_unit",
    "detect_language",
    "has_number",
    "needs_work",
    "rule_ids",
    "similarity",
]
