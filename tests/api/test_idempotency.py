"""The Idempotency-Key header: a request sent again under its key is answered as the first time."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any
from uuid import UUID, uuid4

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.api.conftest import API, invoice

REFERRAL = {"counsel": "Lee & Co", "override_reason": "debtor unreachable"}


def key() -> str:
    return str(uuid4())


def stored(app: Flask, case_id: str) -> list[str]:
    """The case's event types, as stored."""
    return [e["type"] for e in app.extensions["arrears"].service.history(UUID(case_id))]


@pytest.fixture
def case_id(open_case: Callable[..., dict[str, Any]]) -> str:
    return open_case()["case_id"]


def refer(client: FlaskClient, case_id: str, once: str | None, **body: Any):
    headers = {} if once is None else {"Idempotency-Key": once}
    return client.post(f"{API}/cases/{case_id}/refer_to_counsel",
                       json={**REFERRAL, **body}, headers=headers)


class TestTheSameRequestTwice:
    def test_is_answered_with_the_same_status_and_body_and_stores_one_event(
            self, app: Flask, client: FlaskClient, case_id: str) -> None:
        once = key()
        first, again = refer(client, case_id, once), refer(client, case_id, once)
        assert (first.status_code, again.status_code) == (201, 201)
        assert again.json == first.json
        assert again.json["version"] == 2
        assert again.headers["Location"] == first.headers["Location"]
        assert "Idempotent-Replayed" not in first.headers
        assert again.headers["Idempotent-Replayed"] == "true"
        assert stored(app, case_id).count("LegalReferral") == 1

    def test_keeps_the_first_version_after_later_commands(
            self, app: Flask, client: FlaskClient, case_id: str) -> None:
        once = key()
        first = refer(client, case_id, once)
        assert refer(client, case_id, key()).json["version"] == 3  # a real second referral
        again = refer(client, case_id, once)
        assert (again.status_code, again.json["case_id"], again.json["version"]) == \
            (201, case_id, first.json["version"])
        assert stored(app, case_id).count("LegalReferral") == 2

    def test_opening_a_case_twice_is_one_case_not_a_409(
            self, app: Flask, client: FlaskClient) -> None:
        once, body = key(), invoice()
        first = client.post(f"{API}/cases", json=body, headers={"Idempotency-Key": once})
        again = client.post(f"{API}/cases", json=body, headers={"Idempotency-Key": once})
        assert (first.status_code, again.status_code) == (201, 201)
        assert again.json == first.json
        assert stored(app, first.json["case_id"]) == ["CaseOpened"]
        without_key = client.post(f"{API}/cases", json=body)
        assert without_key.status_code == 409

    def test_a_key_sent_as_a_quoted_string_is_the_same_key(
            self, app: Flask, client: FlaskClient, case_id: str) -> None:
        once = key()
        first, again = refer(client, case_id, once), refer(client, case_id, f'"{once}"')
        assert again.headers["Idempotent-Replayed"] == "true"
        assert again.json == first.json

    def test_without_a_key_each_request_is_recorded(
            self, app: Flask, client: FlaskClient, case_id: str) -> None:
        assert [refer(client, case_id, None).status_code for _ in range(2)] == [201, 201]
        assert stored(app, case_id).count("LegalReferral") == 2


class TestOneKeyForAnotherRequest:
    @pytest.mark.parametrize("change", ["body", "case", "command"])
    def test_is_a_422_naming_the_header_and_stores_nothing(
            self, app: Flask, client: FlaskClient, open_case, change: str) -> None:
        case_id, other_case = open_case()["case_id"], open_case()["case_id"]
        once = key()
        refer(client, case_id, once)
        headers = {"Idempotency-Key": once}
        response = {
            "body": lambda: refer(client, case_id, once, counsel="Other & Partners"),
            "case": lambda: refer(client, other_case, once),
            "command": lambda: client.post(f"{API}/cases/{case_id}/add_note",
                                           json={"text": "x"}, headers=headers),
        }[change]()
        assert response.status_code == 422
        assert list(response.json["errors"]) == ["Idempotency-Key"]
        assert "already used for a different request" in \
            response.json["errors"]["Idempotency-Key"][0]
        assert stored(app, case_id) == ["CaseOpened", "LegalReferral"]
        assert stored(app, other_case) == ["CaseOpened"]

    def test_a_key_that_opened_a_case_cannot_open_another(
            self, client: FlaskClient) -> None:
        headers = {"Idempotency-Key": key()}
        assert client.post(f"{API}/cases", json=invoice(), headers=headers).status_code == 201
        second = client.post(f"{API}/cases", json=invoice(), headers=headers)
        assert second.status_code == 422
        assert list(second.json["errors"]) == ["Idempotency-Key"]


class TestTheHeader:
    @pytest.mark.parametrize("bad", ["", "short", "k" * 129, "has spaces in it",
                                     "semi;colon;key", '"unterminated-quote'])
    def test_a_malformed_key_is_a_400_naming_it(self, app: Flask, client: FlaskClient,
                                                 case_id: str, bad: str) -> None:
        response = refer(client, case_id, bad)
        assert response.status_code == 400
        assert response.json["errors"] == {"Idempotency-Key": [
            "Idempotency-Key must be 8 to 128 characters, each a letter, a digit, '-', '_', "
            "'.' or ':' (a UUID will do)"]}
        assert stored(app, case_id) == ["CaseOpened"]

    def test_two_keys_in_one_request_are_a_400(self, app: Flask, client: FlaskClient,
                                               case_id: str) -> None:
        response = client.post(f"{API}/cases/{case_id}/refer_to_counsel", json=REFERRAL,
                               headers=[("Idempotency-Key", key()), ("Idempotency-Key", key())])
        assert response.status_code == 400
        assert list(response.json["errors"]) == ["Idempotency-Key"]
        assert stored(app, case_id) == ["CaseOpened"]

    def test_a_refused_request_keeps_no_key(self, app: Flask, client: FlaskClient,
                                            case_id: str) -> None:
        once = key()
        assert refer(client, case_id, once, override_reason=None).status_code == 400
        assert refer(client, case_id, once, counsel="Lee & Co").status_code == 201
        assert stored(app, case_id).count("LegalReferral") == 1

    def test_is_described_in_the_openapi_document(self, client: FlaskClient) -> None:
        spec = client.get(f"{API}/openapi.json").json
        posts = [spec["paths"]["/cases"]["post"],
                 spec["paths"]["/cases/{case_id}/record_payment"]["post"]]
        for post in posts:
            header = [p for p in post["parameters"] if p["in"] == "header"]
            assert [(h["name"], h["required"]) for h in header] == [("Idempotency-Key", False)]
            assert header[0]["schema"]["maxLength"] == 128
            assert "Idempotent-Replayed" in post["responses"]["201"]["headers"]


def test_requests_racing_with_one_key_store_one_event(app: Flask, case_id: str) -> None:
    once = key()
    start = threading.Barrier(4)
    answers: list[tuple[int, Any]] = []

    def send() -> None:
        start.wait(10)
        response = refer(app.test_client(), case_id, once)
        answers.append((response.status_code, response.json.get("version")))

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert answers == [(201, 2)] * 4
    assert stored(app, case_id).count("LegalReferral") == 1
