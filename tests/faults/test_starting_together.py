"""Processes starting at once on an empty database (issue 15, "Load and concurrency"):
each creates the event store's tables, types and functions and the read models' tables,
and none fails for having raced another. Seen before the fix: on PostgreSQL a concurrent
CREATE TYPE collided in pg_type ("duplicate key value violates unique constraint
pg_type_typname_nsp_index"); on SQLite one process dropped the read models another had
just made ("no such table: rm_tracking"). Afterwards the store holds what each wrote.

Processes started together rarely meet inside the few milliseconds of creation, so the
race is also run by threads released by one barrier (each with its own connections, as
a process has): that variant failed every time on PostgreSQL before the fix.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, urlsplit, urlunsplit

import psycopg
import pytest
from psycopg import sql

from application.bootstrap import build

ROOT = Path(__file__).resolve().parents[2]
PROCESSES, ROUNDS = 6, 3
THREADS, THREAD_ROUNDS = 8, 5
DAY = date(2026, 3, 1)
# Each process waits for the same moment, then builds Arrears on the empty database
# (the event store's tables and the read models'), opens its own case and catches up.
STARTER = """
import sys, time
from datetime import date
from application.bootstrap import build
from domain.money import Money
from domain.values import Debtor
from tests.commands import open_case
at, url, n = float(sys.argv[1]), sys.argv[2], sys.argv[3]
time.sleep(max(0.0, at - time.time()))
app = build(url)
try:
    open_case(app.service, invoice_number=f"T-{n}", debtor=Debtor("Together Ltd"),
              amount=Money.of("10", "EUR"), issue_date=date(2026, 1, 1),
              due_date=date(2026, 1, 2))
    app.projector.catch_up()
finally:
    app.close()
"""


@pytest.fixture
def fresh_store(database_url: str, tmp_path: Path) -> Iterator[Callable[[int], str]]:
    """An empty store per round: a new SQLite file, or a new schema beside the test's."""
    made: list[str] = []

    def fresh(round_: int) -> str:
        if database_url.startswith("sqlite"):
            return f"sqlite:///{tmp_path / f'round-{round_}' / 'events.db'}"
        parts = urlsplit(database_url)
        schema = f"{parse_qs(parts.query)['schema'][0]}_{round_}"
        with psycopg.connect(urlunsplit(parts._replace(query="")), autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
        made.append(schema)
        return urlunsplit(parts._replace(query=f"schema={schema}"))

    yield fresh
    if made:
        parts = urlsplit(database_url)
        with psycopg.connect(urlunsplit(parts._replace(query="")), autocommit=True) as conn:
            for schema in made:
                conn.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))


def start_together(url: str) -> list[tuple[int, str]]:
    """PROCESSES processes started on `url` at one moment; their exit codes and stderr."""
    at = time.time() + 3  # every interpreter is up and waiting by then
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    processes = [subprocess.Popen([sys.executable, "-c", STARTER, str(at), url, str(n)],
                                  cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE, text=True)
                 for n in range(PROCESSES)]
    return [(p.wait(180), p.communicate()[1]) for p in processes]


def why(stderr: str) -> str:
    """The error lines of a failed process's traceback."""
    lines = [line for line in stderr.splitlines() if "Error" in line or "error" in line]
    return " | ".join(lines[-3:]) or stderr[-500:]


def open_cases(url: str) -> int:
    app = build(url)
    try:
        app.projector.catch_up()
        return len(list(app.views.open_cases(DAY)))
    finally:
        app.close()


def test_processes_starting_at_once_on_an_empty_store_all_start(fresh_store, capsys):
    for round_ in range(ROUNDS):
        url = fresh_store(round_)
        outcomes = start_together(url)
        failed = [why(err) for code, err in outcomes if code != 0]
        assert not failed, f"round {round_}: {len(failed)} of {PROCESSES} failed: {failed}"
        assert open_cases(url) == PROCESSES
    with capsys.disabled():
        print(f"\nstarting together: {ROUNDS} rounds of {PROCESSES} processes on an empty "
              f"store, {ROUNDS * PROCESSES} started, none failed")


def build_together(url: str) -> list[str]:
    """THREADS builds of Arrears on `url` released at one moment; the errors they raised."""
    barrier, errors = threading.Barrier(THREADS), []

    def start() -> None:
        barrier.wait()
        try:
            app = build(url)
            try:
                app.projector.catch_up()
            finally:
                app.close()
        except Exception as error:  # noqa: BLE001 - every failure is the finding
            errors.append(f"{type(error).__name__}: {str(error).splitlines()[0][:200]}")

    threads = [threading.Thread(target=start) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return errors


def test_builds_released_at_once_on_an_empty_store_all_start(fresh_store):
    for round_ in range(THREAD_ROUNDS):
        url = fresh_store(round_)
        errors = build_together(url)
        assert not errors, f"round {round_}: {len(errors)} of {THREADS} failed: {errors}"
        assert open_cases(url) == 0
