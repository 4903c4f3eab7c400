"""A rebuild by worker processes, case by case (ADR 50), leaves the rows a rebuild applying the
log in order leaves: on a worked book, at an event it cannot apply, with a projector moving
the position meanwhile, and killed midway. On PostgreSQL it applies the log in order.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update

from application.bootstrap import Arrears, build
from application.clock import FixedClock
from application.demo import load_demo
from application.readmodels import parallel
from application.readmodels.database import readmodel_url
from application.readmodels.flush import add_debtors
from application.readmodels.tables import case_summary
from bench import dataset
from domain.money import Money
from domain.values import Debtor
from tests.commands import execute, open_case
from tests.integration.test_projections import snapshot
from tests.poison import plant_huge_case

TODAY = date(2026, 1, 1)
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def make_app(database_url: str) -> Iterator[Callable[[], Arrears]]:
    made: list[Arrears] = []

    def make() -> Arrears:
        made.append(build(database_url, clock=FixedClock.on(TODAY)))
        return made[-1]

    yield make
    for app in made:
        app.close()


def one_debtor_many_details(app: Arrears, cases: int = 12) -> None:
    """Cases of one debtor (one tax id) whose other details change from case to case: the
    debtor's row is its latest opening's, whatever order the cases' ids are in."""
    for n in range(cases):
        case_id = open_case(app.service, occurred_on=TODAY, invoice_number=f"SAME-{n}",
                            debtor=Debtor(f"Same Debtor {n} Ltd", address=f"{n} High Street",
                                          tax_id="GB123456789"),
                            amount=Money.of(100 + n, "EUR"), issue_date=TODAY, due_date=TODAY)
        execute(app.service, case_id, "add_note", actor="ann", text=f"note {n}")


def worked_book(app: Arrears) -> int:
    load_demo(app.service, TODAY)
    dataset.generate_interleaved(app.service, 120, events_per_case=6, seed=4, active=30,
                                 batch=40)
    one_debtor_many_details(app)
    return app.service.recorder.max_notification_id()


def in_order(app: Arrears) -> dict[str, list[Any]]:
    app.projector.rebuild(jobs=1)
    assert app.projector.built is None
    return snapshot(app)


def scratch_folders(app: Arrears) -> list[Path]:
    root = parallel.scratch_root(app.projector.engine, app.service.url)
    return [] if root is None else sorted(root.glob(f"{parallel.STALE_PREFIX}*"))


class TestARebuildByWorkers:
    def test_leaves_the_rows_of_the_log_applied_in_order(self, make_app, database_url):
        app = make_app()
        head = worked_book(app)
        expected = in_order(app)
        assert app.projector.rebuild(jobs=2) == head
        assert snapshot(app) == expected
        assert app.projector.status().position == head
        if database_url.startswith("sqlite"):
            assert app.projector.built is not None
            assert app.projector.built.applied == head
        else:  # PostgreSQL's read models are not files to attach: applied in order
            assert app.projector.built is None

    def test_keeps_each_debtor_of_its_latest_opening(self, make_app):
        app = make_app()
        one_debtor_many_details(app, cases=30)
        expected = in_order(app)
        app.projector.rebuild(jobs=3)
        assert snapshot(app)["rm_debtor"] == expected["rm_debtor"]
        [row] = expected["rm_debtor"]
        assert "Same Debtor 29 Ltd" in row and "29 High Street" in row and 30 in row

    def test_then_applies_the_events_stored_since_and_removes_its_scratch_files(
            self, make_app):
        app = make_app()
        worked_book(app)
        app.projector.rebuild(jobs=2)
        case_id = open_case(app.service, occurred_on=TODAY, invoice_number="LATER-1",
                            debtor=Debtor("Later Ltd"), amount=Money.of(5, "EUR"),
                            issue_date=TODAY, due_date=TODAY)
        assert app.projector.catch_up() == 1
        assert str(case_id) in {r[0] for r in snapshot(app)["rm_case_summary"]}
        assert scratch_folders(app) == []


