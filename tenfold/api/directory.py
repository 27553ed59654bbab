"""API endpoints for the organization itself, its units and its people: read and change the
organization's settings, list and shape the unit tree, place people in units and make them
leads, add people and change their role or job title.

Like the rest of the API: a scoped fetch, the rules of the organization settings pages (every
change needs an owner or an admin; every member, viewers included, reads), a call to a service
in `tenfold.organizations.services`, and the answer. Refusals become the one error shape through
the handlers in `views`."""

from __future__ import annotations

from typing import Annotated, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.params import functions as params
from ninja.responses import Status

from tenfold.accounts.models import ApiToken
from tenfold.checkins.weekly import categories_update
from tenfold.lib.validation import error_dict
from tenfold.organizations.models import (
    Membership,
    Organization,
    Role,
    Unit,
    UnitKind,
    UnitMember,
)
from tenfold.organizations.permissions import Access
from tenfold.organizations.selectors import get_unit, memberships_of
from tenfold.organizations.services import (
    membership_update,
    organization_update,
    person_add,
    unit_create,
    unit_member_add,
    unit_member_remove,
    unit_member_set_lead,
    unit_update,
)

from .paging import PageIn, paginate
from .schemas import ErrorOut
from .schemas_directory import (
    MAX_ID,
    OrganizationOut,
    OrganizationPatch,
    OrganizationSummaryOut,
    PersonDetailOut,
    PersonIn,
    PersonPatch,
    UnitIn,
    UnitMemberIn,
    UnitMemberOut,
    UnitMemberPatch,
    UnitOut,
    UnitPatch,
)
from .views import scoped

router: Router = Router(tags=["Organizations, units and people"])

READ_ERRORS: dict[int, Any] = {400: ErrorOut, 404: ErrorOut}
WRITE_ERRORS: dict[int, Any] = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut}
CATEGORY_KEYS = ("plans", "progress", "problems")
UserId = Annotated[
    int, params.Path(ge=1, le=MAX_ID, description="The person's id (see GET /orgs/{org}/people)")
]


# --- helpers ----------------------------------------------------------------------------------


def _open(
    request: HttpRequest, org: str, payload: Any = None, **values: Any
) -> tuple[Organization, Access]:
    """The organization and the caller's access, once the text of the request is clean."""
    _plain_text(payload, org=org, **values)
    return scoped(request, org)


def _manage(
    request: HttpRequest, org: str, payload: Any = None, **values: Any
) -> tuple[Organization, Access]:
    """The organization, for a caller who may change its settings, units and people."""
    organization, access = _open(request, org, payload, **values)
    if not access.can_manage_organization():
        raise PermissionDenied(_("Only owners and admins manage the organization."))
    return organization, access


def _plain_text(payload: Any = None, **values: Any) -> None:
    """Refuse text holding a NUL character (PostgreSQL cannot store or even compare it),
    naming the field, before anything reads the database."""
    bad: dict[str, list[str]] = {}

    def walk(value: Any, path: str) -> None:
        if isinstance(value, str) and "\x00" in value:
            bad[path] = [_("Remove the NUL character from this text.")]
        elif isinstance(value, dict):
            for key, item in value.items():
                walk(item, f"{path}.{key}" if path else str(key))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk(item, f"{path}.{index}")

    if payload is not None:
        walk(payload.model_dump(), "")
    walk(values, "")
    if bad:
        raise ValidationError(bad)


def _no_nulls(payload: Any) -> dict[str, Any]:
    """The fields a PATCH body sent; an explicit null is refused, naming the field."""
    given = payload.model_fields_set
    null = sorted(name for name in given if getattr(payload, name) is None)
    if null:
        raise ValidationError({name: [_("This field cannot be null.")] for name in null})
    return {name: getattr(payload, name) for name in given}


def _unit_in(organization: Organization, code: str, field: str) -> Unit:
    """A unit of this organization named in a request body; a code from elsewhere is a 400
    naming the field, exactly like a code that exists nowhere."""
    unit = Unit.objects.filter(organization=organization, code=(code or "").strip()).first()
    if unit is None:
        raise ValidationError(
            {field: _("No unit of this organization has the code “%(code)s”.") % {"code": code}}
        )
    return unit


