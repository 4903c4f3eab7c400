"""The read models built live equal the read models rebuilt from scratch, and no crash or
race loses or double-applies an event (SQLite and PostgreSQL, via the `database_url` fixture).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select

from application.bootstrap import Arrears, build
from application.clock import FixedClock
from application.demo import load_demo
from application.readmodels import rows
from application.readmodels.database import readmodel_url
from application.readmodels.follower import Follower
from application.readmodels.tables import READ_MODELS, audit_trail, case_state, case_summary
from application.users.directory import DIRECTORY_ID
from bench import dataset
from domain.money import Money
from domain.values import Debtor
from tests.commands import execute, open_case

TODAY = date(2026, 1, 1)
ROOT = Path(__file__).resolve().parents[2]


def snapshot(arrears: Arrears) -> dict[str, list[Any]]:
    """Every read-model row, by table, in key order. For rm_case_state, whose rows may be
    behind their cases (ADR 44): each summarised case as the projector would read it back,
    at its summary's version."""
    engine: Engine = arrears.projector.engine
    tables: dict[str, list[Any]] = {}
    with engine.connect() as conn:
        for table in READ_MODELS:
            found = conn.execute(select(table).order_by(*table.primary_key.columns)).all()
            tables[table.name] = [tuple(r) for r in found]
        versions = dict(conn.execute(select(case_summary.c.case_id, case_summary.c.version)
                                     .order_by(case_summary.c.case_id)).all())
    states = {r[0]: r for r in tables.pop(case_state.name)}
    tables["cases read back"] = [_read_back(arrears, case_id, states.get(case_id), version)
                                 for case_id, version in versions.items()]
    return tables


def _read_back(arrears: Arrears, case_id: str, row: Any, version: int) -> dict[str, Any]:
    """The case at `version` as the projector picks it up: its state row and later events."""
    states = arrears.projector.states
    stored = states.case(*row) if row is not None else None
    return vars(states.up_to(case_id, stored, version))


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock.on(TODAY)


@pytest.fixture
def build_app() -> Iterator[Callable[..., Arrears]]:
    """Build service + projector + views on the test's database; all closed afterwards."""
    made: list[Arrears] = []

    def make(database_url: str, clock: FixedClock, page_size: int = 1000) -> Arrears:
        app = build(database_url, clock=clock)
        app.projector.page_size = page_size
        made.append(app)
        return app

    yield make
    for app in made:
        app.close()


class TestReadModelsBuiltLive:
    def test_equal_the_read_models_rebuilt_from_scratch(self, database_url, clock, build_app):
        app = build_app(database_url, clock, page_size=7)
        follower = Follower(app.projector, interval=0.01).start()
        try:
            assert load_demo(app.service, TODAY) > 15
        finally:
            follower.stop()
        app.projector.catch_up()
        live = snapshot(app)
        users = len(app.service.recorder.select_events(DIRECTORY_ID))  # the demo's users
        assert len(live["rm_audit_trail"]) == app.service.recorder.max_notification_id() - users

        app.projector.rebuild()
        assert snapshot(app) == live

    def test_catch_up_after_each_command_gives_the_same_rows_as_one_catch_up(
            self, database_url, clock, build_app):
        stepwise = build_app(database_url, clock, page_size=3)
        case_id = open_case(stepwise.service, **dataset_invoice(clock))
        for amount in ("10", "20", "30"):
            execute(stepwise.service, case_id, "add_note", actor="alice", text=f"called {amount}")
            stepwise.projector.catch_up()
        live = snapshot(stepwise)
        stepwise.projector.rebuild()
        assert snapshot(stepwise) == live


def dataset_invoice(clock: FixedClock) -> dict[str, Any]:
    """The fields of `CaseService.open_case` for one more invoice."""
    return {"actor": "alice", "occurred_on": TODAY, "creditor": "Projection Tests Ltd",
            "invoice_number": "PT-1", "debtor": Debtor("Slow Payer Ltd"),
            "amount": Money.of("500", "EUR"), "issue_date": TODAY, "due_date": TODAY}


