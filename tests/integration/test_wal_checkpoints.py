"""The read models' SQLite log is checkpointed in a thread of the projector's process, not
in the projector's commits (application/readmodels/checkpoint.py, ADR 46)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from application.bootstrap import Arrears, build
from application.clock import FixedClock
from application.readmodels.checkpoint import SAFETY_PAGES, Checkpointer, NoCheckpointer
from application.readmodels.database import PAGE_CACHE_KIB
from bench import dataset


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Arrears]:
    made = build(f"sqlite:///{tmp_path}/events.db", clock=FixedClock.on(dataset.TODAY))
    yield made
    made.close()


def summaries_in_the_file_itself(app: Arrears) -> int:
    """The case summaries the database file holds, its log not read (`immutable`)."""
    file = app.projector.engine.url.database
    with closing(sqlite3.connect(f"file:{file}?immutable=1", uri=True)) as conn:
        return conn.execute("SELECT count(*) FROM rm_case_summary").fetchone()[0]


def test_the_projector_s_commits_leave_the_checkpoint_to_the_thread(app):
    with app.projector.engine.connect() as conn:
        pages = conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar()
    assert pages == SAFETY_PAGES
    assert isinstance(app.projector.checkpointer, Checkpointer)


def test_a_catch_up_s_rows_reach_the_database_file_once_the_thread_is_done(app):
    dataset.generate(app.service, 30, seed=1)
    assert app.projector.catch_up() > 0
    assert app.projector.checkpointer.wait()
    assert app.projector.checkpointer.done >= 1
    assert summaries_in_the_file_itself(app) == 30


def test_the_thread_stops_when_the_application_closes(tmp_path):
    app = build(f"sqlite:///{tmp_path}/events.db", clock=FixedClock.on(dataset.TODAY))
    dataset.generate(app.service, 2, seed=1)
    app.projector.catch_up()
    thread = app.projector.checkpointer._thread  # noqa: SLF001
    assert thread is not None and thread.is_alive()
    app.close()
    assert not thread.is_alive()


def test_a_database_without_a_log_of_its_own_gets_no_thread(database_url):
    if database_url.startswith("sqlite"):
        database_url = "sqlite://"  # in memory
    app = build(database_url, clock=FixedClock.on(dataset.TODAY))
    try:
        dataset.generate(app.service, 2, seed=1)
        assert app.projector.catch_up() > 0
        assert isinstance(app.projector.checkpointer, NoCheckpointer)
        assert app.projector.checkpointer._thread is None  # noqa: SLF001
    finally:
        app.close()


def test_every_read_model_connection_keeps_a_page_cache_of_its_own_size(app):
    """ADR 48: the projector's pages stay cached between catch-ups (SQLite's default is
    2,000 KiB); a negative cache_size is in KiB."""
    with app.projector.engine.connect() as first, app.projector.engine.connect() as second:
        sizes = [conn.exec_driver_sql("PRAGMA cache_size").scalar() for conn in (first, second)]
    assert sizes == [-PAGE_CACHE_KIB, -PAGE_CACHE_KIB]
    assert PAGE_CACHE_KIB > 2000


def test_emptying_the_read_models_does_not_write_their_freed_pages_again(app):
    """ADR 51: freed pages are not overwritten with zeros (Debian builds SQLite so): what a
    read model held is derived from the events, which are kept. Emptying the read models for
    a rebuild then writes a few pages to the log, not every page they held."""
    dataset.generate(app.service, 400, events_per_case=12, seed=2)
    assert app.projector.catch_up() > 4000
    app.projector.checkpointer.close()  # no checkpoint meanwhile: the log shows every write
    with app.projector.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        held = conn.exec_driver_sql("PRAGMA page_count").scalar()
        page = conn.exec_driver_sql("PRAGMA page_size").scalar()
    with app.projector._lock:  # noqa: SLF001
        app.projector._empty()  # noqa: SLF001
    log = Path(f"{app.projector.engine.url.database}-wal").stat().st_size
    assert held > 500
    assert log < 0.1 * held * page, (log // page, held)
