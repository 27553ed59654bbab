"""The advisory check: today's lock passes against the kept snapshot; an advisory against a
locked version, a package the snapshot misses and a version without data each fail with a
message that names them; refresh reads PyPI's answers the way they come."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest

from tenfold.devtools.advisories import (
    ACCEPTED,
    LOCK,
    SNAPSHOT,
    AdvisoryError,
    Locked,
    PyPIReader,
    accepted_load,
    locked_packages,
    main,
    problems_of,
    snapshot_build,
    snapshot_load,
)

ADVISORY = {
    "id": "GHSA-test-0000-0000",
    "aliases": ["CVE-2026-00000"],
    "summary": "A made-up flaw for the test.",
    "fixed_in": ["9.9.9"],
    "link": "https://osv.dev/vulnerability/GHSA-test-0000-0000",
}

LOCK_TEXT = """
version = 1

[[package]]
name = "tenfold"
version = "0.1.0"
source = { editable = "." }

[[package]]
name = "Django"
version = "6.1.3"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "pyyaml"
version = "6.0.3"
source = { registry = "https://pypi.org/simple" }
"""


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(argv), out), out.getvalue()


def files(
    tmp_path: Path, packages: dict[str, Any], accepted: str = ""
) -> tuple[str, str, str, str, str, str]:
    """A lock of Django 6.1.3 and PyYAML 6.0.3, a snapshot with `packages` and an accepted
    file, as command line options."""
    lock = tmp_path / "uv.lock"
    lock.write_text(LOCK_TEXT, encoding="utf-8")
    snapshot = tmp_path / "advisories.json"
    snapshot.write_text(json.dumps({"refreshed": "2026-12-01", "packages": packages}))
    accepted_file = tmp_path / "accepted.toml"
    accepted_file.write_text(accepted, encoding="utf-8")
    return (
        "--lock",
        str(lock),
        "--snapshot",
        str(snapshot),
        "--accepted",
        str(accepted_file),
    )


CLEAN = {
    "django==6.1.3": {"basis": "latest", "advisories": []},
    "pyyaml==6.0.3": {"basis": "latest", "advisories": []},
}


def test_todays_lock_passes_against_the_kept_snapshot() -> None:
    packages = locked_packages(LOCK)
    assert len(packages) > 50
    assert problems_of(packages, snapshot_load(SNAPSHOT), accepted_load(ACCEPTED)) == []
    status, text = run("check")
    assert status == 0, text
    assert f"{len(packages)} locked packages checked" in text


def test_the_lock_is_read_without_the_project_itself_and_with_names_normalized(
    tmp_path: Path,
) -> None:
    lock = Path(files(tmp_path, CLEAN)[1])
    assert locked_packages(lock) == [Locked("django", "6.1.3"), Locked("pyyaml", "6.0.3")]


def test_a_clean_snapshot_passes(tmp_path: Path) -> None:
    status, text = run("check", *files(tmp_path, CLEAN))
    assert status == 0, text
    assert "2 locked packages checked" in text
    assert "0 problems" in text


def test_an_advisory_against_a_locked_version_fails_and_names_it(tmp_path: Path) -> None:
    packages = {**CLEAN, "django==6.1.3": {"basis": "latest", "advisories": [ADVISORY]}}
    status, text = run("check", *files(tmp_path, packages))
    assert status == 1
    assert (
        "django==6.1.3 has advisory GHSA-test-0000-0000 (CVE-2026-00000): "
        "A made-up flaw for the test. Fixed in: 9.9.9." in text
    )
    assert "1 problem." in text


def test_an_accepted_advisory_passes_by_its_id_or_an_alias(tmp_path: Path) -> None:
    packages = {**CLEAN, "django==6.1.3": {"basis": "latest", "advisories": [ADVISORY]}}
    for name in ("GHSA-test-0000-0000", "CVE-2026-00000"):
        accepted = f'[[advisory]]\npackage = "Django==6.1.3"\nid = "{name}"\nreason = "Unused."\n'
        status, text = run("check", *files(tmp_path, packages, accepted))
        assert status == 0, text


def test_an_acceptance_of_another_version_does_not_count(tmp_path: Path) -> None:
    packages = {**CLEAN, "django==6.1.3": {"basis": "latest", "advisories": [ADVISORY]}}
    accepted = '[[advisory]]\npackage = "django==6.1.2"\nid = "GHSA-test-0000-0000"\nreason = "x"\n'
    status, text = run("check", *files(tmp_path, packages, accepted))
    assert status == 1
    assert "note: the acceptance of django==6.1.2 GHSA-test-0000-0000 matches nothing" in text


def test_a_locked_package_missing_from_the_snapshot_fails(tmp_path: Path) -> None:
    packages = {"django==6.1.3": CLEAN["django==6.1.3"], "pyyaml==6.0.2": CLEAN["pyyaml==6.0.3"]}
    status, text = run("check", *files(tmp_path, packages))
    assert status == 1
    assert "pyyaml==6.0.3 is locked but the snapshot does not cover it" in text
    assert "advisories refresh" in text


def test_a_version_without_data_fails_unless_accepted(tmp_path: Path) -> None:
    packages = {
        **CLEAN,
        "pyyaml==6.0.3": {"basis": "unknown", "latest": "6.0.4", "advisories": None},
    }
    status, text = run("check", *files(tmp_path, packages))
    assert status == 1
    assert "pyyaml==6.0.3: PyPI gave no advisory data for this version" in text
    assert "latest release is 6.0.4" in text

    accepted = '[[unknown]]\npackages = ["PyYAML==6.0.3"]\nreason = "One behind."\n'
    status, text = run("check", *files(tmp_path, packages, accepted))
    assert status == 0, text
    assert "1 without data" in text


def test_an_acceptance_without_a_reason_is_refused(tmp_path: Path) -> None:
    accepted = '[[unknown]]\npackages = ["pyyaml==6.0.3"]\nreason = " "\n'
    status, text = run("check", *files(tmp_path, CLEAN, accepted))
    assert status == 2
    assert "[[unknown]] number 1 gives no reason" in text


def test_a_missing_snapshot_says_how_to_make_one(tmp_path: Path) -> None:
    options = list(files(tmp_path, CLEAN))
    options[3] = str(tmp_path / "none.json")
    status, text = run("check", *options)
    assert status == 2
    assert "No snapshot at" in text
    assert "advisories refresh" in text


class FakePyPI:
    """PyPI's JSON API as seen from behind a proxy that serves project pages only."""

    def __init__(self, per_release: bool) -> None:
        self.per_release = per_release
        self.asked: list[str] = []
        self.projects = {
            "django": {
                "info": {"version": "6.1.3"},
                "releases": {"6.1.2": [], "6.1.3": []},
                "vulnerabilities": [{**ADVISORY, "details": "Long text.", "withdrawn": None}],
            },
            "pyyaml": {"info": {"version": "6.0.4"}, "releases": {"6.0.3": [], "6.0.4": []}},
        }

    def __call__(self, url: str) -> dict[str, Any] | None:
        self.asked.append(url)
        parts = url.removeprefix("https://pypi.org/pypi/").split("/")
        project = self.projects.get(parts[0])
        if project is None:
            return None
        if len(parts) == 3:
            if not self.per_release:
                return None
            return {"vulnerabilities": [] if parts[0] == "pyyaml" else project["vulnerabilities"]}
        return project


