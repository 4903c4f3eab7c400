"""Structured logs: a JSON line per request and per command, with the case id, the command,
the actor, the outcome and the duration, and nothing about the debtor beyond the case id."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest
from flask.testing import FlaskClient

from application.logs import configure_logging, reset_logging
from tests.api.conftest import API, invoice

DEBTOR = "Zelda Quuxington-Farquhar"
EMAIL = "zelda.quux@private.example"


@pytest.fixture
def logs() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    configure_logging({"ARREARS_LOG_LEVEL": "info"}, stream=stream)
    yield stream
    reset_logging()


def _lines(stream: io.StringIO) -> list[dict]:
    return [json.loads(text) for text in stream.getvalue().splitlines()]


def test_a_command_and_a_request_log_one_json_line_each_without_the_debtor(
        client: FlaskClient, logs: io.StringIO) -> None:
    body = invoice(debtor_name=DEBTOR, debtor_email=EMAIL)
    opened = client.post(f"{API}/cases", json=body)
    assert opened.status_code == 201
    case_id = opened.json["case"]["case_id"]
    assert client.post(f"{API}/cases", json=body).status_code == 409  # already open
    paid = client.post(f"{API}/cases/{case_id}/record-payment",
                       json={"amount": "100", "method": "bank_transfer", "reference": "TX-9"})
    assert paid.status_code == 201
    assert client.get(f"{API}/cases?debtor={DEBTOR}&q=Zelda").status_code == 200

    text = logs.getvalue()
    lines = _lines(logs)  # every line parses as JSON
    assert DEBTOR not in text and "Zelda" not in text and EMAIL not in text
    assert "Quux" not in text and "private.example" not in text
    commands = [line for line in lines if line["logger"] == "arrears.command"]
    requests = [line for line in lines if line["logger"] == "arrears.request"]
    assert [(c["command"], c["outcome"]) for c in commands] == [
        ("OpenCase", "accepted"), ("OpenCase", "refused"), ("RecordPayment", "accepted")]
    assert {c["case_id"] for c in commands} == {case_id}
    assert all(c["actor"] == "api-test" and c["duration_ms"] >= 0 for c in commands)
    assert commands[1]["error"] == "CaseAlreadyOpen" and commands[1]["field"] == "invoice_number"
    assert [(r["method"], r["route"], r["status"]) for r in requests] == [
        ("POST", "/api/v1/cases", 201), ("POST", "/api/v1/cases", 409),
        ("POST", requests[2]["route"], 201), ("GET", "/api/v1/cases", 200)]
    assert requests[2]["route"].startswith("/api/v1/cases/<case_id>/<any(")
    assert requests[2]["case_id"] == case_id
    assert all(r["user"] == "api-test" and r["level"] == "info" for r in requests)


def test_the_level_comes_from_the_configuration(client: FlaskClient,
                                                logs: io.StringIO) -> None:
    configure_logging({"ARREARS_LOG_LEVEL": "warning"}, stream=logs)
    assert client.get(f"{API}/cases").status_code == 200
    assert logs.getvalue() == ""
    assert logging.getLogger("arrears.request").getEffectiveLevel() == logging.WARNING


def test_an_unknown_level_is_refused_naming_the_setting() -> None:
    from application.settings import SettingsError

    with pytest.raises(SettingsError, match="ARREARS_LOG_LEVEL: 'chatty' is not one of"):
        configure_logging({"ARREARS_LOG_LEVEL": "chatty"})


def test_a_served_app_logs_by_itself(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    from web import create_app

    monkeypatch.setenv("ARREARS_LOG_LEVEL", "debug")
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'events.db'}", "FOLLOW": False,
                      "SECRET_KEY": "test"})
    try:
        handlers = [h for h in logging.getLogger("arrears").handlers
                    if getattr(h, "arrears", False)]
        assert len(handlers) == 1
        assert logging.getLogger("arrears.request").getEffectiveLevel() == logging.DEBUG
    finally:
        app.extensions["arrears"].close()
        reset_logging()


def test_a_line_is_written_once_even_when_the_root_logger_has_a_handler(
        client: FlaskClient, logs: io.StringIO) -> None:
    # waitress calls logging.basicConfig(): the root logger then prints every record it
    # receives again, as "INFO:arrears.request:request", unless ours stop there.
    root_stream = io.StringIO()
    root_handler = logging.StreamHandler(root_stream)
    logging.getLogger().addHandler(root_handler)
    try:
        assert client.get("/healthz").status_code == 200
    finally:
        logging.getLogger().removeHandler(root_handler)
    assert [line["route"] for line in _lines(logs) if line["logger"] == "arrears.request"] \
        == ["/healthz"]
    assert "arrears.request" not in root_stream.getvalue()
    assert root_stream.getvalue() == ""
