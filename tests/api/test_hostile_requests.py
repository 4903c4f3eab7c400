"""What Schemathesis found against the API, each kept as a regression test.

Huge exponents in amounts, huge page numbers, JSON nested 100,000 deep and bodies of 100 MB
are refused with a 4xx naming the field, never a 500, and nothing is stored.
"""

from __future__ import annotations

import json

import pytest

from tests.api.conftest import API, invoice
from web import MAX_BODY
from web.api.io import MAX_DEPTH

AMOUNT_COMMANDS = {
    "record_payment": {"method": "bank_transfer"},
    "promise_payment": {"promised_on": "2026-01-15"},
    "apply_penalty": {"kind": "late_fee"},
    "waive_penalty": {"kind": "late_fee", "reason": "goodwill"},
    "agree_settlement": {"pay_by": "2026-01-31"},
}
HUGE = "1152921504606846977"


def _post(client, path: str, text: str | bytes):
    return client.post(f"{API}{path}", data=text, content_type="application/json")


def _versions(client, case_id: str) -> int:
    return client.get(f"{API}/cases/{case_id}").json["version"]


class TestExponentAmounts:
    @pytest.mark.parametrize("amount", ["3.3e233", "3.3E+233", "1e30"])
    def test_opening_a_case_refuses_them_naming_the_amount(self, client, amount):
        body = json.dumps(invoice()).replace('"1000.00"', amount)  # a JSON number, as sent
        response = _post(client, "/cases", body)
        assert response.status_code == 400
        assert list(response.json["errors"]) == ["amount"]
        assert client.get(f"{API}/cases").json["total"] == 0

    @pytest.mark.parametrize("command", AMOUNT_COMMANDS)
    @pytest.mark.parametrize("amount", ["3.3e233", '"3.3e233"'])
    def test_commands_refuse_them_naming_the_amount(self, client, open_case, command, amount):
        case_id = open_case()["case_id"]
        body = json.dumps(AMOUNT_COMMANDS[command])[:-1] + f', "amount": {amount}}}'
        response = _post(client, f"/cases/{case_id}/{command}", body)
        assert response.status_code == 400
        assert list(response.json["errors"]) == ["amount"]
        assert "exponent" in response.json["errors"]["amount"][0]
        assert _versions(client, case_id) == 1


    @pytest.mark.parametrize("amount", ['"100000000000000000000000000.0001"',
                                        "100000000000000000000000000.0001"])
    def test_a_30_digit_amount_is_refused_naming_it(self, client, open_case, amount):
        case_id = open_case()["case_id"]
        body = '{"method": "card", "amount": ' + amount + "}"
        response = _post(client, f"/cases/{case_id}/record_payment", body)
        assert response.status_code == 400  # once a 500: its decimals overflowed the context
        assert list(response.json["errors"]) == ["amount"]
        assert _versions(client, case_id) == 1


class TestHugeNumbersInQueries:
    @pytest.mark.parametrize("path", ["/cases", "/audit"])
    @pytest.mark.parametrize("name", ["page", "per_page"])
    def test_a_huge_page_is_refused_naming_it(self, client, path, name):
        response = client.get(f"{API}{path}?{name}={HUGE}")
        assert response.status_code == 400
        assert list(response.json["errors"]) == [name]
        assert "whole number from 1 to" in response.json["errors"][name][0]

    @pytest.mark.parametrize("path", ["/cases", "/audit"])
    @pytest.mark.parametrize("page", ["1e3", "١", "+1", "0x10", "1.0"])
    def test_only_plain_digits_count_as_a_page(self, client, path, page):
        response = client.get(f"{API}{path}", query_string={"page": page})
        assert response.status_code == 400
        assert list(response.json["errors"]) == ["page"]

    @pytest.mark.parametrize("path", ["/cases", "/audit"])
    def test_the_last_page_allowed_is_answered(self, client, path):
        response = client.get(f"{API}{path}?page=1000000&per_page=200")
        assert response.status_code == 200
        assert response.json["items"] == []


