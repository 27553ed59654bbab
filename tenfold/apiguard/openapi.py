"""What the API guard adds to the OpenAPI document: the ``Idempotency-Key`` header on writing
operations, the answers every operation may give (429 and the error shape for any 4xx), the
rate-limit headers, and the paging headers of lists.

Installed once on the API object (``install(api)`` in ``tenfold/api/views.py``); routers need
not repeat any of it."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from .middleware import HEADER, MAX_KEY_LENGTH, WRITING_METHODS

ERROR_SCHEMA = "ApiError"
ERROR_REF = {"$ref": f"#/components/schemas/{ERROR_SCHEMA}"}
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

ERROR_COMPONENT: dict[str, Any] = {
    "title": ERROR_SCHEMA,
    "type": "object",
    "description": "Every error answers this shape.",
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "code": {
                    "type": "string",
                    "description": (
                        "Stable machine-readable code: invalid, unauthenticated, forbidden, "
                        "not_found, conflict, idempotency_mismatch, idempotency_in_progress, "
                        "rate_limited, …"
                    ),
                },
                "message": {"type": "string"},
                "fields": {
                    "type": "object",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                },
            },
            "required": ["code", "message", "fields"],
        }
    },
    "required": ["error"],
}

RATE_HEADERS: dict[str, Any] = {
    "X-RateLimit-Limit": {
        "description": "Requests allowed in the current window for the budget that applies.",
        "schema": {"type": "integer", "minimum": 0},
    },
    "X-RateLimit-Remaining": {
        "description": "Requests left in the current window.",
        "schema": {"type": "integer", "minimum": 0},
    },
    "X-RateLimit-Reset": {
        "description": "Seconds until the current window ends and the budget is full again.",
        "schema": {"type": "integer", "minimum": 0},
    },
}

PAGING_HEADERS: dict[str, Any] = {
    "X-Total-Count": {
        "description": "How many rows match, over all pages.",
        "schema": {"type": "integer", "minimum": 0},
    },
    "Link": {
        "description": 'Where the next and previous pages are: `<URL>; rel="next"`, '
        '`<URL>; rel="prev"`.',
        "schema": {"type": "string"},
    },
}

REPLAYED_HEADER: dict[str, Any] = {
    "description": "Present (`true`) when this is the stored answer to an earlier request "
    "with the same Idempotency-Key.",
    "schema": {"type": "string", "enum": ["true"]},
}

IDEMPOTENCY_PARAMETER: dict[str, Any] = {
    "name": HEADER,
    "in": "header",
    "required": False,
    "description": (
        "Any unique string (a random UUID is best). A retry with the same key and the same "
        "body gets the first answer again, with `Idempotent-Replayed: true`, for 24 hours."
    ),
    "schema": {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH},
}


def _error_response(description: str, extra_headers: dict[str, Any] | None = None) -> dict:
    return {
        "description": description,
        "headers": copy.deepcopy({**RATE_HEADERS, **(extra_headers or {})}),
        "content": {"application/json": {"schema": dict(ERROR_REF)}},
    }


def _is_paged(operation: dict[str, Any]) -> bool:
    names = {
        parameter.get("name")
        for parameter in operation.get("parameters", [])
        if parameter.get("in") == "query"
    }
    return {"limit", "offset"} <= names


def extend(document: dict[str, Any]) -> dict[str, Any]:
    """Add the guard's parts to ``document`` (in place; also returned)."""
    document["openapi"] = "3.1.0"
    components = document.setdefault("components", {})
    components.setdefault("schemas", {})[ERROR_SCHEMA] = copy.deepcopy(ERROR_COMPONENT)
    for operations in document.get("paths", {}).values():
        for method, operation in operations.items():
            if method not in HTTP_METHODS or not isinstance(operation, dict):
                continue
            # The generator keys statuses by number; JSON keys are strings. Use strings so an
            # added "409" cannot stand beside an existing 409.
            responses = {str(code): item for code, item in operation.get("responses", {}).items()}
            operation["responses"] = responses
            responses.setdefault(
                "429",
                _error_response(
                    "Too many requests: wait `Retry-After` seconds.",
                    {
                        "Retry-After": {
                            "description": "Seconds to wait before trying again.",
                            "schema": {"type": "integer", "minimum": 0},
                        }
                    },
                ),
            )
            if method.upper() in WRITING_METHODS:
                parameters = operation.setdefault("parameters", [])
                if not any(p.get("name") == HEADER for p in parameters):
                    parameters.append(copy.deepcopy(IDEMPOTENCY_PARAMETER))
                responses.setdefault(
                    "409",
                    _error_response(
                        "A conflict, e.g. the object changed since you read it (`conflict`), or a "
                        "request with this Idempotency-Key is still running "
                        "(`idempotency_in_progress`)."
                    ),
                )
                responses.setdefault(
                    "422",
                    _error_response(
                        "This Idempotency-Key was used for a different request "
                        "(`idempotency_mismatch`)."
                    ),
                )
            responses.setdefault("4XX", _error_response("Any other error, in the one error shape."))
            for status, response in responses.items():
                if "$ref" in response:
                    continue
                headers = response.setdefault("headers", {})
                for name, header in RATE_HEADERS.items():
                    headers.setdefault(name, copy.deepcopy(header))
                if method.upper() in WRITING_METHODS:
                    headers.setdefault("Idempotent-Replayed", copy.deepcopy(REPLAYED_HEADER))
                if status == "200" and method == "get" and _is_paged(operation):
                    for name, header in PAGING_HEADERS.items():
                        headers.setdefault(name, copy.deepcopy(header))
    return document


def install(api: Any) -> None:
    """Make ``api`` publish the extended document (idempotent)."""
    generate: Callable[..., Any] = api.get_openapi_schema
    if getattr(generate, "apiguard", False):
        return

    def get_openapi_schema(*args: Any, **kwargs: Any) -> Any:
        return extend(generate(*args, **kwargs))

    get_openapi_schema.apiguard = True  # type: ignore[attr-defined]
    api.get_openapi_schema = get_openapi_schema
