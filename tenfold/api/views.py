"""API v1: one endpoint per operation, no logic of its own. Each endpoint does a scoped
fetch through the selectors, checks the same Access rules as the web pages, and calls the same
services."""

from __future__ import annotations

import functools
import zoneinfo
from typing import Any, ClassVar

from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.db import InterfaceError, OperationalError
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Query
from ninja.decorators import decorate_view
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaError
from ninja.responses import Status
from ninja.security import HttpBearer, SessionAuth

from tenfold.accounts.models import ApiToken
from tenfold.accounts.services import api_token_check, preferences_set
from tenfold.apiguard.openapi import install as install_api_guard
from tenfold.checkins.models import CheckIn, Source
from tenfold.checkins.selectors import standing_readings_of
from tenfold.checkins.services import checkin_correct, checkin_record
from tenfold.db.unavailable import api_exception_handler
from tenfold.lib.forecast import (
    Forecast,
    NoForecast,
    ObjectiveForecast,
    forecast_or_reason,
    objective_forecast,
)
from tenfold.lib.validation import error_dict
from tenfold.okrs.models import Alignment, Cycle, KeyResult, Objective
from tenfold.okrs.selectors import (
    current_cycle,
    get_cycle,
    get_key_result,
    get_objective,
    key_result_status,
    organization_today,
    visible_objectives,
)
from tenfold.organizations.models import Organization
from tenfold.organizations.permissions import Access
from tenfold.organizations.selectors import access_to, memberships_of
from tenfold.web.fragments import Fragment

from . import schemas
from .paging import ChangedPageIn, PageIn, filter_since, paginate

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def _refuse_outsiders(request: HttpRequest, auth: ApiToken | None = None) -> None:
    """404 before anything else, the body included, is read, for a caller who does not
    belong to the organization the path names (or whose token opens another one): the
    people of another organization get the same answer whatever they send, so nothing tells
    them what exists there."""
    match = getattr(request, "resolver_match", None)
    slug = match.kwargs.get("org") if match is not None else None
    if slug is None:
        return
    if auth is not None:
        if auth.organization.slug != slug:
            raise Http404
        return
    from tenfold.web.shortcuts import request_memberships

    if not any(m.organization.slug == slug for m in request_memberships(request)):
        raise Http404