class TestBlankQueryValues:
    @pytest.mark.parametrize("path", ["/cases", "/audit"])
    def test_an_empty_value_counts_as_left_out(self, client, path):
        assert client.get(f"{API}{path}?page=&per_page=").json["page"] == 1

    @pytest.mark.parametrize(("path", "name"), [("/cases", "sort"), ("/cases", "order"),
                                                ("/audit", "event_type"), ("/audit", "page")])
    def test_a_value_of_white_space_is_refused_naming_it(self, client, path, name):
        response = client.get(f"{API}{path}", query_string={name: "\n"})
        assert response.status_code == 400
        assert list(response.json["errors"]) == [name]


    @pytest.mark.parametrize(("path", "name"), [("/cases", "q"), ("/cases", "debtor"),
                                                ("/cases", "invoice"), ("/audit", "actor"),
                                                ("/audit", "case")])
    @pytest.mark.parametrize("text", ["a\x00b", "\u202egnp.exe", "x" * 501])
    def test_a_filter_text_is_read_by_the_parser(self, client, path, name, text):
        """A NUL would reach PostgreSQL, which cannot compare it: refused, naming the filter."""
        response = client.get(f"{API}{path}", query_string={name: text})
        assert response.status_code == 400
        assert list(response.json["errors"]) == [name]


class TestDeepNesting:
    @pytest.mark.parametrize("opening, closing", [("[", "]"), ('{"a":', "}")])
    def test_a_body_nested_100000_deep_is_refused(self, client, opening, closing):
        body = '{"invoice_number": ' + opening * 100_000 + "1" + closing * 100_000 + "}"
        response = _post(client, "/cases", body)
        assert response.status_code == 400
        assert list(response.json["errors"]) == ["body"]
        assert "levels deep" in response.json["errors"]["body"][0]

    def test_a_command_nested_just_past_the_limit_is_refused(self, client, open_case):
        case_id = open_case()["case_id"]
        body = '{"text": ' + "[" * MAX_DEPTH + "]" * MAX_DEPTH + "}"
        response = _post(client, f"/cases/{case_id}/add_note", body)
        assert response.status_code == 400
        assert list(response.json["errors"]) == ["body"]
        assert _versions(client, case_id) == 1

    def test_nesting_up_to_the_limit_reaches_the_fields(self, client, open_case):
        case_id = open_case()["case_id"]
        body = '{"text": ' + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "}"
        response = _post(client, f"/cases/{case_id}/add_note", body)
        assert response.status_code == 400
        assert list(response.json["errors"]) == ["text"]


class TestBodySize:
    def test_a_100_mb_body_with_an_unknown_field_is_refused_as_too_large(self, client):
        body = json.dumps(invoice())[:-1] + ', "padding": "' + "x" * (100 * 2**20) + '"}'
        response = _post(client, "/cases", body)
        assert response.status_code == 413
        assert response.json == {"errors": {"body": [f"must be at most {MAX_BODY:,} bytes"]}}
        assert client.get(f"{API}/cases").json["total"] == 0

    def test_a_body_one_byte_over_the_limit_is_refused(self, client, open_case):
        case_id = open_case()["case_id"]
        head = '{"text": "'
        body = head + "x" * (MAX_BODY - len(head) - 1) + '"}'
        assert len(body) == MAX_BODY + 1
        response = _post(client, f"/cases/{case_id}/add_note", body)
        assert response.status_code == 413
        assert list(response.json["errors"]) == ["body"]
        assert _versions(client, case_id) == 1

    def test_a_body_at_the_limit_is_read(self, client, open_case):
        case_id = open_case()["case_id"]
        head = '{"text": "'
        body = head + "x" * (MAX_BODY - len(head) - 2) + '"}'
        response = _post(client, f"/cases/{case_id}/add_note", body)
        assert response.status_code == 400  # read, and refused for the note's own limit
        assert list(response.json["errors"]) == ["text"]

    def test_the_limit_is_documented(self, client):
        spec = client.get(f"{API}/openapi.json").json
        post = spec["paths"]["/cases/{case_id}/add_note"]["post"]
        assert post["responses"]["413"]["content"]["application/json"]["schema"] == \
            {"$ref": "#/components/schemas/Errors"}


class TestUnknownFields:
    def test_an_unknown_field_is_refused_naming_it(self, client):
        response = client.post(f"{API}/cases", json={**invoice(), "padding": "x" * 1000})
        assert response.status_code == 400
        assert response.json == {"errors": {"padding": ["Unknown field."]}}
        assert client.get(f"{API}/cases").json["total"] == 0

    def test_an_unknown_field_in_a_command_is_refused_naming_it(self, client, open_case):
        case_id = open_case()["case_id"]
        response = client.post(f"{API}/cases/{case_id}/add_note",
                               json={"text": "hello", "txet": "hello"})
        assert response.status_code == 400
        assert list(response.json["errors"]) == ["txet"]
        assert _versions(client, case_id) == 1
