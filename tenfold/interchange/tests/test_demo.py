from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tenfold.interchange.importing import load
from tenfold.okrs.demo import build_demo

from .helpers import delete_organization, export_text, normalise, snapshot


@pytest.mark.django_db
def test_the_demo_organization_survives_a_round_trip(db: Any) -> None:
    demo = build_demo(dt.date(2026, 11, 18), password=None)
    before = snapshot(demo)
    text = export_text(demo)
    assert before["checkins"] and before["weekly_items"] and before["kpi_values"]
    delete_organization(demo)

    imported = load(text)

    after = snapshot(imported)
    for name, rows in before.items():
        assert after[name] == rows, name
    assert normalise(export_text(imported)) == normalise(text)
