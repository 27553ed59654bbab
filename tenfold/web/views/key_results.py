"""A key result's own page: its numbers, the chart of its check-ins, the check-in history with
corrections, the forecast at the cycle's end, and check-ins for today or a past day.

Parse → authorize → call a service → render, like the objective pages. Writes are POST only and
refuse with 403 whoever may not make them, htmx or not. A refused htmx write answers 200 with
the messages inside the swapped fragment (htmx 2 does not swap 4xx answers); the same refusal
as a plain form post answers 400 with the whole page. The page runs the same number of queries
however many check-ins the key result has.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from types import SimpleNamespace
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe
from django_htmx.http import reswap, retarget

from tenfold.checkins.models import CheckIn, Source
from tenfold.checkins.services import checkin_correct, checkin_record, measured_on
from tenfold.lib.charts import Projection, Reading, key_result_chart
from tenfold.lib.forecast import (
    Forecast,
    NoForecast,
    ObjectiveForecast,
    Reason,
    forecast_or_reason,
)
from tenfold.lib.forecast import Reading as ForecastReading
from tenfold.lib.progress import THRESHOLD_KINDS
from tenfold.lib.validation import error_dict
from tenfold.okrs.models import Cycle, CycleState, KeyResult, ObjectiveState
from tenfold.okrs.selectors import get_key_result, key_result_status, organization_today
from tenfold.organizations.models import Organization
from tenfold.organizations.permissions import Access

from ..forms import CorrectionForm, DatedCheckInForm
from ..shortcuts import org_access, render
from ..templatetags.tenfold import kr_value, pct

PAGE = "web/key_result.html"


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _plain(number: Decimal) -> str:
    """A stored decimal as people type it: 40, not 40.0000."""
    if number == number.to_integral():
        return format(number.quantize(Decimal(1)), "f")
    return format(number.normalize(), "f")


@dataclass
class Version:
    """An earlier version of a reading, and the correction that replaced it."""

    checkin: CheckIn
    replaced_by: CheckIn


@dataclass
class Row:
    """One reading in the history: its newest version and what it said before."""

    checkin: CheckIn
    measured_on: dt.date
    versions: list[Version] = field(default_factory=list)

    @property
    def code(self) -> str:
        return self.checkin.code


def _rows(checkins: list[CheckIn], zone: zoneinfo.ZoneInfo) -> list[Row]:
    """The readings that stand (no correction replaced them), newest first, each with the
    chain of versions it replaced. Works on rows already loaded: no query."""
    by_id = {c.id: c for c in checkins}
    replaced = {c.supersedes_id for c in checkins if c.supersedes_id}
    rows = []
    for checkin in checkins:
        if checkin.id in replaced:
            continue
        row = Row(checkin, timezone.localdate(checkin.measured_at, timezone=zone))
        newer, older = checkin, by_id.get(checkin.supersedes_id or 0)
        seen = {checkin.id}
        while older is not None and older.id not in seen:
            seen.add(older.id)
            row.versions.append(Version(older, newer))
            newer, older = older, by_id.get(older.supersedes_id or 0)
        rows.append(row)
    return rows


# --- forecasts --------------------------------------------------------------------------------


@dataclass
class ForecastView:
    """A forecast as the pages show it: one line, and the sentences of its explanation."""

    result: Forecast | ObjectiveForecast | NoForecast
    headline: str
    details: list[str] = field(default_factory=list)

    @property
    def available(self) -> bool:
        return not isinstance(self.result, NoForecast)


def key_result_forecast(
    kr: KeyResult, readings: Sequence[ForecastReading], cycle: Cycle, today: dt.date
) -> Forecast | NoForecast:
    return forecast_or_reason(
        readings,
        cycle_start=cycle.start,
        cycle_end=cycle.end,
        today=today,
        kind=kr.kind,
        start=kr.start,
        target=kr.target,
    )


def _value(kr: KeyResult, number: Decimal) -> str:
    """A projected value in the key result's format, rounded (the formatter cuts digits off,
    which would show 41.8 as 41)."""
    places = Decimal(1).scaleb(-kr.decimals)
    return kr_value(kr, number.quantize(places, rounding=ROUND_HALF_UP))


def _whole_percent(value: Decimal) -> str:
    return number_format(value * 100, 0)


def _band(low: Decimal, high: Decimal) -> str:
    """50–74 %: the unit once, after the range."""
    return f"{_whole_percent(low)}–{pct(high)}"


def _signed(kr: KeyResult, number: Decimal) -> str:
    """A change in the key result's own units, with at least two decimals so a slow trend
    does not read as 0."""
    shown = SimpleNamespace(
        decimals=max(kr.decimals, 2),
        value_format=kr.value_format,
        currency=kr.currency,
        unit_label=kr.unit_label,
    )
    text = kr_value(shown, abs(number))
    return f"−{text}" if number < 0 else f"+{text}"


NO_FORECAST = {
    Reason.TOO_FEW_READINGS: _lazy("Needs three check-ins to project."),
    Reason.ONE_DAY: _lazy("Needs check-ins on at least two different days to project."),
    Reason.MILESTONE: _lazy("Milestones are not projected: they are done or not done."),
    Reason.NO_KEY_RESULTS: _lazy("No projection: this objective has no key results of its own."),
    Reason.ALL_WEIGHTS_ZERO: _lazy("No projection: every key result has a weight of 0."),
}


def key_result_forecast_view(kr: KeyResult, result: Forecast | NoForecast) -> ForecastView:
    if isinstance(result, NoForecast):
        return ForecastView(result, str(NO_FORECAST[result.reason]))
    day = date_format(result.at, "j M Y")
    if kr.kind in THRESHOLD_KINDS:
        values = {
            "value": _value(kr, result.value),
            "low": _value(kr, result.value_low),
            "high": _value(kr, result.value_high),
        }
        if result.holds:
            headline = _("projected %(value)s (%(low)s to %(high)s): holds the level") % values
        else:
            headline = _("projected %(value)s (%(low)s to %(high)s): misses the level") % values
    else:
        headline = _("projected %(progress)s (%(band)s)") % {
            "progress": pct(result.progress),
            "band": _band(result.low, result.high),
        }
    details = [
        ngettext(
            "A straight line is fitted to the %(count)d check-in of this cycle by least "
            "squares and read off on its last day, %(day)s.",
            "A straight line is fitted to the %(count)d check-ins of this cycle by least "
            "squares and read off on its last day, %(day)s.",
            result.readings,
        )
        % {"count": result.readings, "day": day},
        _("The line moves by %(change)s a week.") % {"change": _signed(kr, result.slope_per_week)}
        if result.slope_per_day
        else _("The line is flat: the check-ins have not moved."),
        _("On %(day)s it reaches %(value)s; the band runs from %(low)s to %(high)s.")
        % {
            "day": day,
            "value": _value(kr, result.value),
            "low": _value(kr, result.value_low),
            "high": _value(kr, result.value_high),
        },
        _(
            "The band is where the value should land four times out of five if the trend "
            "holds, judged by how far the check-ins scatter around the line: fewer or more "
            "scattered check-ins make it wider."
        ),
    ]
    if result.r_squared is not None:
        details.append(
            _("The line accounts for %(share)s of the ups and downs of the check-ins.")
            % {"share": pct(result.r_squared)}
        )
    if kr.kind in THRESHOLD_KINDS:
        details.append(
            _("Holding a level counts as 100 % or 0 %, so the projection is about the value.")
        )
    else:
        details.append(
            _(
                "Value and band are turned into progress with the same formula as the "
                "progress above, kept between 0 %% and 100 %% (unclamped: %(raw)s)."
            )
            % {"raw": pct(result.progress_raw)}
        )
    details.append(
        _("A projection, not a promise: it describes the key result, never the people on it.")
    )
    return ForecastView(result, headline, details)


def objective_forecast_view(result: ObjectiveForecast | NoForecast) -> ForecastView:
    if isinstance(result, NoForecast):
        if result.reason is Reason.KEY_RESULTS_WITHOUT_FORECAST:
            headline = ngettext(
                "No projection until every key result has one: %(count)d does not yet.",
                "No projection until every key result has one: %(count)d do not yet.",
                result.missing,
            ) % {"count": result.missing}
            return ForecastView(result, headline)
        return ForecastView(result, str(NO_FORECAST[result.reason]))
    headline = _("projected %(progress)s (%(band)s)") % {
        "progress": pct(result.progress),
        "band": _band(result.low, result.high),
    }
    details = [
        _(
            "The projection is the weighted mean of its key results' projections, with the "
            "same weights as its progress; the band ends are combined the same way."
        ),
        _(
            "Combining the band ends like that assumes the key results all fall short or all "
            "do better together, so the band is wider than if they moved independently."
        ),
    ]
    return ForecastView(result, headline, details)


def _projection(result: Forecast | NoForecast) -> Projection | None:
    if not isinstance(result, Forecast):
        return None
    return Projection(
        first_day=result.first_day,
        fitted_first=result.fitted_first,
        last_day=result.last_day,
        fitted_last=result.fitted_last,
        value=result.value,
        low=result.value_low,
        high=result.value_high,
    )


def _readings(rows: list[Row]) -> list[tuple[dt.date, Decimal]]:
    return [(row.measured_on, row.checkin.value) for row in rows]


def _chart(
    kr: KeyResult,
    rows: list[Row],
    zone: zoneinfo.ZoneInfo,
    today: dt.date,
    result: Forecast | NoForecast | None = None,
) -> Any:
    cycle = kr.objective.cycle
    if result is None:
        result = key_result_forecast(kr, _readings(rows), cycle, today)
    return key_result_chart(
        kind=kr.kind,
        start=kr.start,
        target=kr.target,
        readings=[
            Reading(timezone.localtime(row.checkin.measured_at, zone), row.checkin.value)
            for row in rows
        ],
        cycle_start=cycle.start,
        cycle_end=cycle.end,
        today=today,
        title=_("History of “%(title)s”") % {"title": kr.title},
        format_value=lambda value: kr_value(kr, value),
        format_date=lambda day: date_format(day, "j M"),
        id_prefix=f"chart-{kr.code}",
        projection=_projection(result),
    )


def _checkin_form(kr: KeyResult, today: dt.date, data: Any = None) -> DatedCheckInForm:
    form = DatedCheckInForm(data, auto_id="checkin-%s")
    form.fields["measured_on"].widget.attrs.update(
        {"min": kr.objective.cycle.start.isoformat(), "max": today.isoformat()}
    )
    return form


def _correction_form(checkin: CheckIn, data: Any = None) -> CorrectionForm:
    initial = {
        "value": _plain(checkin.value),
        "confidence": "" if checkin.confidence is None else str(checkin.confidence_out_of_ten),
        "note": checkin.note,
    }
    return CorrectionForm(data, initial=initial, auto_id=f"correct-{checkin.code}-%s")


def _context(
    org: Organization,
    access: Access,
    kr: KeyResult,
    **extra: Any,
) -> dict[str, Any]:
    """Everything the page shows, in a fixed number of queries."""
    objective = kr.objective
    cycle = objective.cycle
    cycle.organization = org  # statuses read the organization's rules and time zone
    zone = zoneinfo.ZoneInfo(org.time_zone)
    today = organization_today(org)
    checkins = list(CheckIn.objects.filter(key_result=kr).select_related("author"))
    rows = _rows(checkins, zone)
    result = key_result_forecast(kr, _readings(rows), cycle, today)
    open_for_checkins = cycle.state != CycleState.CLOSED and objective.state != (
        ObjectiveState.CLOSED
    )
    from tenfold.okrs.carryover import carried_chain

    context: dict[str, Any] = {
        "org": org,
        "access": access,
        "kr": kr,
        "carried": carried_chain(kr, access=access) if kr.carried_from_id else [],
        "objective": objective,
        "cycle": cycle,
        "status": key_result_status(kr, cycle, today),
        "rows": rows,
        "chart": _chart(kr, rows, zone, today, result),
        "forecast": key_result_forecast_view(kr, result),
        "can_check_in": open_for_checkins and access.can_check_in(kr, objective),
        "open_for_checkins": open_for_checkins,
        "checkin_form": _checkin_form(kr, today),
        "correcting": "",
        "correct_form": None,
    }
    context.update(extra)
    return context


def _field_errors(form: Any, error: ValidationError, renames: dict[str, str]) -> None:
    """Put a service's messages on the form, under the form's own name for the field."""
    for name, messages in error_dict(error).items():
        name = renames.get(name, name)
        for message in messages:
            form.add_error(name if name in form.fields else None, message)


def _page_url(org: Organization, kr: KeyResult, anchor: str = "") -> str:
    url = reverse("key_result", kwargs={"org": org.slug, "code": kr.code})
    return f"{url}#{anchor}" if anchor else url


def key_result_detail(request: HttpRequest, org: str, code: str) -> HttpResponse:
    """GET: the page. POST: record a check-in, for today or for a past day."""
    organization, access = org_access(request, org)
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    kr = get_key_result(access, code)
    if request.method != "POST":
        return render(request, PAGE, _context(organization, access, kr))
    if not access.can_check_in(kr, kr.objective):
        raise PermissionDenied
    today = organization_today(organization)
    form = _checkin_form(kr, today, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        day = data["measured_on"]
        try:
            checkin_record(
                key_result=kr,
                value=data["value"],
                confidence=data["confidence"],
                note=data["note"],
                source=Source.WEB,
                measured_at=measured_on(day, organization=organization) if day else None,
                by=request.user,
            )
        except ValidationError as error:
            _field_errors(form, error, {"measured_at": "measured_on"})
        else:
            if not _is_htmx(request):
                return redirect(_page_url(organization, kr, "checkins"))
            kr = get_key_result(access, code)  # the new current value and progress
            context = _context(organization, access, kr, saved=True)
            return render(request, PAGE, context, partial="kr_body")
    context = _context(organization, access, kr, checkin_form=form)
    if _is_htmx(request):
        return render(request, PAGE, context, partial="kr_body")
    return render(request, PAGE, context, status=400)


@require_safe
def key_result_chart_svg(request: HttpRequest, org: str, code: str) -> HttpResponse:
    """The chart alone, as an SVG document (for embedding, slides and reports)."""
    organization, access = org_access(request, org)
    kr = get_key_result(access, code)
    zone = zoneinfo.ZoneInfo(organization.time_zone)
    checkins = CheckIn.objects.filter(key_result=kr).only(
        "id", "code", "value", "measured_at", "supersedes_id"
    )
    rows = _rows(list(checkins), zone)
    svg = _chart(kr, rows, zone, organization_today(organization))
    response = HttpResponse(
        '<?xml version="1.0" encoding="UTF-8"?>\n' + svg, content_type="image/svg+xml"
    )
    # The document is only shapes and escaped text; forbid anything else should that change.
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response


def checkin_correct_view(request: HttpRequest, org: str, code: str) -> HttpResponse:
    """GET: the correction form for one check-in (the form row for htmx, otherwise the key
    result's page with the form open). POST: record the correction."""
    organization, access = org_access(request, org)
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    found = (
        CheckIn.objects.filter(organization=organization, code=code)
        .values_list("key_result__code", flat=True)
        .first()
    )
    if found is None:
        raise Http404
    kr = get_key_result(access, found)
    if not access.can_check_in(kr, kr.objective):
        raise PermissionDenied
    original = CheckIn.objects.select_related("author").get(organization=organization, code=code)
    posted = request.method == "POST"
    form = _correction_form(original, request.POST if posted else None)
    if posted and form.is_valid():
        data = form.cleaned_data
        try:
            checkin_correct(
                checkin=original,
                value=data["value"],
                confidence=data["confidence"],
                note=data["note"],
                reason=data["reason"],
                source=Source.WEB,
                by=request.user,
            )
        except ValidationError as error:
            _field_errors(form, error, {})
        else:
            if not _is_htmx(request):
                return redirect(_page_url(organization, kr, "checkins"))
            kr = get_key_result(access, found)
            context = _context(organization, access, kr, corrected=True)
            return render(request, PAGE, context, partial="kr_body")
    context = _context(organization, access, kr, correcting=original.code, correct_form=form)
    if _is_htmx(request):
        # Only the check-in's row: with the form under it (GET), or the form with its
        # messages (a refused POST), in place of the form that was sent.
        row = next((r for r in context["rows"] if r.code == original.code), None)
        if row is None:
            context["superseded"] = original
            response = render(request, PAGE, context, partial="correct_row")
        else:
            context["row"] = row
            response = render(
                request, PAGE, context, partial="correct_row" if posted else "checkin_row"
            )
        if posted:
            response = retarget(response, f"#correct-{original.code}")
            response = reswap(response, "outerHTML")
        return response
    if not any(r.code == original.code for r in context["rows"]):
        context["superseded"] = original
    return render(request, PAGE, context, status=400 if posted else 200)