def _units_in(organization: Organization, codes: list[str], field: str) -> list[Unit]:
    wanted = [code.strip() for code in codes]
    found = {u.code: u for u in Unit.objects.filter(organization=organization, code__in=wanted)}
    missing = [code for code in wanted if code not in found]
    if missing:
        raise ValidationError(
            {
                field: _("No unit of this organization has the code “%(code)s”.")
                % {"code": missing[0]}
            }
        )
    return [found[code] for code in dict.fromkeys(wanted)]


def _person_ref(user: Any) -> dict[str, Any]:
    return {"user_id": user.pk, "name": user.display_name, "email": user.email}


# --- organizations ----------------------------------------------------------------------------


def organization_data(organization: Organization, role: str) -> dict[str, Any]:
    names = organization.ppp_names if isinstance(organization.ppp_names, dict) else {}
    defaults = {"plans": "Plans", "progress": "Progress", "problems": "Problems"}
    return {
        "slug": organization.slug,
        "name": organization.name,
        "role": role,
        "fiscal_year_start_month": organization.fiscal_year_start_month,
        "cycle_length": organization.cycle_length,
        "week_start": organization.week_start,
        "checkin_weekday": organization.checkin_weekday,
        "checkin_hour": organization.checkin_hour,
        "time_zone": organization.time_zone,
        "language": organization.language,
        "at_risk_gap": organization.at_risk_gap,
        "off_track_gap": organization.off_track_gap,
        "stale_days": organization.stale_days,
        "approval_required": organization.approval_required,
        "leaderboards_enabled": organization.leaderboards_enabled,
        "rollout": organization.rollout,
        "ppp_names": {key: str(names.get(key) or defaults[key]) for key in CATEGORY_KEYS},
        "extra_categories": [
            {"key": str(extra["key"]), "name": str(extra["name"])}
            for extra in organization.extra_categories or []
            if isinstance(extra, dict) and extra.get("key") and extra.get("name")
        ],
        "created_at": organization.created_at,
    }


@router.get(
    "/orgs",
    response={200: list[OrganizationSummaryOut], 400: ErrorOut},
    summary="The caller's organizations",
)
def list_organizations(
    request: HttpRequest, response: HttpResponse, page: Query[PageIn]
) -> list[dict[str, Any]]:
    """Every organization the caller belongs to, by name, with the caller's role. A token
    opens one organization, so with a token the list holds that one only."""
    rows = memberships_of(request.user).order_by("organization__name", "organization__slug")
    auth = getattr(request, "auth", None)
    if isinstance(auth, ApiToken):
        rows = rows.filter(organization_id=auth.organization_id)
    return [
        {"slug": m.organization.slug, "name": m.organization.name, "role": m.role}
        for m in paginate(request, response, rows, page)
    ]


@router.get(
    "/orgs/{org}",
    response={200: OrganizationOut, **READ_ERRORS},
    summary="One organization and its settings",
)
def get_organization(request: HttpRequest, org: str) -> dict[str, Any]:
    organization, access = _open(request, org)
    return organization_data(organization, access.membership.role)


@router.patch(
    "/orgs/{org}",
    response={200: OrganizationOut, **WRITE_ERRORS},
    summary="Change the organization's settings",
)
def update_organization(
    request: HttpRequest, org: str, payload: OrganizationPatch
) -> dict[str, Any]:
    """Owners and admins. Only the fields sent change, with the checks of the settings page;
    if any field is refused, nothing changes. The address (slug) never changes."""
    organization, access = _manage(request, org, payload)
    changes = _no_nulls(payload)
    names_in = changes.pop("ppp_names", None)
    extras_in = changes.pop("extra_categories", None)
    with transaction.atomic():
        if changes:
            organization_update(organization=organization, by=request.user, **changes)
        if names_in is not None or extras_in is not None:
            current = organization_data(organization, "")
            names = dict(current["ppp_names"])
            if names_in is not None:
                names.update(
                    {
                        key: value
                        for key, value in names_in.model_dump(exclude_unset=True).items()
                        if value is not None
                    }
                )
            extras = (
                [(extra.key, extra.name) for extra in extras_in]
                if extras_in is not None
                else [(e["key"], e["name"]) for e in current["extra_categories"]]
            )
            try:
                categories_update(
                    organization=organization, by=request.user, names=names, extras=extras
                )
            except ValidationError as error:
                organization.refresh_from_db()
                renamed = {f"name_{key}": f"ppp_names.{key}" for key in CATEGORY_KEYS}
                renamed["extras"] = "extra_categories"
                raise ValidationError(
                    {renamed.get(key, key): value for key, value in error_dict(error).items()}
                ) from error
    return organization_data(organization, access.membership.role)


