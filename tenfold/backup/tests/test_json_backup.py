"""`tenfold backup` (JSON) and `tenfold restore` of its archive, in the test's database."""

from __future__ import annotations

import hashlib
import json
import stat
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.management import CommandError
from django.db import connection

from tenfold.accounts.models import ApiToken, User
from tenfold.backup.snapshot import compare, project_models, snapshot
from tenfold.interchange.tests.helpers import export_text, normalise
from tenfold.organizations.models import Organization
from tenfold.webhooks.models import Webhook

from .helpers import empty_database, rewrite, run
from .site_rows import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def backup(site: Organization, tmp_path: Path) -> Path:
    path = tmp_path / "site.zip"
    run("backup", "--out", str(path))
    return path


def test_the_archive_holds_a_manifest_the_site_and_one_document_per_organization(
    backup: Path, site: Organization
) -> None:
    with zipfile.ZipFile(backup) as archive:
        names = sorted(archive.namelist())
        manifest = json.loads(archive.read("manifest.json"))
        parts = {part["name"]: part for part in manifest["parts"]}
        for name, part in parts.items():
            content = archive.read(name)
            assert part["sha256"] == hashlib.sha256(content).hexdigest()
            assert part["size"] == len(content)
        acme = archive.read("organizations/acme.json").decode()
        tables = json.loads(archive.read("site.json"))["tables"]
    assert names == [
        "manifest.json",
        "organizations/acme.json",
        "organizations/globex.json",
        "organizations/sandbox.json",
        "site.json",
    ]
    assert manifest["format"] == "tenfold-backup"
    assert parts["organizations/acme.json"]["organization"]["slug"] == "acme"
    assert normalise(acme) == normalise(export_text(site))
    assert parts["organizations/acme.json"]["rows"]["objectives"] == 4
    # What the interchange format leaves out, the site part keeps: password hashes, token
    # digests, webhook secrets.
    alice = next(row for row in tables["accounts.User"] if row["email"] == "alice@example.com")
    assert alice["password"] == User.objects.get(email="alice@example.com").password
    assert tables["accounts.ApiToken"][0]["digest"] == ApiToken.objects.get().digest
    assert tables["webhooks.Webhook"][0]["secret"] == "s3cret"
    assert tables["auth.Group_permissions"][0]["permission"] == [
        "organizations",
        "organization",
        "view_organization",
    ]
    assert parts["site.json"]["rows"]["accounts.User"] == User.objects.count()
    # Password hashes and secrets: readable by the file's owner only.
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600


def test_the_command_says_what_it_wrote(site: Organization, tmp_path: Path) -> None:
    out = run("backup", "--out", str(tmp_path))
    written = list(tmp_path.glob("tenfold-backup-*.zip"))
    assert len(written) == 1
    assert f"Wrote {written[0]} (JSON, bytes: " in out
    assert "organizations: 3, accounts: 8" in out
    assert "organizations/acme.json (Acme), rows: " in out


def test_a_restore_into_an_empty_database_brings_back_every_row(
    backup: Path, site: Organization
) -> None:
    tables = project_models(json_format=True)
    before = snapshot(tables, same_ids=False)
    empty_database()
    assert User.objects.count() == 0

    out = run("restore", str(backup))

    connection.check_constraints()
    comparison = compare(before, snapshot(tables, same_ids=False))
    assert comparison.differences == 0, [t for t in comparison.tables if t.differences]
    assert comparison.rows > 100
    assert "Restored" in out and "organizations: 3, accounts: 8" in out
    # People sign in with their own passwords; the integrations keep their secrets.
    assert User.objects.get(email="root@example.org").check_password(PASSWORD)
    assert User.objects.get(email="alice@example.com").check_password("correct-horse-battery")
    assert Webhook.objects.get().secret == "s3cret"


def _rows() -> tuple[int, int]:
    return Organization.objects.count(), User.objects.count()


def test_it_refuses_when_an_organization_of_the_backup_is_here(backup: Path) -> None:
    before = _rows()
    with pytest.raises(CommandError) as refused:
        run("restore", str(backup))
    assert str(refused.value) == (
        "An organization at /acme/ is already here; restore into an empty database. "
        "Nothing was changed."
    )
    assert _rows() == before


def test_it_refuses_when_an_account_of_the_backup_is_here(backup: Path) -> None:
    empty_database()
    User.objects.create_user(email="bob@example.com", password="other")
    with pytest.raises(CommandError) as refused:
        run("restore", str(backup))
    assert str(refused.value) == (
        "The account bob@example.com is already here; restore into an empty database "
        "(create accounts after the restore). Nothing was changed."
    )
    assert _rows() == (0, 1)


def test_force_is_refused_for_a_json_backup(backup: Path) -> None:
    with pytest.raises(CommandError, match="--force is for native backups"):
        run("restore", str(backup), "--force")


def test_check_reads_everything_and_writes_nothing(backup: Path) -> None:
    before = _rows()
    out = run("restore", "--check", str(backup))
    assert out.startswith(f"{backup} is a sound backup (JSON); every checksum matches:")
    assert _rows() == before


def _edit_title(content: bytes) -> bytes:
    return content.replace(b"Customers love onboarding", b"Customers hate onboarding")


def _drop(content: bytes) -> None:
    return None


def _bad_date(content: bytes) -> bytes:
    data = json.loads(content)
    data["tables"]["accounts.User"][0]["date_joined"] = "yesterday"
    return json.dumps(data).encode()


def _extra_column(content: bytes) -> bytes:
    data = json.loads(content)
    data["tables"]["accounts.ApiToken"][0]["token"] = "tf_plain"
    return json.dumps(data).encode()


