"""OKR data in the API's shapes (plain dicts), whether it came from the server or from the
local database, and the words and numbers the commands print for it.

Local mode builds its data with the API's own serializers and passes it through the API's
schemas, so `--json` prints the same document in both modes and the text output is made by
the same code."""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from types import SimpleNamespace
from typing import Any

from django.utils.translation import gettext as _

from tenfold.web.templatetags.tenfold import kr_value, pct, status_label


def api_shape(schema: Any, data: Any) -> Any:
    """`data` as the API would send it through `schema`: validated, then JSON-encoded the way
    django-ninja encodes (decimals and date-times as strings)."""
    from ninja.responses import NinjaJSONEncoder

    dumped = schema.model_validate(data).model_dump()
    return json.loads(json.dumps(dumped, cls=NinjaJSONEncoder))


def decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def kr_like(data: dict[str, Any]) -> SimpleNamespace:
    """What the value formatters read from a key result, taken from its API shape."""
    return SimpleNamespace(
        kind=data.get("kind", ""),
        start=decimal(data.get("start")),
        target=decimal(data.get("target")),
        current=decimal(data.get("current")),
        expected=decimal(data.get("expected")),
        unit_label=data.get("unit_label") or "",
        value_format=data.get("value_format") or "number",
        currency=data.get("currency") or "",
        decimals=int(data["decimals"]) if data.get("decimals") is not None else 0,
    )


def value_text(kr: dict[str, Any], field: str = "current") -> str:
    return kr_value(kr_like(kr), field)


def amount_text(kr: dict[str, Any], amount: Any) -> str:
    number = decimal(amount)
    return "–" if number is None else kr_value(kr_like(kr), number)


def target_text(kr: dict[str, Any]) -> str:
    from tenfold.okrs.management.commands.krs import target_text as krs_target

    return krs_target(kr_like(kr))  # type: ignore[arg-type]


def progress_text(value: Any) -> str:
    return pct(decimal(value))


def confidence_text(value: Any) -> str:
    return "–" if value is None else f"{value}/10"


def status_text(value: Any) -> str:
    return status_label(value) if value else ""


def forecast_text(forecast: dict[str, Any] | None) -> str:
    if not forecast:
        return ""
    return _("forecast %(progress)s (%(low)s–%(high)s)") % {
        "progress": progress_text(forecast.get("progress")),
        "low": progress_text(forecast.get("low")),
        "high": progress_text(forecast.get("high")),
    }


def day_text(moment: Any) -> str:
    """The day part of an ISO date-time as the API writes it (2026-11-09T10:00:00Z)."""
    return str(moment)[:10] if moment else "–"