class TestACrashInTheMiddleOfAPage:
    def test_leaves_rows_and_position_as_they_were_and_the_next_run_completes(
            self, database_url, clock, monkeypatch, build_app):
        app = build_app(database_url, clock, page_size=50)
        load_demo(app.service, TODAY)
        app.projector.catch_up()
        before, position = snapshot(app), app.projector.status().position
        case_id = open_case(app.service, **dataset_invoice(clock))
        for n in range(5):
            execute(app.service, case_id, "add_note", actor="alice", text=f"note {n}")

        calls = {"n": 0}
        real = rows.timeline_row

        def failing(event: Any, *more: Any) -> dict[str, Any]:
            calls["n"] += 1
            if calls["n"] == 4:
                raise OSError("disk unplugged")
            return real(event, *more)

        monkeypatch.setattr(rows, "timeline_row", failing)
        with pytest.raises(OSError):
            app.projector.catch_up()
        assert app.projector.status().position == position
        assert snapshot(app) == before

        monkeypatch.setattr(rows, "timeline_row", real)
        assert app.projector.catch_up() == 6
        caught_up = snapshot(app)
        app.projector.rebuild()
        assert snapshot(app) == caught_up


class TestTwoProjectorsRacing:
    def test_apply_every_event_exactly_once(self, database_url, clock, build_app):
        writer = build_app(database_url, clock)
        dataset.generate(writer.service, cases=60, events_per_case=6, seed=3, batch=20)
        first, second = build_app(database_url, clock, 25), build_app(database_url, clock, 25)
        errors: list[BaseException] = []

        def run(app: Arrears) -> None:
            try:
                app.projector.catch_up()
            except BaseException as error:  # surfaced by the assertion below
                errors.append(error)

        threads = [threading.Thread(target=run, args=(a,)) for a in (first, second)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert errors == []
        head = writer.service.recorder.max_notification_id()
        with first.projector.engine.connect() as conn:
            positions = list(conn.execute(select(audit_trail.c.position)).scalars())
        assert sorted(positions) == list(range(1, head + 1))
        raced = snapshot(first)
        first.projector.rebuild()
        assert snapshot(first) == raced


class TestAProjectorProcessKilled:
    def test_loses_and_doubles_nothing(self, database_url, clock, build_app):
        writer = build_app(database_url, clock)
        events = dataset.generate(writer.service, cases=400, events_per_case=8, seed=5)
        env = {**os.environ, "ARREARS_DATABASE_URL": database_url,
               "ARREARS_READMODEL_URL": readmodel_url(database_url),
               "ARREARS_TODAY": TODAY.isoformat()}
        kills = 0
        for delay in (0.3, 0.5, 0.7, 0.9, 1.1, 1.3):
            process = subprocess.Popen([sys.executable, "-m", "cli.main", "project", "--once"],
                                       cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                                       stderr=subprocess.DEVNULL)
            time.sleep(delay)
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
                kills += 1
            process.wait(30)
        finished = build_app(database_url, clock)
        finished.projector.catch_up()
        assert finished.projector.status().position == events
        survived = snapshot(finished)
        assert len(survived["rm_audit_trail"]) == events
        finished.projector.rebuild()
        assert snapshot(finished) == survived
        assert kills >= 1, "the projector finished before it could be killed; use more events"


class TestAReadModelSchemaChange:
    def test_drops_the_read_models_and_rebuilds_them_from_the_events(
            self, database_url, clock, build_app):
        from sqlalchemy import update

        from application.readmodels.tables import schema_version

        first = build_app(database_url, clock)
        load_demo(first.service, TODAY)
        first.projector.catch_up()
        before = snapshot(first)
        with first.projector.engine.begin() as conn:
            conn.execute(update(schema_version).values(version=0))  # as an older release left it

        second = build_app(database_url, clock)
        assert second.projector.status().position == 0
        assert second.projector.catch_up() == second.service.recorder.max_notification_id()
        assert snapshot(second) == before
