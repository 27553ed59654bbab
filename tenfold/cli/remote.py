"""A command's connection to a server: the client, the organization it works in and the person
the token belongs to."""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from .client import ApiError, Client, Exit, client_from


@dataclass
class Remote:
    client: Client
    org: str
    org_name: str
    email: str
    name: str

    def path(self, tail: str, *codes: str) -> str:
        """``/orgs/<org>`` + `tail` with each ``{}`` replaced by a code, quoted for a URL."""
        quoted = tuple(quote(code.strip(), safe="") for code in codes)
        return f"/orgs/{quote(self.org, safe='')}" + tail.format(*quoted)


def connect(
    options: Mapping[str, Any],
    *,
    as_email: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> Remote | None:
    """The server connection when one is configured, else None (work on the local database).

    The organization is `--org`, else $TENFOLD_ORG, else the one the token opens."""
    environ = os.environ if environ is None else environ
    client = client_from(options, environ)
    if client is None:
        return None
    me = client.get("/me")
    if not isinstance(me, dict) or not isinstance(me.get("memberships"), list):
        raise client._not_tenfold(client.url("/me"))
    memberships = me["memberships"]
    slug = (options.get("org") or environ.get("TENFOLD_ORG", "")).strip()
    if slug:
        chosen = [m for m in memberships if m.get("organization") == slug]
        if not chosen:
            raise ApiError(
                _("This token does not open the organization “%(slug)s”; it opens: %(slugs)s.")
                % {
                    "slug": slug,
                    "slugs": ", ".join(m["organization"] for m in memberships) or "–",
                },
                exit_code=Exit.AUTH,
            )
    else:
        chosen = memberships
    if not chosen:
        raise ApiError(
            _("The token's owner belongs to no organization on %(host)s.") % {"host": client.host},
            exit_code=Exit.AUTH,
        )
    if len(chosen) > 1:
        raise ApiError(
            _("Choose an organization with --org: %(slugs)s")
            % {"slugs": ", ".join(m["organization"] for m in chosen)},
            exit_code=Exit.REFUSED,
        )
    email = str(me.get("email", ""))
    if as_email and as_email.strip().casefold() != email.casefold():
        raise ApiError(
            _(
                "The token belongs to %(email)s, not %(other)s: on a server you act as the "
                "token's owner (--as is for the local database)."
            )
            % {"email": email, "other": as_email},
            exit_code=Exit.AUTH,
        )
    return Remote(
        client=client,
        org=chosen[0]["organization"],
        org_name=str(chosen[0].get("name") or chosen[0]["organization"]),
        email=email,
        name=str(me.get("name") or email),
    )


def not_found(error: ApiError, message: str) -> ApiError:
    """A 404 from the server told in the command's own words."""
    return ApiError(message, exit_code=Exit.NOT_FOUND, status=error.status, code=error.code)


@contextmanager
def plainly() -> Iterator[None]:
    """A failed request ends the command like any other error ("CommandError: …" and the
    exit status of `Exit`)."""
    try:
        yield
    except ApiError as error:
        raise CommandError(error.message, returncode=error.returncode) from None
