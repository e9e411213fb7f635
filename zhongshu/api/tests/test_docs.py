"""The interactive documentation and the OpenAPI document."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_the_openapi_document_lists_every_route_and_both_ways_in():
    # when
    response = Client().get("/api/v1/openapi.json")

    # then
    assert response.status_code == 200
    document = response.json()
    assert document["info"]["title"] == "Zhongshu API"
    assert "/api/v1/audit/{audit_entry_id}" in document["paths"]
    assert set(document["components"]["securitySchemes"]) == {
        "TokenAuth",
        "SessionAuth",
    }


def test_the_interactive_docs_render():
    # when
    response = Client().get("/api/v1/docs")

    # then
    assert response.status_code == 200
    assert b"openapi.json" in response.content
