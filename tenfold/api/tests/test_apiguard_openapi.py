"""What the OpenAPI document says about idempotency, rate limits and paging."""

from __future__ import annotations

import json

import jsonschema
import pytest

from tenfold.api.views import api
from tenfold.apiguard.openapi import extend, install

from .conftest import PREFIX


@pytest.fixture(scope="module")
def document():
    return json.loads(json.dumps(extend(api.get_openapi_schema(path_prefix=PREFIX))))


def operations(document):
    for path, items in document["paths"].items():
        for method, operation in items.items():
            yield path, method, operation


def test_it_is_openapi_3_1(document):
    assert document["openapi"] == "3.1.0"


def test_writing_operations_take_an_idempotency_key(document):
    writes = [op for _p, method, op in operations(document) if method in ("post", "patch")]
    assert writes
    for operation in writes:
        keys = [p for p in operation["parameters"] if p["name"] == "Idempotency-Key"]
        assert len(keys) == 1, operation["operationId"]
        assert keys[0]["in"] == "header" and keys[0]["schema"]["maxLength"] == 255
        assert {"409", "422"} <= set(operation["responses"])
    reads = [op for _p, method, op in operations(document) if method == "get"]
    assert not any(p["name"] == "Idempotency-Key" for op in reads for p in op.get("parameters", []))


def test_every_operation_documents_429_and_the_error_shape(document):
    for _path, _method, operation in operations(document):
        limited = operation["responses"]["429"]
        assert {"Retry-After", "X-RateLimit-Remaining"} <= set(limited["headers"])
        schema = operation["responses"]["4XX"]["content"]["application/json"]["schema"]
        assert schema == {"$ref": "#/components/schemas/ApiError"}
        for response in operation["responses"].values():
            assert "X-RateLimit-Limit" in response.get("headers", {})
    error = {"error": {"code": "rate_limited", "message": "Slow down.", "fields": {}}}
    jsonschema.validate(error, document["components"]["schemas"]["ApiError"])
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"detail": "x"}, document["components"]["schemas"]["ApiError"])


def test_paged_lists_document_their_headers(document):
    paged = [
        op
        for _p, method, op in operations(document)
        if method == "get" and {"limit", "offset"} <= {p["name"] for p in op.get("parameters", [])}
    ]
    for operation in paged:
        assert {"X-Total-Count", "Link"} <= set(operation["responses"]["200"]["headers"])
    unpaged = document["paths"][f"{PREFIX}/me"]["get"]["responses"]["200"]["headers"]
    assert "X-Total-Count" not in unpaged


def test_extending_twice_changes_nothing(document):
    again = json.loads(json.dumps(extend(json.loads(json.dumps(document)))))
    assert again == document


def test_the_api_publishes_the_extended_document():
    """The hook is installed on the API object (tenfold/api/views.py calls install)."""
    assert getattr(api.get_openapi_schema, "apiguard", False)
    install(api)  # a second install is harmless
    served = api.get_openapi_schema(path_prefix=PREFIX)
    assert "429" in served["paths"][f"{PREFIX}/me"]["get"]["responses"]


def test_the_document_and_the_interactive_docs_are_served_without_counting(client):
    """No database access at all: the documentation is not rate limited."""
    document = client.get(f"{PREFIX}/openapi.json")
    assert document.status_code == 200 and document.json()["openapi"] == "3.1.0"
    docs = client.get(f"{PREFIX}/docs")
    assert docs.status_code == 200
    assert b"openapi.json" in docs.content