# --- units ------------------------------------------------------------------------------------


def _units(organization: Organization) -> QuerySet[Unit]:
    """Units with what a unit's answer shows, in a fixed number of queries for any count."""
    return (
        Unit.objects.filter(organization=organization)
        .select_related("parent")
        .annotate(member_count=Count("members", distinct=True))
        .prefetch_related(
            Prefetch(
                "children",
                queryset=Unit.objects.order_by("order", "name", "id").only(
                    "id", "code", "parent_id", "order", "name"
                ),
                to_attr="child_rows",
            ),
            Prefetch(
                "members",
                queryset=UnitMember.objects.filter(is_lead=True)
                .select_related("user")
                .order_by("user__name", "user__email"),
                to_attr="lead_rows",
            ),
        )
        .order_by("order", "name", "id")
    )


def unit_data(unit: Unit) -> dict[str, Any]:
    parent = unit.parent
    return {
        "code": unit.code,
        "name": unit.name,
        "kind": unit.kind,
        "parent": (
            {"code": parent.code, "name": parent.name, "kind": parent.kind} if parent else None
        ),
        "order": unit.order,
        "children": [child.code for child in unit.child_rows],  # type: ignore[attr-defined]
        "leads": [_person_ref(row.user) for row in unit.lead_rows],  # type: ignore[attr-defined]
        "member_count": unit.member_count,  # type: ignore[attr-defined]
    }


def _one_unit(organization: Organization, code: str) -> dict[str, Any]:
    unit = _units(organization).filter(code=code).first()
    if unit is None:
        raise Http404
    return unit_data(unit)


@router.get(
    "/orgs/{org}/units",
    response={200: list[UnitOut], **READ_ERRORS},
    summary="Units of the organization",
)
def list_units(
    request: HttpRequest,
    response: HttpResponse,
    org: str,
    page: Query[PageIn],
    parent: str | None = None,
    kind: str | None = None,
) -> list[dict[str, Any]]:
    """Every unit, ordered by `order` then name; `parent` (a unit code) keeps the units
    directly below it, `kind` (company, department or team) one kind."""
    organization, _access = _open(request, org, parent=parent, kind=kind)
    rows = _units(organization)
    if kind is not None:
        if kind not in UnitKind.values:
            raise ValidationError({"kind": _("Choose company, department or team.")})
        rows = rows.filter(kind=kind)
    if parent is not None:
        rows = rows.filter(parent=_unit_in(organization, parent, "parent"))
    return [unit_data(unit) for unit in paginate(request, response, rows, page)]


@router.get(
    "/orgs/{org}/units/{code}",
    response={200: UnitOut, **READ_ERRORS},
    summary="One unit",
)
def get_one_unit(request: HttpRequest, org: str, code: str) -> dict[str, Any]:
    organization, _access = _open(request, org, code=code)
    return _one_unit(organization, code)


@router.post(
    "/orgs/{org}/units",
    response={201: UnitOut, **WRITE_ERRORS},
    summary="Add a unit",
)
def create_unit(request: HttpRequest, org: str, payload: UnitIn) -> Status[dict[str, Any]]:
    """Owners and admins add departments and teams under any unit of the organization."""
    organization, _access = _manage(request, org, payload)
    unit = unit_create(
        organization=organization,
        name=payload.name,
        parent=_unit_in(organization, payload.parent, "parent"),
        kind=payload.kind,
        by=request.user,
    )
    return Status(201, _one_unit(organization, unit.code))


@router.patch(
    "/orgs/{org}/units/{code}",
    response={200: UnitOut, **WRITE_ERRORS},
    summary="Rename, move or reorder a unit",
)
def update_unit(request: HttpRequest, org: str, code: str, payload: UnitPatch) -> dict[str, Any]:
    """Owners and admins. Only the fields sent change. A unit cannot move under itself or a
    unit below it; the company unit stays at the root."""
    organization, _access = _manage(request, org, payload, code=code)
    unit = get_unit(organization, code)
    changes = _no_nulls(payload)
    if "parent" in changes:
        changes["parent"] = _unit_in(organization, changes["parent"], "parent")
    unit_update(unit=unit, by=request.user, **changes)
    return _one_unit(organization, unit.code)


