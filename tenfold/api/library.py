"""API endpoints for the example library: search the examples, read one, and start a draft
objective from one.

Examples come in the language the request asks for (Accept-Language: en, zh-Hans, es), English
otherwise. Using an example calls the same service as the web page; refusals become the one
error shape through the handlers in `views`."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from tenfold.coach.library import Example, example, functions, search
from tenfold.coach.library.search import MAX_QUERY
from tenfold.coach.library.services import example_use
from tenfold.okrs.models import Cycle, Level
from tenfold.organizations.models import Unit

from .paging import PageIn, paginate
from .schemas import ErrorOut, UnitRef
from .views import scoped

router: Router = Router(tags=["Example library"])

WRITE_ERRORS: dict[int, Any] = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut}


# --- shapes -----------------------------------------------------------------------------------


class ExampleKeyResultOut(Schema):
    title: str
    kind: str = Field(description="increase, decrease, reach, keep_above or keep_below")
    start: Decimal | None = Field(description="Null for reach, keep_above and keep_below")
    target: Decimal
    unit_label: str
    value_format: str = Field(description="number, percent or currency")
    currency: str = Field(description="A three-letter code for currency values; empty otherwise")
    decimals: int


class ExampleOut(Schema):
    slug: str = Field(description="Stable identifier of the example")
    function: str = Field(description="Key of the function, e.g. sales or engineering")
    function_label: str
    level: str = Field(description="company, department, team or personal")
    type: str = Field(description="committed or aspirational")
    title: str = Field(description="The objective")
    description: str = Field(description="Why it matters")
    key_results: list[ExampleKeyResultOut]
    plans: list[str] = Field(description="Suggested weekly plans or initiatives")
    note: str = Field(description="Why this is a good OKR")
    language: str = Field(description="The language of the texts: en, zh_Hans or es")


class UseIn(Schema):
    unit: str | None = Field(
        None, description="Code of the unit that will own the objective (not for personal ones)"
    )
    cycle: str = Field(description="Code of a cycle in planning or active")


class UsedKeyResultOut(Schema):
    code: str
    title: str
    kind: str
    start: Decimal | None
    target: Decimal


class UsedOut(Schema):
    code: str = Field(description="The objective's code; GET /orgs/{org}/objectives/{code}")
    url: str = Field(description="The objective's page")
    title: str
    state: str = Field(description="Always draft")
    level: str
    type: str
    cycle: str = Field(description="The cycle's code")
    unit: UnitRef | None = Field(description="The owning unit; null for a personal objective")
    example: str = Field(description="The example's slug")
    key_results: list[UsedKeyResultOut]


# --- helpers ----------------------------------------------------------------------------------


def _found(code: str) -> Example:
    item = example(code)
    if item is None:
        raise Http404
    return item


def _unit(organization_id: int, code: str | None, item: Example) -> Unit | None:
    if item.level == Level.PERSONAL:
        return None
    code = (code or "").strip()
    if not code:
        raise ValidationError({"unit": _("Give the code of the unit that will own the objective.")})
    unit = Unit.objects.filter(organization_id=organization_id, code=code).first()
    if unit is None:
        raise ValidationError({"unit": _("No unit of this organization has that code.")})
    return unit


def _cycle(organization_id: int, code: str) -> Cycle:
    cycle = Cycle.objects.filter(organization_id=organization_id, code=code.strip()).first()
    if cycle is None:
        raise ValidationError({"cycle": _("No cycle of this organization has that code.")})
    return cycle


# --- endpoints --------------------------------------------------------------------------------


@router.get(
    "/orgs/{org}/examples",
    response={200: list[ExampleOut], 400: ErrorOut},
    summary="Search the example OKRs",
)
def list_examples(
    request: HttpRequest,
    response: HttpResponse,
    org: str,
    page: Query[PageIn],
    q: str = "",
    function: str | None = None,
) -> Any:
    """Examples whose texts (in the request's language or in English) hold every word of `q`,
    case and accents ignored; all of them without `q`. `function` keeps one function."""
    scoped(request, org)
    if function and function not in dict(functions()):
        raise ValidationError(
            {
                "function": [
                    _("Unknown function. Use one of: %(keys)s")
                    % {"keys": ", ".join(key for key, _label in functions())}
                ]
            }
        )
    found = paginate(request, response, search(q[:MAX_QUERY], function or None), page)
    return [item.as_dict() for item in found]


@router.get("/orgs/{org}/examples/{code}", response=ExampleOut, summary="One example OKR")
def get_one_example(request: HttpRequest, org: str, code: str) -> dict[str, Any]:
    """`code` is the example's slug."""
    scoped(request, org)
    return _found(code).as_dict()


@router.post(
    "/orgs/{org}/examples/{code}/use",
    response={201: UsedOut, **WRITE_ERRORS},
    summary="Start a draft objective from an example",
)
def use_example(
    request: HttpRequest, org: str, code: str, payload: UseIn
) -> Status[dict[str, Any]]:
    """A draft objective in the unit for the cycle, with the example's key results, written in
    the request's language. The level follows the unit; a personal-development example becomes
    a personal objective of the caller and takes no unit."""
    organization, access = scoped(request, org)
    item = _found(code)
    objective = example_use(
        example=item,
        access=access,
        unit=_unit(organization.id, payload.unit, item),
        cycle=_cycle(organization.id, payload.cycle),
        by=request.user,
    )
    unit = objective.unit
    page = reverse("objective", kwargs={"org": organization.slug, "code": objective.code})
    return Status(
        201,
        {
            "code": objective.code,
            "url": request.build_absolute_uri(page),
            "title": objective.title,
            "state": objective.state,
            "level": objective.level,
            "type": objective.type,
            "cycle": objective.cycle.code,
            "unit": {"code": unit.code, "name": unit.name, "kind": unit.kind} if unit else None,
            "example": item.slug,
            "key_results": [
                {
                    "code": kr.code,
                    "title": kr.title,
                    "kind": kr.kind,
                    "start": kr.start,
                    "target": kr.target,
                }
                for kr in objective.key_results.order_by("order", "id")
            ],
        },
    )