class TestAnEventNoWorkerCanApply:
    def test_stops_the_rebuild_at_it_as_the_log_applied_in_order_does(self, make_app):
        app = make_app()
        worked_book(app)
        poison = plant_huge_case(app.service, TODAY)
        open_case(app.service, occurred_on=TODAY, invoice_number="AFTER-1",
                  debtor=Debtor("After Ltd"), amount=Money.of(5, "EUR"),
                  issue_date=TODAY, due_date=TODAY)
        expected, expected_status = in_order(app), app.projector.status()
        assert expected_status.fault is not None

        applied = app.projector.rebuild(jobs=2)
        status = app.projector.status()
        assert applied == expected_status.position
        assert snapshot(app) == expected
        assert status.fault is not None and status.fault.case_id == str(poison)
        assert scratch_folders(app) == []


class TestWorkersThatCannotStart:
    def test_leave_the_read_models_emptied_and_the_log_applied_in_order(
            self, make_app, monkeypatch):
        app = make_app()
        worked_book(app)
        expected = in_order(app)
        with app.projector.engine.begin() as conn:  # rows only emptying makes right again
            conn.execute(update(case_summary).values(creditor="stale"))

        def no_room(*args: Any, **kwargs: Any) -> Any:
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(parallel, "build", no_room)
        app.projector.rebuild(jobs=2)
        assert app.projector.built is None
        assert snapshot(app) == expected


class TestAProjectorMovingThePositionMeanwhile:
    def test_leaves_the_workers_rows_unused_and_the_log_applied_once(
            self, make_app, monkeypatch):
        app, other = make_app(), make_app()
        worked_book(app)
        expected = in_order(app)
        real_build = parallel.build

        def build_while_another_catches_up(*args: Any, **kwargs: Any) -> Any:
            made = real_build(*args, **kwargs)
            other.projector.catch_up()  # the emptied read models, from position 0
            return made

        monkeypatch.setattr(parallel, "build", build_while_another_catches_up)
        app.projector.rebuild(jobs=2)
        assert app.projector.built is None
        assert snapshot(app) == expected


def sqlite_only(database_url: str) -> None:
    if not database_url.startswith("sqlite"):
        pytest.skip("workers rebuild SQLite read models only: nothing to see on PostgreSQL")


class TestScratchFolders:
    def test_of_a_process_gone_are_removed_and_of_one_running_kept(self, make_app,
                                                                   database_url):
        sqlite_only(database_url)
        app = make_app()
        worked_book(app)
        root = parallel.scratch_root(app.projector.engine, app.service.url)
        assert root is not None
        gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                              capture_output=True, text=True, check=True).stdout.strip()
        stale = root / f"{parallel.STALE_PREFIX}{gone}-abc"
        running = root / f"{parallel.STALE_PREFIX}{os.getppid()}-def"
        for folder in (stale, running):
            folder.mkdir()
            (folder / "1.db").write_bytes(b"scratch")
        app.projector.rebuild(jobs=2)
        assert scratch_folders(app) == [running]


class TestARebuildKilled:
    def test_loses_and_doubles_nothing(self, make_app, database_url):
        sqlite_only(database_url)
        writer = make_app()
        events = dataset.generate(writer.service, cases=600, events_per_case=8, seed=5)
        env = {**os.environ, "ARREARS_DATABASE_URL": database_url,
               "ARREARS_READMODEL_URL": readmodel_url(database_url),
               "ARREARS_TODAY": TODAY.isoformat()}
        kills = 0
        for delay in (0.4, 0.8, 1.2, 1.6, 2.0):
            process = subprocess.Popen(
                [sys.executable, "-m", "cli.main", "projections", "rebuild", "--jobs", "2"],
                cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                start_new_session=True)
            time.sleep(delay)
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)  # the workers and their server too
                kills += 1
            process.wait(30)
        finished = make_app()
        finished.projector.catch_up()
        assert finished.projector.status().position == events
        survived = snapshot(finished)
        assert len(survived["rm_audit_trail"]) == events
        assert survived == in_order(finished)
        finished.projector.rebuild(jobs=2)
        assert snapshot(finished) == survived
        assert scratch_folders(finished) == []
        assert kills >= 1, "the rebuild finished before it could be killed; use more events"


class TestDebtorsCountedApart:
    def test_add_up_with_the_row_of_the_latest_opening_in_any_order(self):
        first, second = {"name": "first"}, {"name": "second"}
        forward: parallel.Debtors = {}
        add_debtors(forward, {"k": (first, 2, 10)})
        add_debtors(forward, {"k": (second, 3, 20)})
        backward: parallel.Debtors = {}
        add_debtors(backward, {"k": (second, 3, 20)})
        add_debtors(backward, {"k": (first, 2, 10)})
        assert forward == backward == {"k": (second, 5, 20)}
