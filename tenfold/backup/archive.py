"""JSON backups: one ZIP archive with a manifest, the site's tables (`site.json`, see
`tables.py`) and one interchange document per organization (`organizations/<slug>.json`, the
format of `tenfold export --format json`).

The manifest lists every part with its SHA-256 checksum, its size and how many rows of each
kind it holds. A restore checks the archive, every checksum and that nothing here is in the
way before it writes anything; it then writes everything in one transaction and compares the
rows it wrote with the manifest's counts, so any failure leaves the database as it was.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import io
import json
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tenfold.accounts.models import User
from tenfold.interchange.exporting import dump, iso_datetime
from tenfold.interchange.importing import InterchangeError, load, read
from tenfold.interchange.spec import FORMAT, FORMAT_VERSION, PEOPLE, SECTIONS
from tenfold.lib.longrun import Progress
from tenfold.organizations.models import Organization

from .files import JSON, BackupError, replacing
from .tables import (
    ACCOUNT_TABLES,
    ORGANIZATION_TABLES,
    TABLES,
    account_emails,
    decode_tables,
    dump_tables,
    restore_table,
)

BACKUP_FORMAT = "tenfold-backup"
BACKUP_VERSION = 1
MANIFEST = "manifest.json"
SITE = "site.json"
SITE_FORMAT = "tenfold-site"
ORGANIZATION_PART = re.compile(r"organizations/[-a-zA-Z0-9_]+\.json")
CHUNK = 1 << 20


@dataclass
class Part:
    """One file of the archive, as the manifest describes it."""

    name: str
    sha256: str
    size: int
    rows: dict[str, int]
    organization: dict[str, str] | None = None

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"name": self.name, "sha256": self.sha256, "size": self.size}
        if self.organization is not None:
            data["organization"] = self.organization
        data["rows"] = self.rows
        return data


@dataclass
class Summary:
    """What a backup holds or what a restore wrote."""

    kind: str
    path: Path
    parts: list[Part] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)
    """Rows per table, for a native backup (a JSON backup counts them per part)."""

    @property
    def organizations(self) -> list[Part]:
        return [part for part in self.parts if part.organization is not None]

    @property
    def total_rows(self) -> int:
        if self.parts:
            return sum(sum(part.rows.values()) for part in self.parts)
        return sum(self.rows.values())


def tenfold_version() -> str:
    try:
        return importlib.metadata.version("tenfold")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def organization_counts(organization: Organization) -> dict[str, int]:
    """The organization's rows in each section of its interchange document (people are
    counted once for the whole site, as accounts)."""
    counts: dict[str, int] = {}
    for section in SECTIONS:
        if section.name == PEOPLE:
            continue
        manager = section.model._base_manager
        if section.name == "organization":
            counts[section.name] = 1
        else:
            counts[section.name] = manager.filter(**{section.scope: organization}).count()
    return counts


# --- writing --------------------------------------------------------------------------------


class _Hashing(io.RawIOBase):
    """Passes bytes on to `raw`, keeping their SHA-256 checksum and their number."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.digest = hashlib.sha256()
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        view = memoryview(data)
        self.digest.update(view)
        self.raw.write(view)
        self.size += view.nbytes
        return view.nbytes


def _write_text(archive: zipfile.ZipFile, name: str, write: Any) -> tuple[str, int]:
    """Write a part through `write(text_stream)`; returns its checksum and size."""
    with archive.open(name, "w", force_zip64=True) as raw:
        hashing = _Hashing(raw)
        buffered = io.BufferedWriter(hashing, buffer_size=CHUNK)
        text = io.TextIOWrapper(buffered, encoding="utf-8", newline="\n")
        write(text)
        text.flush()
        text.detach()
        buffered.detach()
    return hashing.digest.hexdigest(), hashing.size


def _write_site(text: IO[str], tables: dict[str, list[dict[str, Any]]]) -> None:
    """The site's tables, one row a line (readable and diff-friendly)."""

    def dumps(value: Any) -> str:
        return json.dumps(value, ensure_ascii=True, separators=(", ", ": "))

    text.write("{\n")
    text.write(f'"format": {dumps(SITE_FORMAT)},\n"format_version": {BACKUP_VERSION},\n')
    text.write('"tables": {')
    for position, (label, rows) in enumerate(tables.items()):
        text.write("," if position else "")
        text.write(f"\n{dumps(label)}: [")
        text.write(",".join(f"\n  {dumps(row)}" for row in rows))
        text.write("\n]" if rows else "]")
    text.write("\n}\n}\n")


def _site_part(archive: zipfile.ZipFile) -> Part:
    tables = dump_tables(TABLES)
    digest, size = _write_text(archive, SITE, lambda text: _write_site(text, tables))
    return Part(SITE, digest, size, {label: len(rows) for label, rows in tables.items()})