# --- unit members -----------------------------------------------------------------------------


def _member_rows(organization: Organization, unit: Unit) -> QuerySet[UnitMember]:
    role = Membership.objects.filter(organization=organization, user=OuterRef("user")).values(
        "role"
    )[:1]
    return (
        UnitMember.objects.filter(organization=organization, unit=unit)
        .select_related("user")
        .annotate(role=Subquery(role))
        .order_by("-is_lead", "user__name", "user__email", "id")
    )


def member_data(row: UnitMember) -> dict[str, Any]:
    return {**_person_ref(row.user), "role": row.role, "lead": row.is_lead}  # type: ignore[attr-defined]


def _one_member(organization: Organization, unit: Unit, user_id: int) -> UnitMember:
    row = _member_rows(organization, unit).filter(user_id=user_id).first()
    if row is None:
        raise Http404
    return row


@router.get(
    "/orgs/{org}/units/{code}/members",
    response={200: list[UnitMemberOut], **READ_ERRORS},
    summary="People placed in a unit",
)
def list_unit_members(
    request: HttpRequest, response: HttpResponse, org: str, code: str, page: Query[PageIn]
) -> list[dict[str, Any]]:
    """Leads first, then by name. Only people placed directly in the unit, not those of the
    units below it."""
    organization, _access = _open(request, org, code=code)
    unit = get_unit(organization, code)
    return [
        member_data(row)
        for row in paginate(request, response, _member_rows(organization, unit), page)
    ]


@router.post(
    "/orgs/{org}/units/{code}/members",
    response={200: UnitMemberOut, 201: UnitMemberOut, **WRITE_ERRORS},
    summary="Place a person in a unit",
)
def add_unit_member(
    request: HttpRequest, org: str, code: str, payload: UnitMemberIn
) -> Status[dict[str, Any]]:
    """Owners and admins. The person must already be in the organization (add new people
    with POST /orgs/{org}/people). Answers 201 when placed, 200 when they were there already
    (their lead flag then changes only when `lead` is sent)."""
    organization, _access = _manage(request, org, payload, code=code)
    unit = get_unit(organization, code)
    people = Membership.objects.filter(organization=organization)
    if payload.user_id is not None:
        membership = people.filter(user_id=payload.user_id).select_related("user").first()
        field = "user_id"
    elif payload.email:
        membership = (
            people.filter(user__email__iexact=payload.email.strip()).select_related("user").first()
        )
        field = "email"
    else:
        raise ValidationError({"user_id": _("Give the person's user_id or email.")})
    if membership is None:
        raise ValidationError({field: _("That person is not in this organization.")})
    row, created = unit_member_add(
        unit=unit, user=membership.user, lead=payload.lead, by=request.user
    )
    return Status(
        201 if created else 200, member_data(_one_member(organization, unit, row.user_id))
    )


@router.patch(
    "/orgs/{org}/units/{code}/members/{user_id}",
    response={200: UnitMemberOut, **WRITE_ERRORS},
    summary="Make a unit member its lead, or not",
)
def update_unit_member(
    request: HttpRequest, org: str, code: str, user_id: UserId, payload: UnitMemberPatch
) -> dict[str, Any]:
    organization, _access = _manage(request, org, code=code)
    unit = get_unit(organization, code)
    row = _one_member(organization, unit, user_id)
    unit_member_set_lead(member=row, lead=payload.lead, by=request.user)
    return member_data(_one_member(organization, unit, user_id))


@router.delete(
    "/orgs/{org}/units/{code}/members/{user_id}",
    response={204: None, **WRITE_ERRORS},
    summary="Take a person out of a unit",
)
def remove_unit_member(request: HttpRequest, org: str, code: str, user_id: UserId) -> Status[None]:
    """Owners and admins. The person stays in the organization and in their other units."""
    organization, _access = _manage(request, org, code=code)
    unit = get_unit(organization, code)
    unit_member_remove(member=_one_member(organization, unit, user_id), by=request.user)
    return Status(204, None)


# --- people -----------------------------------------------------------------------------------


