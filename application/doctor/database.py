"""The event store: reachable (and its version), its tables, what it holds."""

from __future__ import annotations

import sqlite3
from urllib.parse import urlsplit

import psycopg

from application.doctor.checks import Check, fail, ok, warn
from application.idempotency import TABLE as KEYS
from application.readmodels.status import error_text
from application.recorders.base import CHECKPOINTS, HASHES, SEALS
from application.service import CaseService
from application.settings import sqlite_file
from application.transfer.tables import tables_of
from application.users.directory import DIRECTORY_ID

CONNECT_TIMEOUT = 5  # seconds
ADVICE_URL = "check ARREARS_DATABASE_URL (sqlite:///PATH or postgresql://USER@HOST:PORT/DB)"


def reachable(url: str) -> Check:
    """The database answers within CONNECT_TIMEOUT seconds; its product and version."""
    scheme = urlsplit(url).scheme
    if scheme == "sqlite":
        return _sqlite(url)
    if scheme in ("postgresql", "postgres", "postgresql+psycopg"):
        return _postgres(url)
    return fail("database", f"scheme '{scheme}' is not supported", ADVICE_URL)


def _sqlite(url: str) -> Check:
    path = sqlite_file(url)
    if path is None:
        return ok("database", f"SQLite {sqlite3.sqlite_version} in memory",
                  engine="sqlite", version=sqlite3.sqlite_version)
    if not path.is_file():
        return fail("database", f"there is no database file at {path}",
                    f"{ADVICE_URL}; any command that writes (e.g. `arrears demo`, `arrears "
                    "import FILE`) creates it", engine="sqlite", path=str(path))
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True,
                             timeout=CONNECT_TIMEOUT) as conn:
            conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
    except sqlite3.Error as error:
        return fail("database", f"{path} cannot be read: {error_text(error)}",
                    "check the file's permissions and that it is a SQLite database",
                    engine="sqlite", path=str(path))
    return ok("database", f"SQLite {sqlite3.sqlite_version} at {path}", engine="sqlite",
              version=sqlite3.sqlite_version, path=str(path), bytes=path.stat().st_size)


def _postgres(url: str) -> Check:
    parts = urlsplit(url)
    target = f"{parts.hostname or '127.0.0.1'}:{parts.port or 5432}"
    conninfo = parts._replace(scheme="postgresql", query="", fragment="").geturl()
    try:
        with psycopg.connect(conninfo, connect_timeout=CONNECT_TIMEOUT) as conn:
            version = str(conn.execute("SHOW server_version").fetchone()[0])  # type: ignore[index]
    except psycopg.Error as error:
        return fail("database", f"PostgreSQL at {target} does not answer: "
                                f"{' '.join(str(error).split())[:300]}",
                    f"is the server running and reachable from here? {ADVICE_URL}",
                    engine="postgresql", server=target)
    return ok("database", f"PostgreSQL {version} at {target}", engine="postgresql",
              version=version, server=target)


def tables(service: CaseService) -> Check:
    """The event store's tables exist."""
    recorder = service.chain_recorder
    wanted = [recorder.events_table_name, HASHES, SEALS, CHECKPOINTS, KEYS]
    found = set(_table_names(service))
    missing = [name for name in wanted if name not in found]
    if missing:
        return fail("tables", f"the event store's tables are missing: {', '.join(missing)}",
                    "create them once as their owner (any command does, e.g. `arrears "
                    "verify`, with ARREARS_CREATE_TABLES=y)", missing=missing)
    return ok("tables", "the event store's tables are there", tables=wanted)


def _table_names(service: CaseService) -> list[str]:
    recorder = service.chain_recorder
    with recorder.datastore.transaction(commit=False) as c:
        if hasattr(recorder, "schema"):
            c.execute("SELECT table_name AS name FROM information_schema.tables "
                      "WHERE table_schema = %s", (recorder.schema,))
        else:
            c.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        return [row["name"] for row in c.fetchall()]


def events(service: CaseService) -> Check:
    """How many events and cases the store holds."""
    held = tables_of(service.chain_recorder).contents()
    count = held[service.chain_recorder.events_table_name]
    cases = sum(1 for i in service.chain_recorder.case_ids() if i != DIRECTORY_ID)
    details = {"events": count, "cases": cases, "keys": held[KEYS],
               "checkpoints": held[CHECKPOINTS]}
    if not count:
        return warn("events", "the store holds no event",
                    "if this is not a new installation, ARREARS_DATABASE_URL names the wrong "
                    "database; to move a store here: `arrears import FILE.jsonl`", **details)
    return ok("events", f"{count} events of {cases} cases", **details)