class MemberSessionAuth(SessionAuth):
    """Django's session, for members of the organization the path names."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user:
            _refuse_outsiders(request)
        return user


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        # The API guard has usually checked this very token already on the way in.
        checked = getattr(request, "checked_token", None)
        row = checked[1] if checked and checked[0] == token else api_token_check(token)
        if row is not None:
            request.user = row.user
            _refuse_outsiders(request, row)
            if row.read_only and request.method not in SAFE_METHODS:
                raise PermissionDenied(
                    _("This token may only read. Make a read-write token to change things.")
                )
        return row


class TenfoldAPI(NinjaAPI):
    """The API, whose OpenAPI schema is built once per process, address and language: with
    some three hundred operations building it took about two seconds, on every request for
    the schema or its documentation page."""

    _schemas: ClassVar[dict[tuple[str, str], Any]] = {}

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> Any:
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        key = (path_prefix, translation.get_language() or "")
        schema = self._schemas.get(key)
        if schema is None:
            schema = super().get_openapi_schema(path_prefix=path_prefix)
            self._schemas[key] = schema
        return schema


api = TenfoldAPI(
    title="Tenfold API",
    version="1",
    description=_("Objectives, key results and check-ins of your organizations."),
    urls_namespace="api",
    auth=[TokenAuth(), MemberSessionAuth()],
)
install_api_guard(api)


def error(
    request: HttpRequest,
    status: int,
    code: str,
    message: str,
    fields: dict[str, list[str]] | None = None,
) -> HttpResponse:
    body = {"error": {"code": code, "message": message, "fields": fields or {}}}
    return api.create_response(request, body, status=status)


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    fields = error_dict(exc)
    conflict = getattr(exc, "code", None) == "conflict"
    message = " ".join(fields.pop("__all__", [])) or _("Some fields are not valid.")
    return error(
        request, 409 if conflict else 400, "conflict" if conflict else "invalid", message, fields
    )


@api.exception_handler(SchemaError)
def _schema_invalid(request: HttpRequest, exc: SchemaError) -> HttpResponse:
    fields: dict[str, list[str]] = {}
    for item in exc.errors:
        location = [
            str(part)
            for part in item.get("loc", ())
            if part not in ("body", "query", "path", "payload")
        ]
        fields.setdefault(".".join(location) or "__all__", []).append(str(item.get("msg")))
    return error(
        request, 400, "invalid", _("The request does not have the expected shape."), fields
    )


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error(request, 404, "not_found", _("Not found."))


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return error(request, 403, "forbidden", str(exc) or _("You may not do that."))


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """Errors raised by the framework itself (an unreadable body, a throttle) in our shape."""
    status = exc.status_code
    codes = {400: "invalid", 403: "forbidden", 404: "not_found", 429: "rate_limited"}
    message = str(exc)
    if status == 400 and message.startswith("Cannot parse request body"):
        message = _("The request body is not valid JSON.")
    return error(request, status, codes.get(status, "error"), message)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error(
        request, 401, "unauthenticated", _("Sign in, or send a token as “Authorization: Bearer …”.")
    )


@api.exception_handler(RequestDataTooBig)
def _too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    """A body over DATA_UPLOAD_MAX_MEMORY_SIZE: 413 in the API's shape (Django alone would
    answer an HTML 400)."""
    return error(request, 413, "too_large", _("The request body is too large."))


# A busy SQLite file or a lost PostgreSQL connection answers 503 `busy` / `unavailable` with
# Retry-After; any other database error stays a 500 (tenfold/db/unavailable.py).
api.add_exception_handler(OperationalError, api_exception_handler)
api.add_exception_handler(InterfaceError, api_exception_handler)


def scoped(request: HttpRequest, slug: str) -> tuple[Organization, Access]:
    """The organization and the caller's access to it. A token only opens its own
    organization."""
    auth = getattr(request, "auth", None)
    if isinstance(auth, ApiToken) and auth.organization.slug != slug:
        raise Http404
    from tenfold.web.shortcuts import request_memberships

    return access_to(request.user, slug, request_memberships(request))


def objectives_page(rows: QuerySet[Objective]) -> QuerySet[Objective]:
    """Objectives with what their answer shows, in the order of the cycle's page (the same
    order as `objectives_for_cycle`, ending in the unique id so pages never overlap)."""
    return (
        rows.select_related("unit", "lead", "owner_person")
        .prefetch_related(
            Prefetch(
                "key_results",
                queryset=KeyResult.objects.select_related("owner").order_by("order", "id"),
            ),
            Prefetch(
                "parent_links",
                queryset=Alignment.objects.select_related("parent_objective", "parent_key_result"),
            ),
        )
        .order_by("unit__order", "order", "id")
    )


def person(user: Any) -> dict[str, str] | None:
    return {"name": user.display_name, "email": user.email} if user else None


Projection = Forecast | ObjectiveForecast | NoForecast


def forecasts(key_results: list[KeyResult], cycle: Cycle) -> dict[int, Forecast | NoForecast]:
    """The forecast of each key result (all of one cycle), from one query."""
    organization = cycle.organization
    readings = standing_readings_of(
        [kr.id for kr in key_results], zoneinfo.ZoneInfo(organization.time_zone)
    )
    today = organization_today(organization)
    return {
        kr.id: forecast_or_reason(
            readings.get(kr.id, []),
            cycle_start=cycle.start,
            cycle_end=cycle.end,
            today=today,
            kind=kr.kind,
            start=kr.start,
            target=kr.target,
        )
        for kr in key_results
    }


def forecast_fields(result: Projection | None) -> dict[str, Any]:
    if result is None or isinstance(result, NoForecast):
        return {"forecast": None, "forecast_missing": result.reason.value if result else None}
    values = result if isinstance(result, Forecast) else None  # objectives have no value
    return {
        "forecast": {
            "progress": result.progress,
            "low": result.low,
            "high": result.high,
            "value": values.value if values else None,
            "value_low": values.value_low if values else None,
            "value_high": values.value_high if values else None,
            "readings": result.readings,
        },
        "forecast_missing": None,
    }


def key_result_out(
    kr: KeyResult, objective: Objective, forecast: Forecast | NoForecast | None = None
) -> dict[str, Any]:
    return {
        "code": kr.code,
        "objective": objective.code,
        "title": kr.title,
        "kind": kr.kind,
        "start": kr.start,
        "target": kr.target,
        "current": kr.current,
        "unit_label": kr.unit_label,
        "value_format": kr.value_format,
        "currency": kr.currency,
        "decimals": kr.decimals,
        "weight": kr.weight,
        "aspirational": kr.aspirational,
        "owner": person(kr.owner),
        "progress": kr.progress,
        "progress_raw": kr.progress_raw,
        "status": key_result_status(kr, objective.cycle),
        "confidence": None if kr.last_confidence is None else round(kr.last_confidence * 10),
        "last_checkin_at": kr.last_checkin_at,
        **forecast_fields(forecast),
    }


def objective_out(
    objective: Objective,
    key_results: list[KeyResult],
    links: list[Any],
    projections: dict[int, Forecast | NoForecast],
) -> dict[str, Any]:
    unit = objective.unit
    combined = objective_forecast([(projections.get(kr.id), kr.weight) for kr in key_results])
    return {
        "code": objective.code,
        "title": objective.title,
        "description": objective.description,
        "cycle": objective.cycle.code,
        "level": objective.level,
        "type": objective.type,
        "state": objective.state,
        "visibility": objective.visibility,
        "unit": {"code": unit.code, "name": unit.name, "kind": unit.kind} if unit else None,
        "lead": person(objective.lead),
        "progress": objective.progress,
        "aligned_to": [
            {
                "objective": link.parent_objective.code if link.parent_objective else None,
                "key_result": link.parent_key_result.code if link.parent_key_result else None,
                "weight": link.weight,
            }
            for link in links
        ],
        "key_results": [
            key_result_out(kr, objective, projections.get(kr.id)) for kr in key_results
        ],
        "version": objective.version,
        **forecast_fields(combined),
    }


@api.get("/me", response=schemas.MeOut, tags=["people"], summary="Who am I")
def me(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    memberships = memberships_of(user)
    auth = getattr(request, "auth", None)
    if isinstance(auth, ApiToken):
        memberships = memberships.filter(organization=auth.organization)
    return {
        "name": user.display_name,  # type: ignore[union-attr]
        "email": user.email,  # type: ignore[union-attr]
        "language": user.language,  # type: ignore[union-attr]
        "time_zone": user.time_zone,  # type: ignore[union-attr]
        "memberships": [
            {"organization": m.organization.slug, "name": m.organization.name, "role": m.role}
            for m in memberships
        ],
    }


@api.patch(
    "/me", response=schemas.MeOut, tags=["people"], summary="Change my name, language or time zone"
)
def update_me(request: HttpRequest, payload: schemas.MeIn) -> dict[str, Any]:
    """The person's own preferences, as on the preferences page; bad values change nothing."""
    preferences_set(user=request.user, **payload.dict(exclude_unset=True))
    return me(request)


