"""An API client whose every response is checked against the generated OpenAPI document."""

from __future__ import annotations

import functools
import json
import re
from typing import Any

import jsonschema
import pytest
from django.test import Client

from tenfold.api.views import api

PREFIX = "/api/v1"


@functools.cache
def openapi_document() -> dict[str, Any]:
    """The OpenAPI document as clients read it (through JSON, so status codes are string keys).
    Generating it takes a while and it never changes within a run, so it is made once."""
    return json.loads(json.dumps(api.get_openapi_schema(path_prefix=PREFIX)))


@functools.cache
def _validator(method: str, template: str, status: str) -> Any:
    """A compiled validator of one operation's answer (None when it has no JSON body)."""
    document = openapi_document()
    content = document["paths"][template][method]["responses"][status].get("content", {})
    schema = content.get("application/json", {}).get("schema")
    if schema is None:
        return None
    full = {**schema, "components": document["components"]}
    jsonschema.Draft202012Validator.check_schema(full)
    return jsonschema.Draft202012Validator(full)


@functools.cache
def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    return [
        (template, re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", template) + "$"))
        for template in openapi_document()["paths"]
    ]


class OpenApiClient:
    def __init__(self, client: Client, token: str | None = None) -> None:
        self.client = client
        self.token = token
        self.document = openapi_document()

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def _template(self, method: str, path: str) -> str:
        bare = PREFIX + path.split("?", 1)[0]
        for template, pattern in _patterns():
            if pattern.match(bare) and method in self.document["paths"][template]:
                return template
        raise AssertionError(f"{method.upper()} {bare} is not in the OpenAPI document")

    def _operation(self, method: str, path: str) -> dict[str, Any]:
        return self.document["paths"][self._template(method, path)][method]

    def _check(self, method: str, path: str, response: Any) -> Any:
        template = self._template(method, path)
        operation = self.document["paths"][template][method]
        status = str(response.status_code)
        body = json.loads(response.content) if response.content else None
        if status in operation["responses"]:
            validator = _validator(method, template, status)
            if validator is not None:
                validator.validate(body)
        else:
            # Undocumented statuses must still use the one error shape.
            assert set(body) == {"error"}, body
            assert {"code", "message", "fields"} <= set(body["error"]), body
        response.data = body
        return response

    def get(self, path: str, **params: Any) -> Any:
        response = self.client.get(PREFIX + path, params, headers=self._headers())
        return self._check("get", path, response)

    def post(self, path: str, data: Any) -> Any:
        response = self.client.post(
            PREFIX + path,
            json.dumps(data),
            content_type="application/json",
            headers=self._headers(),
        )
        return self._check("post", path, response)


@pytest.fixture
def api_client(client: Client) -> OpenApiClient:
    return OpenApiClient(client)


def token_for(user: Any, organization: Any) -> str:
    from tenfold.accounts.services import api_token_create

    _row, token = api_token_create(user=user, organization=organization, name="tests", by=user)
    return token
