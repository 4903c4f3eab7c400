"""Where the events live: one setting, ARREARS_DATABASE_URL, translated in one place."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from domain.law import Jurisdiction

DEFAULT_DATABASE_URL = "sqlite:///var/arrears.db"
AGGREGATE_CACHE_MAXSIZE = 1000
# The library's recorders, extended to store idempotency keys and chain hashes with the events
# (application.recorders).
SQLITE_RECORDER = "application.recorders.sqlite:SQLiteRecorder"
POSTGRES_RECORDER = "application.recorders.postgres:PostgresRecorder"
# The library's factories, their waits bounded by ARREARS_DB_*_TIMEOUT, a read-only SQLite
# store opened read-only (application.connections).
SQLITE_FACTORY = "application.connections:SQLiteFactory"
POSTGRES_FACTORY = "application.connections:PostgresFactory"
# The creditor whose invoice numbers name cases when none is given (ARREARS_CREDITOR overrides
# it in the CLI); the demo data set is loaded for this creditor.
DEFAULT_CREDITOR = "Demo Creditor Ltd"


class SettingsError(ValueError):
    """The configuration cannot be used; the message names the setting."""


def default_jurisdiction(environ: Mapping[str, str] | None = None) -> Jurisdiction:
    """Whose law a case is under when its opening names none: ARREARS_JURISDICTION, else
    England and Wales."""
    env = os.environ if environ is None else environ
    word = env.get("ARREARS_JURISDICTION", "").strip().lower()
    if not word:
        return Jurisdiction.ENGLAND_WALES
    try:
        return Jurisdiction(word)
    except ValueError:
        allowed = ", ".join(member.value for member in Jurisdiction)
        raise SettingsError(f"ARREARS_JURISDICTION: '{word}' is not one of: {allowed}") from None


def database_url(environ: dict[str, str] | None = None) -> str:
    env = os.environ if environ is None else environ
    return env.get("ARREARS_DATABASE_URL") or DEFAULT_DATABASE_URL


def creates_tables(environ: dict[str, str] | None = None) -> bool:
    """Whether this process creates missing tables (ARREARS_CREATE_TABLES, default yes).

    `n` for an app whose database role may not create or alter tables (README, Running for
    a firm): the tables are then created once by their owner.
    """
    env = os.environ if environ is None else environ
    return env.get("ARREARS_CREATE_TABLES", "y").strip().lower() not in ("n", "no", "0",
                                                                         "false")


def eventsourcing_env(url: str, create_table: bool = True) -> dict[str, str]:
    """Translate a database URL into the eventsourcing library's persistence settings."""
    from application.availability import CONNECT_TIMEOUT, STATEMENT_TIMEOUT, Timeouts
    from application.connections import read_only, read_only_uri

    create_table = create_table and creates_tables()
    timeouts = Timeouts.from_env()
    parts = urlsplit(url)
    # Cases just worked are kept in memory and fast-forwarded from the store on each load
    # (one query for newer events), then deep-copied: a refused command corrupts nothing.
    common = {"CREATE_TABLE": "y" if create_table else "n",
              "AGGREGATE_CACHE_MAXSIZE": str(AGGREGATE_CACHE_MAXSIZE),
              "AGGREGATE_CACHE_FASTFORWARD": "y",
              CONNECT_TIMEOUT: str(timeouts.connect), STATEMENT_TIMEOUT: str(timeouts.statement)}
    if parts.scheme == "sqlite":
        path = unquote(parts.path[1:]) if parts.path.startswith("/") else parts.path
        sqlite = {**common, "PERSISTENCE_MODULE": SQLITE_FACTORY,
                  "APPLICATION_RECORDER_TOPIC": SQLITE_RECORDER,
                  "SQLITE_LOCK_TIMEOUT": str(max(1, round(timeouts.connect)))}
        if not path or path == ":memory:":
            return {**sqlite, "SQLITE_DBNAME": ":memory:"}
        if read_only(path):  # the reading commands work on it (README, Faults)
            return {**sqlite, "CREATE_TABLE": "n", "SQLITE_DBNAME": read_only_uri(path)}
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        return {**sqlite, "SQLITE_DBNAME": path}
    if parts.scheme in ("postgresql", "postgres", "postgresql+psycopg"):
        schema = parse_qs(parts.query).get("schema", [""])[0]
        if schema:
            common["POSTGRES_SCHEMA"] = schema
        return {
            **common,
            "PERSISTENCE_MODULE": POSTGRES_FACTORY,
            "APPLICATION_RECORDER_TOPIC": POSTGRES_RECORDER,
            "POSTGRES_DBNAME": unquote(parts.path.lstrip("/")) or "arrears",
            "POSTGRES_HOST": parts.hostname or "127.0.0.1",
            "POSTGRES_PORT": str(parts.port or 5432),
            "POSTGRES_USER": unquote(parts.username or "postgres"),
            "POSTGRES_PASSWORD": unquote(parts.password or ""),
            # A pooled connection is checked before use: after the database was away, a
            # dead one is replaced instead of failing the request (README, Faults).
            "POSTGRES_PRE_PING": "y",
        }
    raise SettingsError(
        f"ARREARS_DATABASE_URL: scheme '{parts.scheme}' is not supported "
        "(use sqlite:///path or postgresql://user@host:port/db[?schema=name])"
    )