def _organization_part(
    archive: zipfile.ZipFile, organization: Organization, progress: Progress
) -> Part:
    name = f"organizations/{organization.slug}.json"
    digest, size = _write_text(
        archive, name, lambda text: dump(organization, text, progress=progress)
    )
    about = {"code": organization.code, "slug": organization.slug, "name": organization.name}
    return Part(name, digest, size, organization_counts(organization), about)


def write_json(path: Path, *, progress: Progress | None = None) -> Summary:
    """Write the whole site to `path` as a JSON backup. The caller holds the database still
    (`snapshot.consistent_read`), so every part is of the same moment."""
    progress = progress or Progress()
    summary = Summary(kind=JSON, path=path)
    with (
        replacing(path) as temporary,
        zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive,
    ):
        summary.parts.append(_site_part(archive))
        for organization in Organization.objects.order_by("slug"):
            progress.check()
            summary.parts.append(_organization_part(archive, organization, progress))
        manifest = {
            "format": BACKUP_FORMAT,
            "format_version": BACKUP_VERSION,
            "created_at": iso_datetime(timezone.now()),
            "tenfold_version": tenfold_version(),
            "database": connection.vendor,
            "interchange_format": {"format": FORMAT, "format_version": FORMAT_VERSION},
            "parts": [part.as_json() for part in summary.parts],
        }
        archive.writestr(MANIFEST, json.dumps(manifest, indent=2) + "\n")
    return summary


# --- reading --------------------------------------------------------------------------------


def _damaged(path: Path, detail: str) -> BackupError:
    return BackupError(
        _("%(path)s is damaged: %(detail)s; nothing was changed.")
        % {"path": path, "detail": detail}
    )


def _is_count_map(value: Any) -> bool:
    return isinstance(value, dict) and all(
        isinstance(key, str) and type(count) is int and count >= 0 for key, count in value.items()
    )


def _part(path: Path, item: Any) -> Part:
    if not (
        isinstance(item, dict)
        and isinstance(item.get("name"), str)
        and isinstance(item.get("sha256"), str)
        and re.fullmatch(r"[0-9a-f]{64}", item["sha256"])
        and type(item.get("size")) is int
        and _is_count_map(item.get("rows"))
    ):
        raise _damaged(path, _("the manifest describes a part badly"))
    about = item.get("organization")
    if item["name"] == SITE and about is None:
        return Part(item["name"], item["sha256"], item["size"], item["rows"])
    if not (
        ORGANIZATION_PART.fullmatch(item["name"])
        and isinstance(about, dict)
        and all(isinstance(about.get(key), str) for key in ("code", "slug", "name"))
    ):
        raise _damaged(path, _("the manifest lists an unexpected part"))
    return Part(item["name"], item["sha256"], item["size"], item["rows"], about)


def _manifest(path: Path, archive: zipfile.ZipFile) -> list[Part]:
    try:
        data = json.loads(archive.read(MANIFEST))
    except KeyError:
        raise BackupError(
            _("%(path)s is a ZIP archive but not a Tenfold backup (it has no manifest).")
            % {"path": path}
        ) from None
    except (ValueError, UnicodeDecodeError):
        raise _damaged(path, _("its manifest is not valid JSON")) from None
    if not isinstance(data, dict) or data.get("format") != BACKUP_FORMAT:
        raise BackupError(_("%(path)s is a ZIP archive but not a Tenfold backup.") % {"path": path})
    version = data.get("format_version")
    if type(version) is not int or not 1 <= version <= BACKUP_VERSION:
        raise BackupError(
            _("%(path)s is backup format version %(version)s; this Tenfold reads up to %(max)s.")
            % {"path": path, "version": version, "max": BACKUP_VERSION}
        )
    items = data.get("parts")
    if not isinstance(items, list):
        raise _damaged(path, _("its manifest lists no parts"))
    parts = [_part(path, item) for item in items]
    names = [part.name for part in parts]
    if names.count(SITE) != 1 or len(set(names)) != len(names):
        raise _damaged(path, _("its manifest lists parts twice or leaves out site.json"))
    return parts


def _checksum(archive: zipfile.ZipFile, name: str) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with archive.open(name) as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