@api.get("/orgs/{org}/cycles", response=list[schemas.CycleOut], tags=["cycles"])
def list_cycles(
    request: HttpRequest, response: HttpResponse, org: str, page: Query[PageIn]
) -> list[Any]:
    """Newest first. Paginated: `limit` and `offset`; X-Total-Count and Link headers."""
    organization, _access = scoped(request, org)
    rows = Cycle.objects.filter(organization=organization).order_by("-start", "end", "id")
    return paginate(request, response, rows, page)


# Headers a kept answer does not carry over: the ones the server sets for each answer anew.
UNKEPT_HEADERS = {"set-cookie", "content-length", "content-type"}


def keep_answer(run: Any) -> Any:
    """Around an operation that may keep its answer: once the answer is rendered, store its
    body and headers (paging links, counts) in the fragment the view left on the request."""

    @functools.wraps(run)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        answer = run(request, *args, **kwargs)
        fragment = getattr(request, "tenfold_keep", None)
        if fragment is not None and answer.status_code == 200:
            headers = {
                name: value for name, value in answer.items() if name.lower() not in UNKEPT_HEADERS
            }
            fragment.put((answer.content, answer["Content-Type"], headers))
        return answer

    return wrapper


def kept_or_keep(
    request: HttpRequest, organization: Organization, access: Access, name: str
) -> HttpResponse | None:
    """The kept answer to this request when one may be served; else None, and the answer
    the operation renders is kept (by `keep_answer`)."""
    fragment = Fragment(request, organization, access, name)
    kept = fragment.get()
    if kept is not None:
        return kept_answer(kept)
    request.tenfold_keep = fragment  # type: ignore[attr-defined]
    return None


