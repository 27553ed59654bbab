"""SQL whose text holds only quoted names and placeholders; request data goes in the
parameters: no finding."""

from typing import Any

from django.db import connection
from django.http import HttpRequest
from ninja import Router, Schema

from tenfold.db import fast
from tenfold.okrs.models import Objective

router = Router()


class SearchIn(Schema):
    title: str


@router.get("/{org}/objectives")
def objectives_named(request: HttpRequest, org: str) -> list[Any]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM okrs_objective WHERE title = %s", [request.GET.get("title", "")]
        )
        return list(cursor.fetchall())


@router.get("/{org}/objectives/{code}")
def objective_by_code(request: HttpRequest, org: str, code: str) -> list[Any]:
    return fast.fetch(
        f"SELECT {fast.column(Objective, 'id')} FROM {fast.table(Objective)}"
        f" WHERE {fast.column(Objective, 'code')} = %s",
        [code],
    )


@router.post("/{org}/search")
def search(request: HttpRequest, org: str, payload: SearchIn) -> list[Any]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM okrs_objective WHERE title LIKE %s", [payload.title + "%"])
        return list(cursor.fetchall())