@contextlib.contextmanager
def open_archive(path: Path) -> Iterator[tuple[zipfile.ZipFile, list[Part]]]:
    """The archive and its parts, once the manifest, the list of files and every part's
    checksum have been checked; raises `BackupError` otherwise."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, EOFError):
        raise _damaged(path, _("it is not a complete ZIP archive")) from None
    with archive:
        try:
            parts = _manifest(path, archive)
            present = {info.filename for info in archive.infolist() if not info.is_dir()}
            listed = {part.name for part in parts} | {MANIFEST}
            if present != listed:
                extra = sorted(present ^ listed)[0]
                raise _damaged(
                    path,
                    _("%(name)s is in the archive or in its manifest, not in both")
                    % {"name": extra},
                )
            for part in parts:
                digest, size = _checksum(archive, part.name)
                if digest != part.sha256 or size != part.size:
                    raise _damaged(
                        path,
                        _("the checksum of %(name)s does not match the manifest")
                        % {"name": part.name},
                    )
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError) as error:
            raise _damaged(path, str(error) or type(error).__name__) from None
        yield archive, parts


def _document_counts(data: Any) -> dict[str, int]:
    counts: dict[str, int] = {}
    for section in SECTIONS:
        if section.name == PEOPLE:
            continue
        value = data.get(section.name) if isinstance(data, dict) else None
        if section.single:
            counts[section.name] = 0 if value is None else 1
        else:
            counts[section.name] = len(value) if isinstance(value, list) else 0
    return counts


def _read_site(path: Path, archive: zipfile.ZipFile, part: Part) -> dict[str, list[Any]]:
    try:
        data = json.loads(archive.read(SITE))
    except (ValueError, UnicodeDecodeError):
        raise _damaged(path, _("site.json is not valid JSON")) from None
    if not isinstance(data, dict) or data.get("format") != SITE_FORMAT:
        raise _damaged(path, _("site.json is not the site part of a backup"))
    tables = decode_tables(data, SITE)
    _compare_counts(path, part, {label: len(rows) for label, rows in tables.items()})
    return tables


def _compare_counts(path: Path, part: Part, found: dict[str, int]) -> None:
    for name in sorted(set(part.rows) | set(found)):
        expected, got = part.rows.get(name, 0), found.get(name, 0)
        if expected != got:
            raise _damaged(
                path,
                _("%(part)s holds %(got)s rows of %(table)s where the manifest says %(expected)s")
                % {"part": part.name, "got": got, "table": name, "expected": expected},
            )


def check_json(path: Path) -> Summary:
    """Check a JSON backup without writing anything: the archive, the checksums, that every
    part is readable and holds the rows the manifest counts."""
    with open_archive(path) as (archive, parts):
        for part in parts:
            if part.name == SITE:
                _read_site(path, archive, part)
                continue
            try:
                data = read(archive.read(part.name))
            except InterchangeError as error:
                raise _damaged(path, f"{part.name}: {error.messages[0]}") from None
            if not isinstance(data, dict) or data.get("format") != FORMAT:
                raise _damaged(
                    path, _("%(part)s is not an interchange document") % {"part": part.name}
                )
            _compare_counts(path, part, _document_counts(data))
    return Summary(kind=JSON, path=path, parts=parts)


# --- restoring ------------------------------------------------------------------------------


def _refuse_what_is_in_the_way(parts: list[Part], tables: dict[str, list[Any]]) -> None:
    """Refuse when an organization or an account of the backup is already here: a restore
    goes into an empty database (or one without any of the backup's rows)."""
    slugs = [part.organization["slug"] for part in parts if part.organization]
    codes = [part.organization["code"] for part in parts if part.organization]
    taken = Organization.objects.filter(Q(slug__in=slugs) | Q(code__in=codes))
    found = taken.order_by("slug").values_list("slug", flat=True).first()
    if found is not None:
        raise BackupError(
            _(
                "An organization at /%(slug)s/ is already here; restore into an empty "
                "database. Nothing was changed."
            )
            % {"slug": found}
        )
    emails = account_emails(tables)
    for start in range(0, len(emails), 500):
        here = User.objects.filter(email__in=emails[start : start + 500])
        email = here.order_by("email").values_list("email", flat=True).first()
        if email is not None:
            raise BackupError(
                _(
                    "The account %(email)s is already here; restore into an empty database "
                    "(create accounts after the restore). Nothing was changed."
                )
                % {"email": email}
            )


def restore_json(path: Path, *, progress: Progress | None = None) -> Summary:
    """Restore a JSON backup into this database: all of it or, on any problem, nothing."""
    progress = progress or Progress()
    if User._meta.db_table not in connection.introspection.table_names():
        raise BackupError(
            _("This database has no tables yet: run `tenfold migrate` first, then restore.")
        )
    with open_archive(path) as (archive, parts):
        site_part = next(part for part in parts if part.name == SITE)
        tables = _read_site(path, archive, site_part)
        _refuse_what_is_in_the_way(parts, tables)
        with transaction.atomic():
            for label in ACCOUNT_TABLES:
                restore_table(label, tables[label], SITE)
            for part in parts:
                if part.organization is None:
                    continue
                progress.check()
                try:
                    organization = load(archive.read(part.name), progress=progress)
                except InterchangeError as error:
                    raise BackupError(
                        _("%(part)s cannot be restored: %(problem)s Nothing was changed.")
                        % {"part": part.name, "problem": error.messages[0]}
                    ) from None
                _compare_counts(path, part, organization_counts(organization))
            for label in ORGANIZATION_TABLES:
                restore_table(label, tables[label], SITE)
    return Summary(kind=JSON, path=path, parts=parts)
