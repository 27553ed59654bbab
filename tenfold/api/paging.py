"""Pagination and change filters shared by every API list.

A list answers a JSON array (so existing clients keep working) and says where the rest is in
headers, the way many public APIs do:

- ``X-Total-Count``: how many rows match, over all pages;
- ``Link: <…?offset=100&limit=100>; rel="next"`` while more rows follow (and ``rel="prev"``).

Query parameters: ``limit`` (1–500, default 100), ``offset`` (0 or more) and, on lists of
things that change, ``updated_since`` (an ISO 8601 date-time; rows changed at or after it).
The order is always stable (the caller passes an ordered queryset whose last key is unique),
so walking the pages sees every row once.

Usage in an endpoint::

    @router.get("/orgs/{org}/units", response=list[UnitOut])
    def list_units(request, response: HttpResponse, org: str, page: Query[PageIn]):
        organization, access = scoped(request, org)
        rows = Unit.objects.filter(organization=organization).order_by("order", "id")
        return paginate(request, response, rows, page)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Schema

DEFAULT_LIMIT = 100
MAX_LIMIT = 500


class PageIn(Schema):
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Rows per page (1–500).")
    offset: int = Field(0, ge=0, le=1_000_000_000, description="Rows to skip.")


class ChangedPageIn(PageIn):
    updated_since: dt.datetime | None = Field(
        None,
        description="Only rows changed at or after this moment (ISO 8601; without a zone, UTC).",
    )


def since(value: dt.datetime | None) -> dt.datetime | None:
    """An aware date-time for ``updated_since`` (naive values are read as UTC)."""
    if value is None:
        return None
    if timezone.is_naive(value):
        return value.replace(tzinfo=dt.UTC)
    # In UTC: databases take narrower offsets than Python (PostgreSQL ±15:59), and a moment
    # next to year 1 or 9999 may fall outside the calendar once shifted.
    try:
        return value.astimezone(dt.UTC)
    except OverflowError:
        edge = dt.datetime.min if value.year < 5000 else dt.datetime.max
        return edge.replace(tzinfo=dt.UTC)


def filter_since(rows: QuerySet[Any], value: dt.datetime | None, field: str = "updated_at"):
    """Rows whose ``field`` is at or after ``value`` (all rows when it is None)."""
    moment = since(value)
    return rows if moment is None else rows.filter(**{f"{field}__gte": moment})


def _link(request: HttpRequest, offset: int, limit: int) -> str:
    params = request.GET.copy()
    params["offset"] = str(offset)
    params["limit"] = str(limit)
    return request.build_absolute_uri(request.path) + "?" + urlencode(sorted(params.items()))


def paginate[T](
    request: HttpRequest,
    response: HttpResponse,
    rows: QuerySet[Any, T] | Sequence[T],
    page: PageIn,
) -> list[T]:
    """One page of ``rows`` (two queries for a queryset: the count and the slice), with the
    paging headers set on ``response``."""
    if page.limit < 1 or page.limit > MAX_LIMIT or page.offset < 0:  # schema already checks
        raise ValidationError(_("limit must be 1–500 and offset 0 or more."))
    total = rows.count() if isinstance(rows, QuerySet) else len(rows)
    chunk = list(rows[page.offset : page.offset + page.limit])
    response["X-Total-Count"] = str(total)
    links = []
    if page.offset + page.limit < total:
        links.append(f'<{_link(request, page.offset + page.limit, page.limit)}>; rel="next"')
    if page.offset > 0:
        previous = max(page.offset - page.limit, 0)
        links.append(f'<{_link(request, previous, page.limit)}>; rel="prev"')
    if links:
        response["Link"] = ", ".join(links)
    return chunk
