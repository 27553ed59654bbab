"""Known advisories against the locked dependencies, checked offline against a kept snapshot.

`refresh` asks PyPI's JSON API about every package version in uv.lock and writes the
advisories it reports (OSV data, the documents' "vulnerabilities") with the date into
security/advisories.json. `check` needs no network: it reads uv.lock and that snapshot and
fails on

- a locked version with an advisory that security/accepted-advisories.toml does not accept;
- a locked version the snapshot does not cover (the lock changed since the last refresh);
- a locked version the snapshot has no data for, unless that file accepts the gap.

PyPI reports advisories per release (`/pypi/<name>/<version>/json`) and per project
(`/pypi/<name>/json`, whose advisories are the latest release's). Where the per-release address
is not served (as behind a registry proxy that passes only the project pages), a locked
version that is not the latest release has no data, and the snapshot says so ("unknown").

    python -m tenfold.devtools.advisories refresh   # network: after every change of uv.lock
    python -m tenfold.devtools.advisories check     # offline: `make security`, CI
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import tomllib
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

ROOT = Path(__file__).resolve().parents[2]
LOCK = ROOT / "uv.lock"
SNAPSHOT = ROOT / "security" / "advisories.json"
ACCEPTED = ROOT / "security" / "accepted-advisories.toml"
PYPI = "https://pypi.org/pypi"
TIMEOUT = 30
SUMMARY_LENGTH = 200

Fetch = Callable[[str], dict[str, Any] | None]
"""Reads one JSON document: the parsed document, or None when the address answers 404."""


class AdvisoryError(Exception):
    """A file or an answer this tool cannot use; the message says which and why."""


@dataclass(frozen=True, order=True)
class Locked:
    """One package version taken from a registry, as uv.lock pins it."""

    name: str
    version: str

    @property
    def key(self) -> str:
        return f"{self.name}=={self.version}"


@dataclass
class Accepted:
    """What security/accepted-advisories.toml accepts, each with its reason."""

    advisories: dict[tuple[str, str], str] = field(default_factory=dict)
    """(package==version, advisory id or alias) → reason."""
    unknown: dict[str, str] = field(default_factory=dict)
    """package==version without advisory data → reason."""


def normalize(name: str) -> str:
    """A package name as uv.lock and PyPI compare names (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def locked_packages(lock: Path) -> list[Locked]:
    """Every package version uv.lock takes from a registry, sorted by name. The project itself
    and anything installed from a path or a repository are not PyPI's to report on."""
    try:
        data = tomllib.loads(lock.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise AdvisoryError(f"Cannot read the lock file {lock}: {error}") from error
    found = {
        Locked(normalize(str(package["name"])), str(package["version"]))
        for package in data.get("package", [])
        if "registry" in package.get("source", {})
    }
    return sorted(found)


def fetch_json(url: str) -> dict[str, Any] | None:
    """The JSON document at `url` (https only), or None when the server answers 404."""
    if not url.startswith("https://"):
        raise AdvisoryError(f"Refusing to read {url}: only https addresses are asked.")
    request = urllib.request.Request(
        url, headers={"Accept": "application/json", "User-Agent": "tenfold-advisories"}
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # nosec B310  # https, checked above
            document = json.load(response)
    except urllib.error.HTTPError as error:
        if error.code == 404:
            return None
        raise AdvisoryError(f"{url} answered {error.code}.") from error
    except (urllib.error.URLError, TimeoutError, ValueError) as error:
        raise AdvisoryError(f"Cannot read {url}: {error}") from error
    if not isinstance(document, dict):
        raise AdvisoryError(f"{url} did not answer with a JSON object.")
    return document


def advisories_in(document: dict[str, Any]) -> list[dict[str, Any]]:
    """The advisories of a PyPI JSON document, reduced to what a reader needs and sorted by
    id. Withdrawn advisories are left out."""
    found = []
    for entry in document.get("vulnerabilities") or []:
        if entry.get("withdrawn"):
            continue
        text = str(entry.get("summary") or entry.get("details") or "").strip()
        found.append(
            {
                "id": str(entry.get("id", "")),
                "aliases": sorted(str(alias) for alias in entry.get("aliases") or []),
                "summary": " ".join(text.split())[:SUMMARY_LENGTH],
                "fixed_in": [str(version) for version in entry.get("fixed_in") or []],
                "link": str(entry.get("link") or ""),
            }
        )
    return sorted(found, key=lambda advisory: advisory["id"])


class PyPIReader:
    """Reads each locked version's advisories from PyPI. The per-release address is asked
    first; once it answers 404 for a release that the project's own document lists, it is
    taken as not served from here and only the project address is asked from then on."""

    def __init__(self, fetch: Fetch = fetch_json) -> None:
        self.fetch = fetch
        self.per_release: bool | None = None

    def entry(self, package: Locked) -> dict[str, Any]:
        """The snapshot's entry for one locked version: where its data comes from ("release",
        "latest" or "unknown") and its advisories (None when unknown)."""
        if self.per_release is not False:
            document = self.fetch(f"{PYPI}/{package.name}/{package.version}/json")
            if document is not None:
                self.per_release = True
                return {"basis": "release", "advisories": advisories_in(document)}
        project = self.fetch(f"{PYPI}/{package.name}/json")
        if project is None:
            raise AdvisoryError(f"PyPI knows no project {package.name} (locked at {package.key}).")
        latest = str((project.get("info") or {}).get("version", ""))
        if self.per_release is None and package.version in (project.get("releases") or {}):
            self.per_release = False
        if latest == package.version:
            return {"basis": "latest", "advisories": advisories_in(project)}
        return {"basis": "unknown", "latest": latest, "advisories": None}


def snapshot_build(
    packages: Iterable[Locked], reader: PyPIReader, today: dt.date, out: TextIO | None = None
) -> dict[str, Any]:
    """The snapshot document for these locked versions, read through `reader`."""
    entries = {}
    for package in packages:
        entries[package.key] = reader.entry(package)
        if out is not None:
            print(f"  {package.key}: {_entry_text(entries[package.key])}", file=out)
    return {
        "about": (
            "Advisories PyPI's JSON API reports for each version in uv.lock "
            "(python -m tenfold.devtools.advisories refresh)."
        ),
        "refreshed": today.isoformat(),
        "per_release_data": bool(reader.per_release),
        "packages": entries,
    }


def _entry_text(entry: dict[str, Any]) -> str:
    if entry["advisories"] is None:
        return f"no data (the latest release is {entry.get('latest') or '?'})"
    count = len(entry["advisories"])
    return f"{count} advisor{'y' if count == 1 else 'ies'}"


def snapshot_load(path: Path) -> dict[str, Any]:
    """The kept snapshot, checked for the shape `check` relies on."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise AdvisoryError(
            f"No snapshot at {path}: run `python -m tenfold.devtools.advisories refresh`."
        ) from error
    except ValueError as error:
        raise AdvisoryError(f"The snapshot {path} is not JSON: {error}") from error
    packages = document.get("packages") if isinstance(document, dict) else None
    if not isinstance(packages, dict) or not isinstance(document.get("refreshed"), str):
        raise AdvisoryError(f"The snapshot {path} has no 'refreshed' date or 'packages' table.")
    for key, entry in packages.items():
        if not isinstance(entry, dict) or not (
            entry.get("advisories") is None or isinstance(entry.get("advisories"), list)
        ):
            raise AdvisoryError(f"The snapshot's entry for {key} has no 'advisories' list.")
    return document


def accepted_load(path: Path) -> Accepted:
    """The accepted advisories and gaps, each of which must name its package version and give
    a reason."""
    if not path.exists():
        return Accepted()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise AdvisoryError(f"{path} is not valid TOML: {error}") from error
    accepted = Accepted()
    for number, item in enumerate(data.get("advisory", []), start=1):
        reason = _reason(path, "advisory", number, item)
        package, advisory = item.get("package"), item.get("id")
        if not isinstance(package, str) or "==" not in package or not isinstance(advisory, str):
            raise AdvisoryError(
                f'{path}: [[advisory]] number {number} needs package = "name==version" and id.'
            )
        accepted.advisories[(_key(package), advisory)] = reason
    for number, item in enumerate(data.get("unknown", []), start=1):
        reason = _reason(path, "unknown", number, item)
        packages = item.get("packages")
        if not isinstance(packages, list) or not all(
            isinstance(p, str) and "==" in p for p in packages
        ):
            raise AdvisoryError(
                f'{path}: [[unknown]] number {number} needs packages = ["name==version", …].'
            )
        for package in packages:
            accepted.unknown[_key(package)] = reason
    return accepted


def _reason(path: Path, table: str, number: int, item: Any) -> str:
    reason = item.get("reason") if isinstance(item, dict) else None
    if not isinstance(reason, str) or not reason.strip():
        raise AdvisoryError(f"{path}: [[{table}]] number {number} gives no reason.")
    return reason.strip()


def _key(package: str) -> str:
    name, _, version = package.partition("==")
    return f"{normalize(name.strip())}=={version.strip()}"


def problems_of(
    packages: Sequence[Locked], snapshot: dict[str, Any], accepted: Accepted
) -> list[str]:
    """Why the lock does not pass against the snapshot: one line per problem, none if it
    passes."""
    found = []
    entries: dict[str, Any] = snapshot["packages"]
    for package in packages:
        entry = entries.get(package.key)
        if entry is None:
            found.append(
                f"{package.key} is locked but the snapshot does not cover it: the lock changed "
                "since the last refresh; run `python -m tenfold.devtools.advisories refresh`."
            )
        elif entry["advisories"] is None:
            if package.key not in accepted.unknown:
                found.append(
                    f"{package.key}: PyPI gave no advisory data for this version (its latest "
                    f"release is {entry.get('latest') or 'unknown'}). Upgrade it, or accept the "
                    "gap in [[unknown]] of security/accepted-advisories.toml with a reason."
                )
        else:
            found += [
                _advisory_text(package, advisory)
                for advisory in entry["advisories"]
                if not _is_accepted(package, advisory, accepted)
            ]
    return found


def _is_accepted(package: Locked, advisory: dict[str, Any], accepted: Accepted) -> bool:
    names = [advisory.get("id", ""), *advisory.get("aliases", [])]
    return any((package.key, name) in accepted.advisories for name in names)


def _advisory_text(package: Locked, advisory: dict[str, Any]) -> str:
    aliases = ", ".join(advisory.get("aliases") or [])
    fixed = ", ".join(advisory.get("fixed_in") or []) or "no fixed release yet"
    summary = str(advisory.get("summary") or "no summary").rstrip(".")
    parts = [
        f"{package.key} has advisory {advisory.get('id')}"
        f"{f' ({aliases})' if aliases else ''}: {summary}.",
        f"Fixed in: {fixed}.",
    ]
    if advisory.get("link"):
        parts.append(str(advisory["link"]))
    parts.append("Upgrade it, or accept it in security/accepted-advisories.toml with a reason.")
    return " ".join(parts)


def unused_acceptances(
    packages: Sequence[Locked], snapshot: dict[str, Any], accepted: Accepted
) -> list[str]:
    """Accepted entries that match nothing any more (the package was upgraded or the
    advisory withdrawn): they can go."""
    keys = {package.key for package in packages}
    entries: dict[str, Any] = snapshot["packages"]
    used = set()
    for package in packages:
        for advisory in entries.get(package.key, {}).get("advisories") or []:
            for name in [advisory.get("id", ""), *advisory.get("aliases", [])]:
                used.add((package.key, name))
    stale = [f"{key} {name}" for key, name in accepted.advisories if (key, name) not in used]
    stale += [
        key
        for key in accepted.unknown
        if key not in keys or (entries.get(key) or {}).get("advisories") is not None
    ]
    return sorted(stale)


def check(lock: Path, snapshot_path: Path, accepted_path: Path, out: TextIO) -> int:
    """Print the problems of the lock against the snapshot; 1 if there are any, else 0."""
    packages = locked_packages(lock)
    snapshot = snapshot_load(snapshot_path)
    accepted = accepted_load(accepted_path)
    found = problems_of(packages, snapshot, accepted)
    for line in found:
        print(line, file=out)
    for stale in unused_acceptances(packages, snapshot, accepted):
        print(f"note: the acceptance of {stale} matches nothing now and can go.", file=out)
    entries = snapshot["packages"]
    advisories = sum(len(entries.get(p.key, {}).get("advisories") or []) for p in packages)
    unknown = sum(1 for p in packages if p.key in entries and entries[p.key]["advisories"] is None)
    print(
        f"{len(packages)} locked packages checked against the snapshot of "
        f"{snapshot['refreshed']}: {advisories} advisor{'y' if advisories == 1 else 'ies'}, "
        f"{unknown} without data (accepted or listed above), "
        f"{len(found)} problem{'' if len(found) == 1 else 's'}.",
        file=out,
    )
    return 1 if found else 0


def refresh(lock: Path, snapshot_path: Path, reader: PyPIReader, out: TextIO) -> int:
    """Ask PyPI about every locked version and write the snapshot; 0 when written."""
    packages = locked_packages(lock)
    print(f"Asking PyPI about {len(packages)} locked packages…", file=out)
    document = snapshot_build(packages, reader, dt.date.today(), out)
    snapshot_path.parent.mkdir(parents=True, exist_ok=True)
    snapshot_path.write_text(
        json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    print(f"Wrote {snapshot_path}.", file=out)
    return 0


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """The command line: `refresh` or `check`, with the files' places as options."""
    parser = argparse.ArgumentParser(
        prog="python -m tenfold.devtools.advisories",
        description="Check uv.lock against a kept snapshot of PyPI's advisories.",
    )
    parser.add_argument("action", choices=["refresh", "check"])
    parser.add_argument("--lock", type=Path, default=LOCK)
    parser.add_argument("--snapshot", type=Path, default=SNAPSHOT)
    parser.add_argument("--accepted", type=Path, default=ACCEPTED)
    options = parser.parse_args(argv)
    stream = out or sys.stdout
    try:
        if options.action == "refresh":
            return refresh(options.lock, options.snapshot, PyPIReader(), stream)
        return check(options.lock, options.snapshot, options.accepted, stream)
    except AdvisoryError as error:
        print(f"error: {error}", file=stream)
        return 2


if __name__ == "__main__":
    sys.exit(main())