def kept_answer(kept: tuple[bytes, str, dict[str, str]]) -> HttpResponse:
    content, content_type, headers = kept
    answer = HttpResponse(content, content_type=content_type)
    for name, value in headers.items():
        answer[name] = value
    return answer


@api.get(
    "/orgs/{org}/objectives",
    response=list[schemas.ObjectiveOut],
    tags=["objectives"],
    summary="Objectives of a cycle, with their key results",
)
@decorate_view(keep_answer)
def list_objectives(
    request: HttpRequest,
    response: HttpResponse,
    org: str,
    page: Query[ChangedPageIn],
    cycle: str | None = None,
) -> list[Any] | HttpResponse:
    """The objectives the caller may see in `cycle` (a cycle code; default: the current
    cycle). Paginated (`limit`, `offset`; X-Total-Count and Link headers); `updated_since`
    keeps the objectives whose own fields changed since then."""
    organization, access = scoped(request, org)
    # A page of the list is the same for every caller who may see the same objectives.
    kept = kept_or_keep(request, organization, access, "api-objectives")
    if kept is not None:
        return kept
    chosen = get_cycle(organization, cycle) if cycle else current_cycle(organization)
    if chosen is None:
        return paginate(request, response, [], page)
    chosen.organization = organization
    # Counted and sliced in the database: a page costs the same in a cycle of any size.
    rows = filter_since(visible_objectives(access).filter(cycle=chosen), page.updated_since)
    objectives = paginate(request, response, objectives_page(rows), page)
    projections = forecasts([kr for o in objectives for kr in o.key_results.all()], chosen)
    result = []
    for objective in objectives:
        objective.cycle = chosen
        result.append(
            objective_out(
                objective,
                list(objective.key_results.all()),
                list(objective.parent_links.all()),
                projections,
            )
        )
    return result


@api.get("/orgs/{org}/objectives/{code}", response=schemas.ObjectiveOut, tags=["objectives"])
@decorate_view(keep_answer)
def get_one_objective(request: HttpRequest, org: str, code: str) -> dict[str, Any] | HttpResponse:
    organization, access = scoped(request, org)
    # The same for every caller who may see the same objectives: kept like the list.
    kept = kept_or_keep(request, organization, access, "api-objective")
    if kept is not None:
        return kept
    objective = get_objective(access, code)
    krs = list(objective.key_results.select_related("owner").order_by("order", "id"))
    links = list(objective.parent_links.select_related("parent_objective", "parent_key_result"))
    return objective_out(objective, krs, links, forecasts(krs, objective.cycle))


