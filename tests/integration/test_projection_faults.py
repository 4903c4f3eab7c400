"""No event can wedge the read side: the projector stops AT an event it cannot apply, with
everything before it projected and committed, records the fault, and keeps serving.

Poison events are planted straight in the store (tests/poison.py), on SQLite and PostgreSQL.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any
from uuid import UUID

import psycopg
import pytest
from sqlalchemy import exc as sql
from sqlalchemy import select

from application.bootstrap import Arrears, build
from application.clock import FixedClock
from application.readmodels import rows
from application.readmodels.follower import Follower
from application.readmodels.status import behind
from application.readmodels.tables import audit_trail
from domain.events import NoteAdded
from domain.money import Money
from domain.values import Debtor
from tests.commands import execute
from tests.commands import open_case as open_invoice
from tests.integration.test_projections import snapshot
from tests.poison import plant_huge_case, plant_nul_note

TODAY = date(2026, 1, 1)
POSTGRES_ONLY = pytest.mark.parametrize(
    "database_url", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock.on(TODAY)


@pytest.fixture
def make_app(database_url: str, clock: FixedClock) -> Iterator[Callable[..., Arrears]]:
    made: list[Arrears] = []

    def make(page_size: int = 1000) -> Arrears:
        app = build(database_url, clock=clock)
        app.projector.page_size = page_size
        made.append(app)
        return app

    yield make
    for app in made:
        app.close()


def open_case(app: Arrears, number: str, notes: int = 0) -> UUID:
    case_id = open_invoice(
        app.service, actor="alice", occurred_on=TODAY, creditor="Fault Tests Ltd",
        invoice_number=number,
        debtor=Debtor(f"Debtor of {number}"), amount=Money.of("100", "EUR"), issue_date=TODAY,
        due_date=TODAY)
    for n in range(notes):
        execute(app.service, case_id, "add_note", actor="alice", text=f"note {n}")
    return case_id


def positions(app: Arrears) -> list[int]:
    with app.projector.engine.connect() as conn:
        return sorted(conn.execute(select(audit_trail.c.position)).scalars())


def head(app: Arrears) -> int:
    return app.service.recorder.max_notification_id() or 0


def poisoned(app: Arrears) -> tuple[int, UUID]:
    """Nine good events, the poison at 10, two good events after it: (poison position, id)."""
    open_case(app, "GOOD-1", notes=4)
    open_case(app, "GOOD-2", notes=3)
    case_id = plant_huge_case(app.service, TODAY)
    open_case(app, "GOOD-3", notes=1)
    return 10, case_id


@pytest.mark.parametrize("page_size", [1000, 4, 1])
class TestAnEventTheProjectorCannotApply:
    def test_stops_the_projector_at_it_with_everything_before_it_committed(
            self, make_app, page_size):
        app = make_app(page_size)
        stuck, case_id = poisoned(app)
        assert app.projector.catch_up() == stuck - 1
        assert positions(app) == list(range(1, stuck))
        status = app.projector.status()
        assert (status.position, status.head, status.lag) == (stuck - 1, 12, 3)
        fault = status.fault
        assert fault is not None
        assert (fault.position, fault.case_id, fault.version, fault.event_type) == (
            stuck, str(case_id), 1, "CaseOpened")
        assert "out of range" in fault.error or "too large" in fault.error
        assert {r["invoice_number"] for r in app.views.list_cases().rows} == {"GOOD-1", "GOOD-2"}

    def test_later_catch_ups_retry_it_without_raising_and_return_at_once(
            self, make_app, page_size):
        app = make_app(page_size)
        stuck, _ = poisoned(app)
        app.projector.catch_up()
        open_case(app, "LATER-1", notes=2)
        started = time.monotonic()
        for _ in range(3):
            assert app.projector.catch_up() == 0
        assert time.monotonic() - started < 5
        status = app.projector.status()
        assert (status.position, status.lag, status.fault.position) == (stuck - 1, 6, stuck)


class TestTheStuckEvent:
    def test_is_retried_alone_by_a_later_catch_up(self, make_app, monkeypatch):
        app = make_app()
        poisoned(app)
        app.projector.catch_up()
        seen: list[int] = []
        real = rows.audit_row

        def counting(position: int, *args: Any) -> dict[str, Any]:
            seen.append(position)
            return real(position, *args)

        monkeypatch.setattr(rows, "audit_row", counting)
        app.projector.catch_up()
        assert seen == [10]

    def test_applies_once_the_fault_is_fixed_and_the_fault_is_cleared(
            self, make_app, monkeypatch):
        app = make_app(page_size=4)
        open_case(app, "GOOD-1", notes=2)
        case_id = open_case(app, "BAD-1", notes=2)
        open_case(app, "GOOD-2", notes=2)
        real = rows.timeline_row

        def bug(event: Any, *more: Any) -> dict[str, Any]:
            if event.originator_id == case_id and event.originator_version == 2:
                raise ValueError("a bug in the projection")
            return real(event, *more)

        monkeypatch.setattr(rows, "timeline_row", bug)
        assert app.projector.catch_up() == 4
        fault = app.projector.status().fault
        assert (fault.position, fault.event_type, fault.version) == (5, "NoteAdded", 2)
        assert fault.error == "ValueError: a bug in the projection"

        monkeypatch.setattr(rows, "timeline_row", real)  # the code fix
        assert app.projector.catch_up() == 5
        status = app.projector.status()
        assert (status.lag, status.fault) == (0, None)
        live = snapshot(app)
        app.projector.rebuild()
        assert snapshot(app) == live

    def test_a_rebuild_keeps_everything_before_it(self, make_app):
        app = make_app(page_size=3)
        stuck, _ = poisoned(app)
        app.projector.catch_up()
        before = snapshot(app)
        assert app.projector.rebuild() == stuck - 1
        assert snapshot(app) == before
        assert positions(app) == list(range(1, stuck))
        assert app.projector.status().fault.position == stuck

    def test_stops_two_racing_projectors_without_an_error(self, database_url, clock, make_app):
        writer = make_app()
        stuck, _ = poisoned(writer)
        errors: list[BaseException] = []

        def run(app: Arrears) -> None:
            try:
                app.projector.catch_up()
            except BaseException as error:  # surfaced by the assertion below
                errors.append(error)

        threads = [threading.Thread(target=run, args=(make_app(3),)) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert errors == []
        assert positions(writer) == list(range(1, stuck))
        assert writer.projector.status().fault.position == stuck

    def test_the_follower_logs_it_once_and_no_traceback(self, make_app, caplog):
        app = make_app()
        poisoned(app)
        caplog.set_level(logging.DEBUG, logger="application.readmodels")
        follower = Follower(app.projector, interval=0.01).start()
        try:
            time.sleep(0.5)
        finally:
            follower.stop()
        warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
        assert len(warnings) == 1, [r.getMessage() for r in warnings]
        assert "event #10" in warnings[0].getMessage()
        assert all(r.exc_info is None for r in caplog.records)


@POSTGRES_ONLY
class TestANoteWithANulOnPostgres:
    def test_stops_the_projector_at_the_note_and_a_rebuild_keeps_everything_before_it(
            self, make_app):
        app = make_app()
        case_id = open_case(app, "GOOD-1", notes=2)
        version = plant_nul_note(app.service, case_id, TODAY)
        open_case(app, "GOOD-2", notes=1)
        assert app.projector.catch_up() == 3
        fault = app.projector.status().fault
        assert (fault.position, fault.case_id, fault.version, fault.event_type) == (
            4, str(case_id), version, NoteAdded.__name__)
        assert "NUL" in fault.error
        app.projector.rebuild()
        assert positions(app) == [1, 2, 3]
        assert app.views.case(str(case_id))["version"] == 3


class TestBehind:
    @pytest.mark.parametrize(("lag", "text"), [(1, "views are behind: 1 event"),
                                               (2, "views are behind: 2 events")])
    def test_says_how_many_events_with_the_plural_right(self, lag, text):
        assert behind(lag) == text


class TestAFailureOfTheDatabaseItself:
    @pytest.mark.parametrize("error", [
        OSError("disk unplugged"),
        sql.OperationalError("INSERT", {}, psycopg.OperationalError("connection lost"))])
    def test_is_raised_with_nothing_of_the_page_kept_and_no_fault_recorded(
            self, make_app, monkeypatch, error):
        app = make_app()
        open_case(app, "GOOD-1", notes=2)

        def failing(event: Any, *more: Any) -> dict[str, Any]:
            raise error

        monkeypatch.setattr(rows, "timeline_row", failing)
        with pytest.raises(type(error)):
            app.projector.catch_up()
        status = app.projector.status()
        assert (status.position, status.fault) == (0, None)

    def test_but_data_too_big_for_postgres_is_the_events_fault(self, make_app, monkeypatch):
        app = make_app()
        open_case(app, "GOOD-1", notes=2)
        too_big = sql.OperationalError(
            "INSERT", {}, psycopg.errors.ProgramLimitExceeded("index row size 3000 exceeds"))
        real = rows.timeline_row

        def failing(event: Any, *more: Any) -> dict[str, Any]:
            if event.originator_version == 2:
                raise too_big
            return real(event, *more)

        monkeypatch.setattr(rows, "timeline_row", failing)
        assert app.projector.catch_up() == 1
        fault = app.projector.status().fault
        assert (fault.position, fault.error) == (
            2, "ProgramLimitExceeded: index row size 3000 exceeds")


class _Failing:
    """A projector whose database is down: every catch-up raises the same error."""

    def __init__(self) -> None:
        self.calls = 0

    def catch_up(self) -> int:
        self.calls += 1
        if self.calls > 20:
            return 0
        raise sql.OperationalError("SELECT", {}, psycopg.OperationalError("server gone"))


class TestTheFollower:
    def test_logs_a_failing_database_once_with_its_traceback_and_again_when_it_recovers(
            self, caplog):
        caplog.set_level(logging.INFO, logger="application.readmodels")
        projector = _Failing()
        follower = Follower(projector, interval=0.001).start()  # type: ignore[arg-type]
        try:
            deadline = time.monotonic() + 5
            while projector.calls <= 21 and time.monotonic() < deadline:
                time.sleep(0.01)
        finally:
            follower.stop()
        assert projector.calls > 21
        tracebacks = [r for r in caplog.records if r.exc_info]
        assert len(tracebacks) == 1
        assert [r.getMessage() for r in caplog.records][-1] == "projection catch-up works again"
