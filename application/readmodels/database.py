"""Where the read models live: beside the event store, chosen by the same settings."""

from __future__ import annotations

import os
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from sqlalchemy import Connection, Engine, Index, create_engine, event, insert, select, text
from sqlalchemy import exc as sql

from application.availability import Timeouts
from application.connections import read_only, read_only_uri
from application.readmodels.checkpoint import SAFETY_PAGES
from application.readmodels.tables import (
    READ_MODELS,
    SCHEMA_VERSION,
    metadata,
    schema_version,
)

REBUILT = {table.name for table in READ_MODELS}  # the tables a rebuild empties and fills
# Each SQLite connection's page cache, in KiB (SQLite's default is 2,000, ADR 48): the
# projector's inserts and updates land on pages all over the indexes of large tables, and a
# cache that holds them between catch-ups is not read back from the file each time. Memory
# is taken only as pages are read, up to this much a connection.
PAGE_CACHE_KIB = 32_768


def readmodel_url(events_url: str, environ: dict[str, str] | None = None) -> str:
    """ARREARS_READMODEL_URL, or: a sibling SQLite file / the same PostgreSQL database."""
    env = os.environ if environ is None else environ
    if env.get("ARREARS_READMODEL_URL"):
        return env["ARREARS_READMODEL_URL"]
    parts = urlsplit(events_url)
    if parts.scheme == "sqlite":
        path = parts.path[1:] if parts.path.startswith("/") else parts.path
        if not path or path == ":memory:":
            return "sqlite://"
        p = Path(path)
        return f"sqlite:///{p.with_name(p.stem + '-readmodels' + (p.suffix or '.db'))}"
    return events_url


def make_engine(url: str) -> Engine:
    """A SQLAlchemy engine; PostgreSQL URLs use psycopg 3 and honour `?schema=`."""
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        return _sqlite_engine(url)
    schema = parse_qs(parts.query).get("schema", [""])[0]
    base = parts._replace(scheme="postgresql+psycopg", query="").geturl()
    timeouts = Timeouts.from_env()
    engine = create_engine(base, pool_pre_ping=True, pool_timeout=timeouts.connect,
                           connect_args={"connect_timeout": max(1, round(timeouts.connect)),
                                         "options": "-c statement_timeout="
                                                    f"{int(timeouts.statement * 1000)}"})
    if schema:
        engine = engine.execution_options(schema_translate_map={None: schema})
    return engine


def _sqlite_engine(url: str) -> Engine:
    raw = urlsplit(url).path
    path = raw[1:] if raw.startswith("/") else raw  # sqlite:////abs/path keeps its root
    timeout = Timeouts.from_env().connect
    if path and read_only(path) and not Path(path).exists():
        return _sqlite_engine("sqlite://")  # none to read: built in memory from the events
    if path and read_only(path):  # read, never written: no tables made, no journal
        return create_engine(f"sqlite:///{read_only_uri(path)}&uri=true",
                             connect_args={"timeout": timeout, "check_same_thread": False})
    if path:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": timeout, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        # Checkpoints run in the projector's checkpointer thread, not in its commits.
        cursor.execute(f"PRAGMA wal_autocheckpoint={SAFETY_PAGES}")
        cursor.execute(f"PRAGMA cache_size=-{PAGE_CACHE_KIB}")
        # Freed pages are not overwritten with zeros (Debian's SQLite does it by default):
        # every row of a read model is derived from the events, which are kept, so zeroing
        # hides nothing, and emptying 1.2 GB of read models for a rebuild wrote 1.2 GB of
        # zeros through the WAL (16 s at 1M events, ADR 51).
        cursor.execute("PRAGMA secure_delete=FAST")
        cursor.close()

    return engine


def is_read_only(engine: Engine) -> bool:
    """Whether the engine opens its SQLite file read-only (see `_sqlite_engine`)."""
    return engine.url.get_backend_name() == "sqlite" and "mode=ro" in str(engine.url)


def create_tables(engine: Engine) -> None:
    """Create the read models; drop and recreate them when their schema version differs
    (or predates versioning). The projector then rebuilds them from the events.

    Processes starting on an empty database at once make them one after the other: the
    first takes a lock for its whole transaction (a PostgreSQL advisory lock; SQLite's
    write lock, BEGIN IMMEDIATE), the others wait for it and find the tables made. A
    transaction that still collides (a lock or statement timeout) is tried again.
    """
    if is_read_only(engine):
        return
    for attempt in range(3):
        try:
            return _create_tables(engine)
        except (sql.OperationalError, sql.IntegrityError, sql.ProgrammingError):
            if attempt == 2:
                raise
            time.sleep(0.1 * (attempt + 1))


def _one_at_a_time(conn: Connection) -> None:
    """Hold the lock that makes creators wait for each other, to the end of `conn`'s
    transaction (its first statement)."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    elif conn.dialect.name == "postgresql":
        schema = (conn.get_execution_options().get("schema_translate_map") or {}).get(None)
        conn.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"),
                     {"key": f"arrears-readmodels:{schema or 'public'}"})


def _create_tables(engine: Engine) -> None:
    with engine.begin() as conn:
        _one_at_a_time(conn)
        metadata.create_all(conn, tables=[schema_version])
        stored = conn.execute(select(schema_version.c.version)).scalar()
        if stored != SCHEMA_VERSION:
            metadata.drop_all(conn)
            metadata.create_all(conn)
            conn.execute(insert(schema_version).values(version=SCHEMA_VERSION))
        else:
            metadata.create_all(conn)
            create_indexes(conn)  # a rebuild killed midway left them dropped


def _secondary_indexes() -> list[Index]:
    return [index for table in metadata.sorted_tables if table.name in REBUILT
            for index in sorted(table.indexes, key=lambda i: str(i.name))]


def drop_indexes(conn: Connection) -> None:
    """Drop the read models' secondary indexes (a full rebuild writes faster without)."""
    for index in _secondary_indexes():
        index.drop(conn, checkfirst=True)


def create_indexes(conn: Connection) -> None:
    """Make every secondary index of the read models that is missing."""
    for index in _secondary_indexes():
        index.create(conn, checkfirst=True)
