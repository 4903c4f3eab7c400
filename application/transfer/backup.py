"""`arrears backup`: a consistent copy of a live SQLite event store, by SQLite's backup API.

The copy is made in one step, inside one read transaction: it is the database as of that
moment, while other processes keep writing (in WAL mode a reader blocks no writer; copying
page by page instead would restart on every write and might never finish under load). It
is written beside the target under a temporary name, checked, and renamed when whole.
PostgreSQL has its own tools (pg_dump) and `arrears export`.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from urllib.parse import unquote, urlsplit


class NotSQLite(Exception):
    """The store is not a SQLite file (PostgreSQL, or in memory)."""


def sqlite_path(url: str) -> Path:
    """The SQLite file of an events URL, or NotSQLite."""
    parts = urlsplit(url)
    path = unquote(parts.path[1:]) if parts.path.startswith("/") else parts.path
    if parts.scheme != "sqlite":
        raise NotSQLite(f"the events are in {parts.scheme or 'an unknown database'}, not a "
                        "SQLite file: back it up with pg_dump, or `arrears export`")
    if not path or path == ":memory:":
        raise NotSQLite("the events are in memory: there is no file to back up")
    return Path(path)


def backup(source: Path, out: Path) -> int:
    """Copy the live database file to `out` (which must not exist); the pages copied."""
    partial = out.with_name(f".{out.name}.partial-{os.getpid()}")
    src = sqlite3.connect(source, timeout=30)
    try:
        dst = sqlite3.connect(partial)
        try:
            src.backup(dst)
            pages = int(dst.execute("PRAGMA page_count").fetchone()[0])
            problem = dst.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            dst.close()
    finally:
        src.close()
    if problem != "ok":
        partial.unlink(missing_ok=True)
        raise sqlite3.DatabaseError(f"the copy fails SQLite's integrity check: {problem}")
    os.replace(partial, out)
    return pages
