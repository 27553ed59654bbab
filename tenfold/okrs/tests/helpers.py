"""Shared by the core service tests: frozen time, and "refused, and nothing was written"."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from tenfold.audit.models import AuditEvent
from tenfold.checkins.models import CheckIn
from tenfold.okrs.models import Alignment, Cycle, KeyResult, Objective

NOW = "2026-11-15 12:00:00+00:00"
"""Mid-cycle for the `cycle` fixture (1 Oct – 31 Dec 2026)."""

MODELS = (Objective, KeyResult, CheckIn, Alignment, AuditEvent, Cycle)


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def refused(field: str, write: Callable[..., Any], /, **kwargs: Any) -> str:
    """Call a service that must refuse the input: a ValidationError that names `field`, and no
    row written anywhere. Returns the field's messages joined, for the test to read."""
    before = row_counts()
    with pytest.raises(ValidationError) as caught:
        write(**kwargs)
    messages = caught.value.message_dict
    assert field in messages, messages
    assert row_counts() == before
    return " ".join(messages[field])