def _without(column: str) -> Callable[[bytes], bytes]:
    def edit(content: bytes) -> bytes:
        data = json.loads(content)
        for row in data["tables"]["accounts.User"]:
            del row[column]
        return json.dumps(data).encode()

    return edit


def _dangling_cycle(content: bytes) -> bytes:
    data = json.loads(content)
    data["objectives"][0]["cycle"] = "nosuchcycle"
    return json.dumps(data).encode()


def _more_objectives(manifest: dict[str, object]) -> None:
    for part in manifest["parts"]:  # type: ignore[attr-defined]
        if part["name"] == "organizations/acme.json":
            part["rows"]["objectives"] += 1


DAMAGED = {
    "checksum": (
        {"organizations/acme.json": _edit_title},
        False,
        None,
        "is damaged: the checksum of organizations/acme.json does not match the manifest; "
        "nothing was changed.",
    ),
    "missing part": (
        {"organizations/globex.json": _drop},
        False,
        None,
        "is damaged: organizations/globex.json is in the archive or in its manifest, not in "
        "both; nothing was changed.",
    ),
    "bad value": (
        {"site.json": _bad_date},
        True,
        None,
        "site.json: accounts.User[0].date_joined: 'yesterday' is not a valid value.",
    ),
    "unknown column": (
        {"site.json": _extra_column},
        True,
        None,
        "site.json: accounts.ApiToken[0] does not have the columns of this Tenfold's table.",
    ),
    "missing column": (
        {"site.json": _without("email")},
        True,
        None,
        "site.json: accounts.User[0] has no value for email.",
    ),
    "counts": (
        {},
        True,
        _more_objectives,
        "is damaged: organizations/acme.json holds 4 rows of objectives where the manifest "
        "says 5; nothing was changed.",
    ),
    "bad reference": (
        {"organizations/acme.json": _dangling_cycle},
        True,
        None,
        'organizations/acme.json cannot be restored: objectives[0].cycle: no cycle "nosuchcycle" '
        "Nothing was changed.",
    ),
}


@pytest.mark.parametrize("case", DAMAGED)
def test_a_damaged_archive_is_refused_and_nothing_changes(
    backup: Path, tmp_path: Path, case: str
) -> None:
    change, fix, manifest, message = DAMAGED[case]
    damaged = tmp_path / "damaged.zip"
    rewrite(backup, damaged, change=change, fix_manifest=fix, manifest=manifest)
    untouched = tmp_path / "untouched.zip"
    rewrite(backup, untouched)
    empty_database()

    with pytest.raises(CommandError) as refused:
        run("restore", str(damaged))

    assert message in str(refused.value)
    assert _rows() == (0, 0)
    # The same archive without the damage restores: the refusal was the damage's doing.
    run("restore", str(untouched))
    assert _rows() == (3, 8)


def test_a_column_added_since_the_backup_takes_its_default(backup: Path, tmp_path: Path) -> None:
    """A backup made before a column existed (here: the service-account flag) restores."""
    older = tmp_path / "older.zip"
    rewrite(backup, older, change={"site.json": _without("is_service")})
    empty_database()
    run("restore", str(older))
    assert User.objects.filter(is_service=False).count() == 8


def test_files_that_are_not_backups_are_refused_in_one_line(backup: Path, tmp_path: Path) -> None:
    truncated = tmp_path / "truncated.zip"
    truncated.write_bytes(backup.read_bytes()[:2000])
    no_manifest = tmp_path / "other.zip"
    with zipfile.ZipFile(no_manifest, "w") as archive:
        archive.writestr("readme.txt", "hello")
    text = tmp_path / "notes.txt"
    text.write_text("not a backup")
    empty = tmp_path / "empty.zip"
    empty.touch()
    expected = {
        truncated: f"{truncated} is damaged: it is not a complete ZIP archive; nothing was "
        "changed.",
        no_manifest: f"{no_manifest} is a ZIP archive but not a Tenfold backup (it has no "
        "manifest).",
        text: f"{text} is not a Tenfold backup (neither a JSON backup, a pg_dump file nor SQLite).",
        empty: f"{empty} is empty.",
        tmp_path / "missing.zip": f"There is no file {tmp_path / 'missing.zip'}.",
    }
    before = _rows()
    for path, message in expected.items():
        for command in (("restore", str(path)), ("restore", "--check", str(path))):
            with pytest.raises(CommandError) as refused:
                run(*command)
            assert str(refused.value) == message
            assert "\n" not in str(refused.value)
    assert _rows() == before


def test_a_backup_into_a_missing_folder_is_refused(site: Organization, tmp_path: Path) -> None:
    target = tmp_path / "nowhere" / "site.zip"
    with pytest.raises(CommandError) as refused:
        run("backup", "--out", str(target))
    assert str(refused.value) == f"There is no folder {target.parent}."
    with pytest.raises(CommandError) as refused:
        run("backup", "--out", f"{tmp_path / 'nowhere'}/")
    assert str(refused.value) == f"There is no folder {tmp_path / 'nowhere'}/."
    assert list(tmp_path.iterdir()) == []


def test_a_database_without_tables_is_sent_to_migrate_first(
    backup: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty_database()
    monkeypatch.setattr(connection.introspection, "table_names", lambda *args: [])
    with pytest.raises(CommandError) as refused:
        run("restore", str(backup))
    assert str(refused.value) == (
        "This database has no tables yet: run `tenfold migrate` first, then restore."
    )
    monkeypatch.undo()
    run("restore", str(backup))
    assert _rows() == (3, 8)
