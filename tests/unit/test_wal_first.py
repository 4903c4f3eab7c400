"""A new SQLite store is put in WAL mode once, before the library's connections open it:
processes starting together on a new file deadlocked on it ("database is locked")."""

from __future__ import annotations

import sqlite3
import threading
import time
from contextlib import closing

from application.connections import wal_first


def journal_mode(path) -> str:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute("PRAGMA journal_mode").fetchone()[0]


def test_a_new_file_is_in_wal_mode(tmp_path):
    path = tmp_path / "events.db"
    wal_first(str(path), 5)
    assert journal_mode(path) == "wal"


def test_it_waits_for_another_process_holding_the_new_file(tmp_path):
    path = tmp_path / "events.db"
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN EXCLUSIVE")
    threading.Timer(0.3, lambda: (holder.execute("COMMIT"), holder.close())).start()
    started = time.monotonic()
    wal_first(str(path), 5)
    assert time.monotonic() - started >= 0.25
    assert journal_mode(path) == "wal"


def test_a_store_with_data_is_left_as_it_is(tmp_path):
    path = tmp_path / "events.db"
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("CREATE TABLE t (x)")
        conn.commit()
    wal_first(str(path), 5)
    assert journal_mode(path) == "delete"


def test_a_folder_it_cannot_write_is_left_to_the_library(tmp_path):
    wal_first(str(tmp_path / "missing" / "events.db"), 0.1)  # no error raised here
    assert not (tmp_path / "missing").exists()
