"""SQL text built from request data: each line after an "expect" comment is a finding."""

from typing import Any

from django.db import connection
from django.db.models import IntegerField, QuerySet
from django.db.models.expressions import RawSQL
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
        # expect: tenfold-sql-built-from-request
        cursor.execute(f"SELECT id FROM okrs_objective WHERE title = '{request.GET['title']}'")
        return list(cursor.fetchall())


@router.get("/{org}/objectives/{code}")
def objective_by_code(request: HttpRequest, org: str, code: str) -> list[Any]:
    sql = "SELECT id FROM okrs_objective WHERE code = '%s'" % code  # noqa: UP031 (the bad case)
    # expect: tenfold-sql-built-from-request
    return fast.fetch(sql)


@router.post("/{org}/search")
def search(request: HttpRequest, org: str, payload: SearchIn) -> list[Any]:
    with connection.cursor() as cursor:
        # expect: tenfold-sql-built-from-request
        cursor.execute("SELECT id FROM okrs_objective WHERE title LIKE '{}%'".format(payload.title))  # noqa: UP032
        return list(cursor.fetchall())


def ranked(request: HttpRequest, rows: QuerySet[Objective]) -> QuerySet[Objective]:
    order = request.GET.get("order", "id")
    # expect: tenfold-sql-built-from-request
    return rows.annotate(rank=RawSQL("SELECT " + order, (), output_field=IntegerField()))
