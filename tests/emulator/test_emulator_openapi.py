"""The OpenAPI document: served, committed, equal to the routes, and kept.

The property-based test lets schemathesis generate requests for every
operation of the document and checks each answer: never a server error,
and always a status, content type, headers and body that the document
allows.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tt_notebook.emulator import EmulatorServer, build_organisation, openapi
from tt_notebook.emulator.server import ROUTES

pytestmark = pytest.mark.integration

API = "/timetracker/api/latest/public"
TOKEN = "schemathesis-admin-token"
HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


def test_the_document_lists_exactly_the_routes_of_the_server() -> None:
    documented = {
        path: {method.upper() for method in item if method in HTTP_METHODS}
        for path, item in openapi.document()["paths"].items()
    }
    served = {template: set(methods) for template, methods in ROUTES.items()}
    assert documented == served


def test_the_committed_file_is_the_document() -> None:
    committed = openapi.COMMITTED.read_text(encoding="utf-8")
    assert committed == openapi.text(), (
        "openapi.json is stale; regenerate it with "
        'python -c "from tt_notebook.emulator import openapi; openapi.write()"'
    )


def test_the_server_serves_the_document_without_a_token(
    big_server: EmulatorServer,
) -> None:
    with requests.Session() as session:
        session.trust_env = False
        response = session.get(big_server.url + "/openapi.json")
        assert response.status_code == 200
        assert response.headers["Content-Type"] == "application/json; charset=utf-8"
        assert response.json() == openapi.document()
        assert session.post(big_server.url + "/openapi.json").status_code == 405


def test_the_document_is_valid_openapi_3() -> None:
    schema = schemathesis.openapi.from_dict(openapi.document())
    schema.validate()  # against the OpenAPI 3.0 meta-schema; raises if invalid
    assert len(list(schema.get_all_operations())) == 13


def test_the_validation_would_catch_a_broken_document() -> None:
    broken = openapi.document()
    broken["paths"]["/tag"]["get"]["responses"]["200"]["description"] = 1
    with pytest.raises(Exception, match="is not valid under any of the schemas"):
        schemathesis.openapi.from_dict(broken).validate()


# -- property-based -----------------------------------------------------------

SCHEMA = schemathesis.openapi.from_dict(openapi.document())
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture(scope="module")
def generated_server() -> Iterator[EmulatorServer]:
    """A week of data and an administrator who is somebody, so writes work."""
    org = build_organisation(start=date(2025, 3, 3), end=date(2025, 3, 9))
    with EmulatorServer(org, tokens={TOKEN: (org.people[0].account_id, "admin")}) as s:
        yield s


@SCHEMA.parametrize()
@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_generated_requests_get_answers_the_document_allows(
    case: schemathesis.Case, generated_server: EmulatorServer
) -> None:
    case.call_and_validate(
        base_url=generated_server.url + API,
        headers={"x-everit-api-key": TOKEN},
        checks=CHECKS,
    )