@api.get("/orgs/{org}/key-results/{code}", response=schemas.KeyResultOut, tags=["key results"])
def get_one_key_result(request: HttpRequest, org: str, code: str) -> dict[str, Any]:
    _organization, access = scoped(request, org)
    kr = get_key_result(access, code)
    cycle = kr.objective.cycle
    return key_result_out(kr, kr.objective, forecasts([kr], cycle)[kr.id])


def checkin_out(
    checkin: CheckIn,
    kr: KeyResult,
    *,
    supersedes: str | None = None,
    superseded_by: str | None = None,
) -> dict[str, Any]:
    return {
        "code": checkin.code,
        "key_result": kr.code,
        "value": checkin.value,
        "confidence": checkin.confidence_out_of_ten,
        "note": checkin.note,
        "author": person(checkin.author),
        "source": checkin.source,
        "measured_at": checkin.measured_at,
        "created_at": checkin.created_at,
        "supersedes": supersedes,
        "superseded_by": superseded_by,
        "edit_reason": checkin.edit_reason,
    }


@api.get(
    "/orgs/{org}/key-results/{code}/check-ins",
    response=list[schemas.CheckInOut],
    tags=["check-ins"],
    summary="Check-in history of a key result, newest first",
)
def list_checkins(
    request: HttpRequest, response: HttpResponse, org: str, code: str, page: Query[ChangedPageIn]
) -> list[dict[str, Any]]:
    """Paginated (`limit`, `offset`; X-Total-Count and Link headers); `updated_since` keeps
    the check-ins recorded since then (check-ins are never edited: a correction is a new
    one)."""
    _organization, access = scoped(request, org)
    kr = get_key_result(access, code)
    rows = filter_since(
        CheckIn.objects.filter(key_result=kr).select_related("author", "supersedes"),
        page.updated_since,
        "created_at",
    ).order_by("-measured_at", "-id")
    chunk = paginate(request, response, rows, page)
    # Every version is listed (the history keeps what was said); the links between versions
    # take one query for the whole page, whatever its size.
    replaced_by = dict(
        CheckIn.objects.filter(supersedes__in=[row.id for row in chunk]).values_list(
            "supersedes_id", "code"
        )
    )
    return [
        checkin_out(
            row,
            kr,
            supersedes=row.supersedes.code if row.supersedes else None,
            superseded_by=replaced_by.get(row.id),
        )
        for row in chunk
    ]


@api.post(
    "/orgs/{org}/key-results/{code}/check-ins",
    response={201: schemas.CheckInResult, 400: schemas.ErrorOut, 403: schemas.ErrorOut},
    tags=["check-ins"],
    summary="Record a check-in",
)
def create_checkin(
    request: HttpRequest, org: str, code: str, payload: schemas.CheckInIn
) -> Status[dict[str, Any]]:
    _organization, access = scoped(request, org)
    kr = get_key_result(access, code)
    if not access.can_check_in(kr, kr.objective):
        raise PermissionDenied(_("You may not check in on this key result."))
    checkin = checkin_record(
        key_result=kr,
        value=str(payload.value),
        confidence=payload.confidence,
        note=payload.note,
        # A moment without a time zone is read in the organization's (the service does it).
        measured_at=payload.measured_at,
        source=Source.API,
        by=request.user,
    )
    kr.refresh_from_db(fields=["progress"])
    kr.objective.refresh_from_db(fields=["progress"])
    return Status(
        201,
        {
            "checkin": checkin_out(checkin, kr),
            "key_result_progress": kr.progress,
            "objective_progress": kr.objective.progress,
        },
    )