def _people(organization: Organization) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(organization=organization)
        .select_related("user")
        .prefetch_related(
            Prefetch(
                "user__unit_memberships",
                queryset=UnitMember.objects.filter(organization=organization)
                .select_related("unit")
                .order_by("unit__order", "unit__name", "unit_id"),
                to_attr="places",
            )
        )
        .order_by("user__name", "user__email", "id")
    )


def person_data(membership: Membership) -> dict[str, Any]:
    user = membership.user
    places = user.places  # type: ignore[attr-defined]
    return {
        **_person_ref(user),
        "role": membership.role,
        "title": membership.title,
        "units": [
            {"code": p.unit.code, "name": p.unit.name, "kind": p.unit.kind, "lead": p.is_lead}
            for p in places
        ],
        "lead_of": [p.unit.code for p in places if p.is_lead],
        "language": user.language,
        "time_zone": user.time_zone,
        "joined_at": membership.created_at,
    }


def _one_person(organization: Organization, user_id: int) -> Membership:
    membership = _people(organization).filter(user_id=user_id).first()
    if membership is None:
        raise Http404
    return membership


@router.get(
    "/orgs/{org}/people",
    response={200: list[PersonDetailOut], **READ_ERRORS},
    summary="People of the organization",
)
def list_people(
    request: HttpRequest,
    response: HttpResponse,
    org: str,
    page: Query[PageIn],
    unit: str | None = None,
    role: str | None = None,
    q: str | None = None,
) -> list[dict[str, Any]]:
    """By name. `unit` (a unit code) keeps the people placed directly in it, `role` one role,
    `q` those whose name or email contains the text."""
    organization, _access = _open(request, org, unit=unit, role=role, q=q)
    # Service accounts act for tokens and are listed with them, not among people.
    rows = _people(organization).filter(user__is_service=False)
    if role is not None:
        if role not in Role.values:
            raise ValidationError({"role": _("Choose owner, admin, lead, member or viewer.")})
        rows = rows.filter(role=role)
    if unit is not None:
        rows = rows.filter(user__unit_memberships__unit=_unit_in(organization, unit, "unit"))
    if q and q.strip():
        text = q.strip()
        rows = rows.filter(Q(user__name__icontains=text) | Q(user__email__icontains=text))
    return [person_data(m) for m in paginate(request, response, rows, page)]


@router.get(
    "/orgs/{org}/people/{user_id}",
    response={200: PersonDetailOut, **READ_ERRORS},
    summary="One person",
)
def get_person(request: HttpRequest, org: str, user_id: UserId) -> dict[str, Any]:
    organization, _access = _open(request, org)
    return person_data(_one_person(organization, user_id))


@router.post(
    "/orgs/{org}/people",
    response={200: PersonDetailOut, 201: PersonDetailOut, **WRITE_ERRORS},
    summary="Add a person",
)
def add_person(request: HttpRequest, org: str, payload: PersonIn) -> Status[dict[str, Any]]:
    """Owners and admins. Makes the account when nobody signs in with that email yet (they
    set a password with “Forgot password”). Answers 201 for someone new to the organization,
    200 for someone already in, who is then placed in the units given and takes the role
    given, if any."""
    organization, _access = _manage(request, org, payload)
    units = _units_in(organization, payload.units, "units")
    lead_of = _units_in(organization, payload.lead_of, "lead_of")
    known = Membership.objects.filter(
        organization=organization, user__email__iexact=(payload.email or "").strip()
    ).exists()
    membership = person_add(
        organization=organization,
        email=payload.email,
        name=payload.name,
        role=payload.role,
        units=units,
        lead_of=lead_of,
        by=request.user,
    )
    return Status(200 if known else 201, person_data(_one_person(organization, membership.user_id)))


@router.patch(
    "/orgs/{org}/people/{user_id}",
    response={200: PersonDetailOut, **WRITE_ERRORS},
    summary="Change a person's role or job title",
)
def update_person(
    request: HttpRequest, org: str, user_id: UserId, payload: PersonPatch
) -> dict[str, Any]:
    """Owners and admins. The last owner cannot stop being an owner until another exists."""
    organization, _access = _manage(request, org, payload)
    membership = _one_person(organization, user_id)
    membership_update(membership=membership, by=request.user, **_no_nulls(payload))
    return person_data(_one_person(organization, user_id))
