"""An API client whose every response is checked against the generated OpenAPI document."""

from __future__ import annotations

import json
import re
from typing import Any

import jsonschema
import pytest
from django.test import Client

from tenfold.api.views import api

PREFIX = "/api/v1"


class OpenApiClient:
    def __init__(self, client: Client, token: str | None = None) -> None:
        self.client = client
        self.token = token
        # Round-trip through JSON: what clients read, with status codes as string keys.
        self.document = json.loads(json.dumps(api.get_openapi_schema(path_prefix=PREFIX)))

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def _operation(self, method: str, path: str) -> dict[str, Any]:
        bare = PREFIX + path.split("?", 1)[0]
        for template, operations in self.document["paths"].items():
            pattern = "^" + re.sub(r"\{[^}]+\}", "[^/]+", template) + "$"
            if re.match(pattern, bare) and method in operations:
                return operations[method]
        raise AssertionError(f"{method.upper()} {bare} is not in the OpenAPI document")

    def _check(self, method: str, path: str, response: Any) -> Any:
        operation = self._operation(method, path)
        status = str(response.status_code)
        body = json.loads(response.content) if response.content else None
        if status in operation["responses"]:
            content = operation["responses"][status].get("content", {})
            schema = content.get("application/json", {}).get("schema")
            if schema is not None:
                jsonschema.validate(
                    body,
                    {**schema, "components": self.document["components"]},
                    cls=jsonschema.Draft202012Validator,
                )
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
