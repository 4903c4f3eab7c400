"""`arrears doctor`: each check says ok, warn or fail with what to do; the exit code is the
worst (0, 11, 12); a database that does not answer is reported within seconds; nothing is
created."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from application.service import CaseService
from cli.failures import DOCTOR_FAILS, DOCTOR_WARNS
from tests.mail.conftest import Sink, free_port, start
from tests.operations.conftest import ok_json
from tests.poison import plant_huge_case

NAMES = ["database", "tables", "events", "schema", "projection", "schedule", "disk", "smtp"]


def _doctor(run) -> tuple[int, dict]:
    result = run("doctor", "--json")
    return result.exit_code, json.loads(result.stdout)


def _by_name(found: dict) -> dict[str, dict]:
    return {check["name"]: check for check in found["checks"]}


def _healthy(run) -> None:
    ok_json(run("demo", "--json"))
    # The demo data set has a EUR case the shipped policy cannot claim a GBP sum on: the run
    # reports that step as an error (exit 1) and records the others.
    ran = json.loads(run("schedule", "run", "--json").stdout)
    assert ran["recorded"] and ran["steps"]


def test_a_healthy_store_is_all_ok(database_url: str, tool) -> None:
    run = tool(database_url)
    _healthy(run)
    code, found = _doctor(run)
    assert [c["name"] for c in found["checks"]] == NAMES
    assert code == 0, found
    assert found["ok"] is True and found["status"] == "ok"
    checks = _by_name(found)
    assert all(set(c) == {"name", "status", "summary", "advice", "details"}
               for c in found["checks"])
    assert checks["database"]["details"]["engine"] in ("sqlite", "postgresql")
    assert checks["database"]["details"]["version"]
    assert checks["events"]["details"]["events"] > 100
    assert checks["projection"]["details"]["lag"] == 0
    assert checks["schedule"]["details"]["last_day"] == "2026-03-01"
    assert checks["smtp"]["details"] == {"configured": False}


def test_views_behind_warn_and_say_to_start_the_worker(tmp_path: Path, tool) -> None:
    run = tool(f"sqlite:///{tmp_path}/events.db")
    _healthy(run)
    cases = ok_json(run("list", "--json"))["items"]
    ok_json(run("note", cases[0]["invoice_number"], "called, no answer", "--json"))
    code, found = _doctor(run)
    projection = _by_name(found)["projection"]
    assert code == DOCTOR_WARNS
    assert projection["status"] == "warn" and projection["details"]["lag"] == 1
    assert "views are behind: 1 event" in projection["summary"]
    assert "arrears project" in projection["advice"]


def test_a_stuck_projection_fails_naming_the_event(tmp_path: Path, tool) -> None:
    url = f"sqlite:///{tmp_path}/events.db"
    run = tool(url)
    _healthy(run)
    service = CaseService(url)
    try:
        case_id = plant_huge_case(service, service.clock.today())
    finally:
        service.close()
    assert run("projections", "rebuild").exit_code != 0
    code, found = _doctor(run)
    projection = _by_name(found)["projection"]
    assert code == DOCTOR_FAILS
    assert projection["status"] == "fail"
    assert f"of case {case_id}" in projection["summary"]
    assert projection["details"]["fault"]["case_id"] == str(case_id)


def test_a_store_where_the_schedule_never_ran_warns(tmp_path: Path, tool) -> None:
    run = tool(f"sqlite:///{tmp_path}/events.db")
    ok_json(run("demo", "--json"))
    assert run("projections", "rebuild").exit_code == 0
    code, found = _doctor(run)
    assert code == DOCTOR_WARNS
    assert _by_name(found)["schedule"]["status"] == "warn"
    assert "arrears schedule run" in _by_name(found)["schedule"]["advice"]


def test_postgresql_that_does_not_answer_fails_within_seconds(tool) -> None:
    run = tool(f"postgresql://arrears@127.0.0.1:{free_port()}/arrears")
    started = time.monotonic()
    code, found = _doctor(run)
    assert time.monotonic() - started < 10
    assert code == DOCTOR_FAILS
    checks = _by_name(found)
    assert checks["database"]["status"] == "fail"
    assert "does not answer" in checks["database"]["summary"]
    assert "ARREARS_DATABASE_URL" in checks["database"]["advice"]
    assert checks["events"]["summary"] == "not checked: the database does not answer"
    assert checks["disk"]["status"] == "ok"


def test_a_missing_sqlite_file_fails_and_is_not_created(tmp_path: Path, tool) -> None:
    path = tmp_path / "nowhere" / "events.db"
    code, found = _doctor(tool(f"sqlite:///{path}"))
    assert code == DOCTOR_FAILS
    assert f"no database file at {path}" in _by_name(found)["database"]["summary"]
    assert not path.parent.exists()


@pytest.fixture
def smtp_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARREARS_SMTP_TLS", "none")
    monkeypatch.setenv("ARREARS_MAIL_FROM", "accounts@creditor.example")


def test_smtp_that_answers_is_ok(tmp_path: Path, tool, smtp_env,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    controller = start(Sink())
    try:
        monkeypatch.setenv("ARREARS_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("ARREARS_SMTP_PORT", str(controller.port))
        run = tool(f"sqlite:///{tmp_path}/events.db")
        _healthy(run)
        code, found = _doctor(run)
    finally:
        controller.stop()
    smtp = _by_name(found)["smtp"]
    assert smtp["status"] == "ok", smtp
    assert smtp["details"] == {"configured": True, "server": f"127.0.0.1:{controller.port}"}
    assert code == 0


def test_smtp_that_does_not_answer_fails(tmp_path: Path, tool, smtp_env,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARREARS_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("ARREARS_SMTP_PORT", str(free_port()))
    code, found = _doctor(tool(f"sqlite:///{tmp_path}/events.db"))
    smtp = _by_name(found)["smtp"]
    assert code == DOCTOR_FAILS
    assert smtp["status"] == "fail" and "connection refused" in smtp["summary"]
    assert "ARREARS_SMTP_HOST" in smtp["advice"]