def test_refresh_falls_back_to_the_project_page_and_marks_older_versions_unknown() -> None:
    fake = FakePyPI(per_release=False)
    packages = [Locked("django", "6.1.3"), Locked("pyyaml", "6.0.3")]
    document = snapshot_build(packages, PyPIReader(fake), dt.date(2026, 12, 1))
    assert document["refreshed"] == "2026-12-01"
    assert document["per_release_data"] is False
    assert document["packages"]["django==6.1.3"] == {"basis": "latest", "advisories": [ADVISORY]}
    assert document["packages"]["pyyaml==6.0.3"] == {
        "basis": "unknown",
        "latest": "6.0.4",
        "advisories": None,
    }
    # Once the per-release page proved unreachable, it is not asked again.
    assert fake.asked == [
        "https://pypi.org/pypi/django/6.1.3/json",
        "https://pypi.org/pypi/django/json",
        "https://pypi.org/pypi/pyyaml/json",
    ]


def test_refresh_uses_the_per_release_page_where_it_is_served() -> None:
    fake = FakePyPI(per_release=True)
    packages = [Locked("django", "6.1.3"), Locked("pyyaml", "6.0.3")]
    document = snapshot_build(packages, PyPIReader(fake), dt.date(2026, 12, 1))
    assert document["per_release_data"] is True
    assert document["packages"]["pyyaml==6.0.3"] == {"basis": "release", "advisories": []}
    assert document["packages"]["django==6.1.3"]["advisories"] == [ADVISORY]


def test_withdrawn_advisories_are_left_out() -> None:
    fake = FakePyPI(per_release=False)
    fake.projects["django"]["vulnerabilities"][0]["withdrawn"] = "2026-11-30T00:00:00Z"
    entry = PyPIReader(fake).entry(Locked("django", "6.1.3"))
    assert entry == {"basis": "latest", "advisories": []}


def test_an_unknown_project_stops_the_refresh() -> None:
    with pytest.raises(AdvisoryError, match="PyPI knows no project nothing-here"):
        PyPIReader(FakePyPI(per_release=False)).entry(Locked("nothing-here", "1.0"))
