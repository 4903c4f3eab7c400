"""PostgreSQL going away mid-run (issue 15, "What was seen"): reads and writes answer
within the timeouts instead of hanging, a write cut off is not committed later, a retry
under the same idempotency key stores the command once, and everything recovers by itself.

The database is taken away by a proxy (tests/faults/proxy.py): `down` closes every
connection (the server stopped), `blackhole` holds them without an answer.
"""

from __future__ import annotations

import time
from datetime import date

import pytest

from application.availability import unavailable
from application.clock import FixedClock
from application.service import CaseService
from domain.money import Money
from domain.values import Debtor
from tests.commands import command, open_case

POSTGRES_ONLY = pytest.mark.parametrize(
    "database_url", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True)
TODAY = date(2026, 1, 1)
# ARREARS_DB_CONNECT_TIMEOUT + ARREARS_DB_STATEMENT_TIMEOUT (conftest) and some slack.
DEADLINE = 2 + 3 + 3


def opened(service: CaseService, number: str = "INV-1") -> object:
    return open_case(service, actor="ann", occurred_on=TODAY, invoice_number=number,
                     debtor=Debtor("Away Ltd"), amount=Money.of("100", "EUR"),
                     issue_date=TODAY, due_date=TODAY)


def note(case_id: object, text: str) -> object:
    return command(case_id, "add_note", text=text)


def fails_in_time(call) -> tuple[str, float]:
    """Run `call`, which must fail as the database being unavailable; why, and how long."""
    started = time.monotonic()
    with pytest.raises(Exception) as raised:
        call()
    took = time.monotonic() - started
    away = unavailable(raised.value)
    assert away is not None, raised.value
    return away.reason, took


def recovered(call, within: float = 15.0):
    """Call until it answers (the service recovers by itself); its answer."""
    deadline = time.monotonic() + within
    while True:
        try:
            return call()
        except Exception as error:
            away = isinstance(error, ConnectionError) or unavailable(error) is not None
            if not away or time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@POSTGRES_ONLY
class TestPostgresGoingAway:
    def test_reads_and_writes_fail_in_time_while_it_is_down_and_recover(
            self, short_timeouts, proxied, clock: FixedClock):
        proxy, url = proxied
        service = CaseService(url, clock=clock)
        try:
            case_id = opened(service)
            proxy.down()
            reason, took = fails_in_time(lambda: service.handle(note(case_id, "while down")))
            assert took < DEADLINE and reason
            _, took = fails_in_time(lambda: service.history(case_id))
            assert took < DEADLINE
            proxy.up()
            recovered(lambda: service.handle(note(case_id, "back")))
            notes = [e["summary"] for e in service.history(case_id)]
            assert any("back" in n for n in notes) and not any("while down" in n for n in notes)
        finally:
            service.close()

    def test_a_write_held_without_answer_is_cut_off_and_not_committed_later(
            self, short_timeouts, proxied, clock: FixedClock):
        proxy, url = proxied
        service = CaseService(url, clock=clock)
        try:
            case_id = opened(service)
            before = len(service.history(case_id))
            proxy.blackhole()
            _, took = fails_in_time(lambda: service.handle(note(case_id, "held"),
                                                           idempotency_key="retry-me-0001"))
            assert took < 2 * DEADLINE
            proxy.up()
            time.sleep(1.5)  # anything the server would still commit, it has by now
            recovered(lambda: service.history(case_id))
            assert len(service.history(case_id)) == before  # not committed behind our back
            first = recovered(lambda: service.handle(note(case_id, "held"),
                                                     idempotency_key="retry-me-0001"))
            again = service.handle(note(case_id, "held"), idempotency_key="retry-me-0001")
            assert again.repeated and again.version == first.version
            assert len(service.history(case_id)) == before + 1  # answered, not doubled
        finally:
            service.close()


@POSTGRES_ONLY
class TestTheWebAppWhileItIsAway:
    def test_503_with_why_and_back_by_itself(self, short_timeouts, proxied, clock):
        from web import create_app

        proxy, url = proxied
        app = create_app({"DATABASE_URL": url, "TESTING": True, "FOLLOW": False,
                          "CLOCK": clock})
        try:
            client = app.test_client()
            assert client.get("/healthz").status_code == 200
            proxy.down()
            health = client.get("/healthz")
            assert health.status_code == 503 and health.json["status"] == "unavailable"
            assert health.json["error"]
            _answers_503(app)
            proxy.up()
            assert recovered(lambda: _ok(client.get("/healthz"))) == 200
        finally:
            app.extensions["arrears"].close()


def _ok(response) -> int:
    if response.status_code == 503:
        raise ConnectionError(response.json)
    return response.status_code


def _answers_503(app) -> None:
    """What the app answers for a database error raised in a view: JSON under /api/, else
    a plain page, both 503 with Retry-After."""
    from eventsourcing.persistence import OperationalError

    from web.database_away import answer

    error = OperationalError("cannot connect to PostgreSQL at 127.0.0.1:1: refused")
    with app.test_request_context("/api/v1/cases"):
        api = answer(error)
    assert api.status_code == 503 and api.json == {"errors": {"database": [str(error)]}}
    with app.test_request_context("/cases/x", method="POST"):
        page = answer(error)
    assert page.status_code == 503 and page.headers["Retry-After"]
    text = page.get_data(as_text=True)
    assert "503 Database unavailable" in text and "cannot connect to PostgreSQL" in text
    assert "<script" not in text and "base.html" not in text
