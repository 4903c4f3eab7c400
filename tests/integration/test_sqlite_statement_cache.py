"""The store's SQLite connections keep their prepared statements (the library's asked for a
cache of one) and are otherwise the library's: WAL mode, rows by name, read-only files."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from application.connections import STATEMENTS, StatementCachingPool
from application.service import CaseService


def test_a_store_on_sqlite_uses_connections_that_keep_statements(tmp_path: Path):
    service = CaseService(f"sqlite:///{tmp_path}/events.db")
    try:
        pool = service.factory.datastore.pool
        assert isinstance(pool, StatementCachingPool) and STATEMENTS > 1
        conn = pool.get_connection()
        try:
            raw = conn._sqlite_conn
            assert isinstance(raw.execute("select 1 as one").fetchone(), sqlite3.Row)
            assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        finally:
            pool.put_connection(conn)
    finally:
        service.close()
