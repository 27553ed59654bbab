"""What `tenfold plan` and `tenfold apply` share: reading the files, finding the organization
and the person, and printing a plan."""

from __future__ import annotations

import sys
from decimal import Decimal
from typing import Any, NoReturn

from django.core.management.base import OutputWrapper
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tenfold.accounts.models import User
from tenfold.organizations.models import Membership, Organization

from .files import Document, FileProblems, Problem, number_text, read_documents
from .plan import Change, Plan


def fail(stderr: OutputWrapper, problems: list[Problem] | list[str]) -> NoReturn:
    """Print every problem, one per line, and exit with status 1."""
    for problem in problems:
        stderr.write(str(problem))
    sys.exit(1)


def load(files: list[str], stderr: OutputWrapper) -> tuple[Organization, list[Document]]:
    """Read the files and find the one organization they are for."""
    try:
        documents = read_documents(files)
    except FileProblems as error:
        fail(stderr, error.problems)
    slugs = {d.organization.strip().lower() for d in documents}
    if len(slugs) > 1:
        fail(
            stderr,
            [
                _("These files are for several organizations (%(slugs)s); plan one at a time.")
                % {"slugs": ", ".join(sorted(slugs))}
            ],
        )
    slug = slugs.pop()
    organization = Organization.objects.filter(slug__iexact=slug).first()
    if organization is None:
        first = documents[0]
        fail(
            stderr,
            [
                Problem(
                    first.name,
                    first.line_of("organization"),
                    "organization",
                    _("no organization has the address “%(slug)s”.") % {"slug": slug},
                )
            ],
        )
    return organization, documents


def person(email: str, organization: Organization, stderr: OutputWrapper) -> User:
    user = User.objects.filter(email__iexact=email.strip()).first()
    if user is None:
        fail(stderr, [_("Nobody signs in as %(email)s.") % {"email": email}])
    if not Membership.objects.filter(organization=organization, user=user).exists():
        fail(
            stderr,
            [
                _("%(email)s is not a member of %(org)s.")
                % {"email": email, "org": organization.slug}
            ],
        )
    return user


def value_text(value: Any) -> str:
    if value is None or value == "":
        return _("(none)")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return number_text(value)
    if isinstance(value, int):
        return str(value)
    text = " ".join(str(value).split())
    if len(text) > 70:
        text = text[:69] + "…"
    return f"“{text}”"


WHAT = {
    "objective": gettext_lazy("objective"),
    "key_result": gettext_lazy("key result"),
    "alignment": gettext_lazy("alignment"),
}


def headline(change: Change) -> str:
    code = f"{change.code} " if change.code else ""
    title = value_text(change.title)
    what = str(WHAT.get(change.what, change.what))
    if change.action == "create" and change.what == "key_result":
        return _("+ create key result %(title)s under %(parent)s") % {
            "title": title,
            "parent": value_text(change.detail),
        }
    if change.action == "create":
        return _("+ create objective %(title)s in %(unit)s") % {
            "title": title,
            "unit": change.detail,
        }
    if change.action == "link":
        return _("+ align %(code)s%(title)s → %(parent)s") % {
            "code": code,
            "title": title,
            "parent": change.detail,
        }
    if change.action == "unlink":
        return _("- unalign %(code)s%(title)s from %(parent)s") % {
            "code": code,
            "title": title,
            "parent": change.detail,
        }
    labels = {
        "update": _("~ update %(what)s %(code)s%(title)s"),
        "reopen": _("~ reopen %(what)s %(code)s%(title)s"),
        "delete": _("- delete %(what)s %(code)s%(title)s"),
        "archive": _("- archive %(what)s %(code)s%(title)s"),
    }
    return labels[change.action] % {"what": what, "code": code, "title": title}


def print_plan(stdout: OutputWrapper, plan: Plan) -> None:
    by_file: dict[str, list[Change]] = {d.name: [] for d in plan.documents}
    for change in plan.changes:
        by_file.setdefault(change.path, []).append(change)
    for path, changes in by_file.items():
        if not changes:
            continue
        stdout.write(path)
        for change in changes:
            stdout.write(f"  {headline(change)}")
            if change.action in ("update", "link"):
                for name, old, new in change.fields:
                    if change.action == "link" and old is None:
                        stdout.write(f"      {name}: {value_text(new)}")
                    else:
                        stdout.write(f"      {name}: {value_text(old)} → {value_text(new)}")
    if plan.empty:
        stdout.write(_("No changes: the files and Tenfold agree."))
    else:
        stdout.write(
            _(
                "Plan: %(create)s to create, %(update)s to update, %(archive)s to archive, "
                "%(delete)s to delete."
            )
            % plan.counts()
        )
