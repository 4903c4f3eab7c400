"""Idempotency keys: a request sent twice records its events once.

A caller (a form's one-time token, the API's `Idempotency-Key` header) names its request
with a key. The key, a fingerprint of the command and what the command stored go into the
`idempotency_keys` table in the same database transaction as the command's events, by the
recorders below (selected in `application.settings`): a key is never stored without its
events, nor events without their key. The table's primary key on the key makes the
database itself refuse a second command under one key, whichever process sends it.

`CaseService.handle(command, idempotency_key=...)` asks `find_key` first and answers a
repeated request with the first one's `Recorded`.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.persistence import ProgrammingError, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteCursor, SQLiteDatastore
from psycopg import Cursor
from psycopg.rows import DictRow
from psycopg.sql import SQL, Identifier

from application.commands import Command, Recorded
from application.errors import InvalidIdempotencyKey

TABLE = "idempotency_keys"
KEY_MIN_LENGTH, KEY_MAX_LENGTH = 8, 128
KEY_PATTERN = rf"^[A-Za-z0-9_.:-]{{{KEY_MIN_LENGTH},{KEY_MAX_LENGTH}}}$"  # also in OpenAPI
KEY_RULE = (f"must be {KEY_MIN_LENGTH} to {KEY_MAX_LENGTH} characters, each a letter, a "
            "digit, '-', '_', '.' or ':' (a UUID will do)")
# What the keyword argument to `Application.save` is called; the recorders look for it.
SAVE_KEYWORD = "idempotency"
# The field an idempotency error names (the web spells it as its form field or header).
KEY_FIELD = "idempotency_key"


def check_key(key: str) -> str:
    """The key as given, or InvalidIdempotencyKey naming the rule."""
    if not isinstance(key, str) or not re.fullmatch(KEY_PATTERN, key):
        raise InvalidIdempotencyKey(f"the idempotency key {KEY_RULE}", KEY_FIELD)
    return key


def fingerprint(command: Command) -> str:
    """A digest of the command, every field included: equal commands, equal fingerprints."""
    fields = json.dumps({"command": type(command).__name__, **asdict(command)},
                        default=str, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(fields.encode()).hexdigest()


@dataclass(frozen=True)
class Claim:
    """A request's idempotency key and the fingerprint of its command."""

    key: str
    fingerprint: str

    @classmethod
    def of(cls, command: Command, key: str) -> Claim:
        return cls(check_key(key), fingerprint(command))

    def record(self, recorded: Recorded, at: datetime) -> KeyRecord:
        return KeyRecord(self.key, self.fingerprint, recorded, at)


@dataclass(frozen=True)
class KeyRecord:
    """One row of the table: the key, its command's fingerprint, and what it stored."""

    key: str
    fingerprint: str
    recorded: Recorded
    recorded_at: datetime

    def row(self) -> tuple[Any, ...]:
        r = self.recorded
        return (self.key, self.fingerprint, str(r.case_id), r.invoice_number, r.first_version,
                r.version, self.recorded_at.isoformat())

    @classmethod
    def from_row(cls, row: Any) -> KeyRecord:
        recorded = Recorded(UUID(str(row["case_id"])), row["invoice_number"],
                            row["first_version"], row["version"], repeated=True)
        at = row["recorded_at"]
        return cls(row["idempotency_key"], row["fingerprint"], recorded,
                   at if isinstance(at, datetime) else datetime.fromisoformat(at))


_COLUMNS = ("idempotency_key, fingerprint, case_id, invoice_number, first_version, version, "
            "recorded_at")


class SQLiteIdempotentRecorder(SQLiteApplicationRecorder):
    """The library's SQLite recorder, storing a save's idempotency key with its events."""

    def __init__(self, datastore: SQLiteDatastore,
                 events_table_name: str = "stored_events") -> None:
        super().__init__(datastore, events_table_name)
        self.insert_key_statement = f"INSERT INTO {TABLE} ({_COLUMNS}) VALUES (?,?,?,?,?,?,?)"

    def construct_create_table_statements(self) -> list[str]:
        return [*super().construct_create_table_statements(),
                f"CREATE TABLE IF NOT EXISTS {TABLE} ("
                "idempotency_key TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, "
                "case_id TEXT NOT NULL, invoice_number TEXT NOT NULL, "
                "first_version INTEGER NOT NULL, version INTEGER NOT NULL, "
                "recorded_at TEXT NOT NULL)"]

    def _insert_events(self, c: SQLiteCursor, stored_events: Sequence[StoredEvent],
                       **kwargs: Any) -> Sequence[int] | None:
        notification_ids = super()._insert_events(c, stored_events, **kwargs)
        record: KeyRecord | None = kwargs.get(SAVE_KEYWORD)
        if record is not None:
            c.execute(self.insert_key_statement, record.row())
        return notification_ids

    def find_key(self, key: str) -> KeyRecord | None:
        with self.datastore.transaction(commit=False) as c:
            c.execute(f"SELECT {_COLUMNS} FROM {TABLE} WHERE idempotency_key=?", (key,))
            row = c.fetchone()
        return None if row is None else KeyRecord.from_row(row)


class PostgresIdempotentRecorder(PostgresApplicationRecorder):
    """The library's PostgreSQL recorder, storing a save's idempotency key with its events.

    The key is inserted first, in the transaction that then locks the events table and
    inserts the events; a second transaction with the same key waits on the key's index
    until the first commits, then fails as an integrity error.
    """

    def __init__(self, datastore: PostgresDatastore, *,
                 events_table_name: str = "stored_events") -> None:
        super().__init__(datastore, events_table_name=events_table_name)
        table = Identifier(self.datastore.schema), Identifier(TABLE)
        self.sql_create_statements.append(SQL(
            "CREATE TABLE IF NOT EXISTS {}.{} ("
            "idempotency_key text PRIMARY KEY, fingerprint text NOT NULL, "
            "case_id uuid NOT NULL, invoice_number text NOT NULL, "
            "first_version bigint NOT NULL, version bigint NOT NULL, "
            "recorded_at timestamptz NOT NULL)").format(*table))
        self.insert_key_statement = SQL(
            "INSERT INTO {}.{} (" + _COLUMNS + ") VALUES (%s,%s,%s,%s,%s,%s,%s)"
        ).format(*table)
        self.select_key_statement = SQL(
            "SELECT " + _COLUMNS + " FROM {}.{} WHERE idempotency_key = %s").format(*table)

    def insert_events(self, stored_events: Sequence[StoredEvent],
                      **kwargs: Any) -> Sequence[int] | None:
        if self.datastore.enable_db_functions and kwargs.get(SAVE_KEYWORD) is not None:
            # The library's insert function bypasses `_insert_events`: the key would be lost.
            raise ProgrammingError("idempotency keys need POSTGRES_ENABLE_DB_FUNCTIONS off")
        return super().insert_events(stored_events, **kwargs)

    def _insert_events(self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent],
                       **kwargs: Any) -> None:
        super()._insert_events(curs, stored_events, **kwargs)
        record: KeyRecord | None = kwargs.get(SAVE_KEYWORD)
        if record is not None:
            curs.execute(self.insert_key_statement, record.row())

    def find_key(self, key: str) -> KeyRecord | None:
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(self.select_key_statement, (key,))
            row = curs.fetchone()
        return None if row is None else KeyRecord.from_row(row)


IdempotentRecorder = SQLiteIdempotentRecorder | PostgresIdempotentRecorder
