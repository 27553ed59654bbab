"""The demo organization, with its several cycles, units, closed objectives and check-ins,
exports to files that plan to nothing and that the coach reads."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import time_machine

from tenfold.coach.okrfile import read_path
from tenfold.okrcode.files import export_files, read_documents
from tenfold.okrcode.plan import plan
from tenfold.okrs.demo import build_demo
from tenfold.organizations.models import Membership, Role

NOW = dt.datetime(2026, 11, 15, 12, 0, tzinfo=dt.UTC)


@pytest.mark.django_db
def test_the_demo_exports_to_files_that_plan_to_nothing(tmp_path: Path, settings: Any) -> None:
    with time_machine.travel(NOW, tick=False):
        org = build_demo(NOW.date())
        paths = export_files(org, tmp_path)
        assert len(paths) >= 5
        assert len({p.parent for p in paths}) >= 2  # several cycles
        owner = Membership.objects.filter(organization=org, role=Role.OWNER).first()
        assert owner is not None
        found = plan(org, read_documents(paths), by=owner.user)
        assert [str(p) for p in found.problems] == []
        assert found.changes == []
        for path in paths:
            assert read_path(path).objectives