@api.post(
    "/orgs/{org}/check-ins/{code}/corrections",
    response={
        201: schemas.CheckInResult,
        400: schemas.ErrorOut,
        403: schemas.ErrorOut,
        404: schemas.ErrorOut,
    },
    tags=["check-ins"],
    summary="Correct a check-in",
)
def correct_checkin(
    request: HttpRequest, org: str, code: str, payload: schemas.CorrectionIn
) -> Status[dict[str, Any]]:
    """Record the right value for a check-in. The original stays in the history, marked as
    superseded by the new one; only the newest version of a reading can be corrected."""
    organization, access = scoped(request, org)
    kr_code = (
        CheckIn.objects.filter(organization=organization, code=code)
        .values_list("key_result__code", flat=True)
        .first()
    )
    if kr_code is None:
        raise Http404
    kr = get_key_result(access, kr_code)
    if not access.can_check_in(kr, kr.objective):
        raise PermissionDenied(_("You may not correct check-ins of this key result."))
    original = CheckIn.objects.get(organization=organization, code=code)
    given = payload.model_fields_set
    confidence: Any = payload.confidence
    if confidence is None and "confidence" in given:
        confidence = ""  # an explicit null clears the confidence
    correction = checkin_correct(
        checkin=original,
        value=str(payload.value),
        confidence=confidence,
        note=payload.note if "note" in given else None,
        reason=payload.reason,
        source=Source.API,
        by=request.user,
    )
    kr.refresh_from_db(fields=["progress"])
    kr.objective.refresh_from_db(fields=["progress"])
    return Status(
        201,
        {
            "checkin": checkin_out(correction, kr, supersedes=original.code),
            "key_result_progress": kr.progress,
            "objective_progress": kr.objective.progress,
        },
    )


# Routers that live in their own modules; imported last because they use the helpers above.
from .adoption import router as adoption_router  # noqa: E402
from .calendars import router as calendars_router  # noqa: E402
from .carryover import router as carryover_router  # noqa: E402
from .chat import router as chat_router  # noqa: E402
from .coach import router as coach_router  # noqa: E402
from .digests import router as digests_router  # noqa: E402
from .directory import router as directory_router  # noqa: E402
from .feeds import router as feeds_router  # noqa: E402
from .habits import router as habits_router  # noqa: E402
from .health import router as health_router  # noqa: E402
from .ideas import router as ideas_router  # noqa: E402
from .integrations import router as integrations_router  # noqa: E402
from .invitations import router as invitations_router  # noqa: E402
from .kpis import router as kpis_router  # noqa: E402
from .library import router as library_router  # noqa: E402
from .mailin import router as mailin_router  # noqa: E402
from .notifications import router as notifications_router  # noqa: E402
from .okrs_write import router as okrs_write_router  # noqa: E402
from .planning import router as planning_router  # noqa: E402
from .reviews import router as reviews_router  # noqa: E402
from .search import router as search_router  # noqa: E402
from .sheets import router as sheets_router  # noqa: E402
from .social import router as social_router  # noqa: E402
from .transfers import router as transfers_router  # noqa: E402
from .webhooks import router as webhooks_router  # noqa: E402
from .weekly import router as weekly_router  # noqa: E402

api.add_router("", social_router)
api.add_router("", weekly_router)
api.add_router("", reviews_router)
api.add_router("", search_router)
api.add_router("", kpis_router)
api.add_router("", planning_router)
api.add_router("", carryover_router)
api.add_router("", coach_router)
api.add_router("", library_router)
api.add_router("", health_router)
api.add_router("", ideas_router)
api.add_router("", adoption_router)
api.add_router("", habits_router)
api.add_router("", integrations_router)
api.add_router("", notifications_router)
api.add_router("", webhooks_router)
api.add_router("", feeds_router)
api.add_router("", mailin_router)
api.add_router("", chat_router)
api.add_router("", calendars_router)
api.add_router("", digests_router)
api.add_router("", directory_router)
api.add_router("", invitations_router)
api.add_router("", okrs_write_router)
api.add_router("", sheets_router)
api.add_router("", transfers_router)
