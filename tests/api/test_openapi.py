"""GET /openapi.json: a valid OpenAPI 3 document generated from the routes and schemas."""

from __future__ import annotations

import re

import pytest
from openapi_spec_validator import validate

from tests.api.conftest import API
from web.schemas.commands import COMMAND_SCHEMAS


@pytest.fixture
def spec(client) -> dict:
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    return response.json


def test_is_a_valid_openapi_3_document(spec):
    validate(spec)
    assert spec["openapi"].startswith("3.")
    assert spec["servers"] == [{"url": API}]


def test_describes_every_route_of_the_api(app, spec):
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("api."):
            continue
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule.removeprefix(API))
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            if "{command}" in path:
                continue
            assert method.lower() in spec["paths"][path], (method, path)


def test_has_a_path_per_command_with_its_own_body(spec):
    for name, schema in COMMAND_SCHEMAS.items():
        post = spec["paths"][f"/cases/{{case_id}}/{name}"]["post"]
        body = post["requestBody"]["content"]["application/json"]["schema"]
        assert body == {"$ref": f"#/components/schemas/{schema.__name__}"}
        assert set(post["responses"]) == {"201", "400", "404", "409", "413", "422", "500"}
        assert post["parameters"][0]["name"] == "case_id"
    assert "{command}" not in " ".join(spec["paths"])


def test_describes_bodies_and_replies_with_the_same_schemas(spec):
    schemas = spec["components"]["schemas"]
    payment = schemas["RecordPayment"]
    assert set(payment["required"]) == {"amount", "method"}
    assert payment["properties"]["amount"]["anyOf"] == [
        {"type": "string", "format": "amount"}, {"type": "number"}]
    assert payment["properties"]["method"]["enum"][0] == "bank_transfer"
    summary = schemas["CaseSummary"]["properties"]
    assert summary["outstanding"] == {**summary["outstanding"], "type": "string",
                                      "format": "decimal"}
    assert summary["due_date"]["format"] == "date"
    assert summary["hold_until"]["nullable"] is True
    opening = spec["paths"]["/cases"]["post"]
    assert opening["requestBody"]["content"]["application/json"]["schema"] == \
        {"$ref": "#/components/schemas/OpenCase"}
    assert "Location" in opening["responses"]["201"]["headers"]
    listing = spec["paths"]["/cases"]["get"]
    assert {p["name"] for p in listing["parameters"]} >= {
        "stage", "bucket", "debtor", "on_hold", "currency", "q", "invoice", "sort", "order",
        "page", "per_page"}
    per_page = next(p for p in listing["parameters"] if p["name"] == "per_page")
    assert per_page["schema"]["maximum"] == 200
    assert listing["responses"]["200"]["content"]["application/json"]["schema"] == \
        {"$ref": "#/components/schemas/CasePage"}
    assert {p["name"] for p in spec["paths"]["/audit"]["get"]["parameters"]} >= {
        "actor", "case", "event_type", "date_from", "date_to", "page", "per_page"}
    assert schemas["OpenCase"]["properties"]["currency"]["format"] == "currency"
    case_id = spec["paths"]["/cases/{case_id}"]["get"]["parameters"][0]
    assert case_id["schema"] == {"type": "string", "format": "uuid"}
    assert all(p["allowEmptyValue"] for p in listing["parameters"] if p["in"] == "query")
    page = next(p for p in listing["parameters"] if p["name"] == "page")
    assert page["schema"]["maximum"] == 1_000_000
    for path in ("/cases/{case_id}", "/cases/{case_id}/timeline", "/debtors/{debtor_key}"):
        assert spec["paths"][path]["get"]["responses"]["404"]["content"][
            "application/json"]["schema"] == {"$ref": "#/components/schemas/Errors"}