def sqlite_file(url: str) -> Path | None:
    """The SQLite file a URL names; None for PostgreSQL or a store in memory."""
    parts = urlsplit(url)
    if parts.scheme != "sqlite":
        return None
    path = unquote(parts.path[1:]) if parts.path.startswith("/") else parts.path
    return Path(path) if path and path != ":memory:" else None


def in_memory(url: str) -> bool:
    """Whether the URL names a SQLite store held in this process's memory (`sqlite://`,
    `sqlite:///:memory:`): no other process can open it."""
    return urlsplit(url).scheme == "sqlite" and sqlite_file(url) is None


def key_dir(url: str, environ: dict[str, str] | None = None) -> Path:
    """Where the installation's signing key lives: ARREARS_KEY_DIR, else beside the SQLite
    file, else `var/` (PostgreSQL or an in-memory store)."""
    env = os.environ if environ is None else environ
    if env.get("ARREARS_KEY_DIR"):
        return Path(env["ARREARS_KEY_DIR"])
    file = sqlite_file(url)
    return file.parent if file is not None else Path("var")


def tsa_url(environ: dict[str, str] | None = None) -> str:
    """The RFC 3161 time-stamping authority checkpoints are sent to (ARREARS_TSA_URL), or ""."""
    env = os.environ if environ is None else environ
    return env.get("ARREARS_TSA_URL", "")


def configured_creditors(default: str = "",
                         environ: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """The creditors of this installation: ARREARS_CREDITORS (names separated by ';'), and
    the default creditor (ARREARS_CREDITOR, else DEFAULT_CREDITOR). An import takes only
    invoices whose seller is one of them, unless told to take any seller."""
    env = os.environ if environ is None else environ
    first = default or env.get("ARREARS_CREDITOR", "").strip() or DEFAULT_CREDITOR
    names = [first, *(n.strip() for n in env.get("ARREARS_CREDITORS", "").split(";"))]
    return tuple(dict.fromkeys(n for n in names if n))


def import_max_bytes(environ: Mapping[str, str] | None = None) -> int:
    """The largest file an import reads: ARREARS_IMPORT_MAX_BYTES, default 50 MiB."""
    env = os.environ if environ is None else environ
    raw = env.get("ARREARS_IMPORT_MAX_BYTES", "").strip()
    if not raw:
        return 50 * 1024 * 1024
    if not raw.isdigit() or not 1 <= int(raw) <= 1024 ** 3:
        raise SettingsError(f"ARREARS_IMPORT_MAX_BYTES: '{raw[:20]}' is not a whole number of "
                            "bytes from 1 to 1,073,741,824")
    return int(raw)
