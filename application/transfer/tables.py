"""The rows an export reads and an import writes, in each database's own SQL.

The library's recorders insert events one save at a time and number them themselves; an
import must keep each event's notification id (the digest's position, the checkpoints and
the read models' tracking all count in it), so it writes the rows itself, in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import Any, Protocol
from uuid import UUID

from psycopg.rows import tuple_row
from psycopg.sql import SQL, Identifier

from application.idempotency import TABLE as KEYS
from application.recorders import PostgresRecorder, Recorder, SQLiteRecorder
from application.recorders.base import (
    CHECKPOINT_COLUMNS,
    CHECKPOINTS,
    HASHES,
    KEY_COLUMNS,
    STREAM_PAGE,
)
from application.transfer.format import ExportedEvent

# A streamed event row: notification id, originator_id (as the database returns it),
# originator_version, topic, state, stored hash (None when none is stored).
Row = tuple[int, Any, int, str, bytes, bytes | None]


class Tables(Protocol):
    database: str

    def position(self) -> int: ...

    def events_stream(self, up_to: int) -> AbstractContextManager[Iterator[list[Row]]]: ...

    def keys(self) -> list[dict[str, Any]]: ...

    def contents(self) -> dict[str, int]: ...

    def writing(self) -> AbstractContextManager[Writer]: ...


class Writer(Protocol):
    def held(self) -> dict[str, int]: ...

    def events(self, events: Sequence[ExportedEvent]) -> None: ...

    def keys(self, rows: Sequence[dict[str, Any]]) -> None: ...

    def checkpoints(self, rows: Sequence[dict[str, Any]]) -> None: ...


def tables_of(recorder: Recorder) -> Tables:
    if isinstance(recorder, SQLiteRecorder):
        return SQLiteTables(recorder)
    if isinstance(recorder, PostgresRecorder):
        return PostgresTables(recorder)
    raise TypeError(f"no export for a {type(recorder).__name__}")


KEY_NAMES = KEY_COLUMNS.split(", ")
CHECKPOINT_NAMES = CHECKPOINT_COLUMNS.split(", ")


class SQLiteTables:
    database = "sqlite"

    def __init__(self, recorder: SQLiteRecorder) -> None:
        self.recorder, self.events = recorder, recorder.events_table_name

    def _read(self, statement: str, params: Sequence[Any] = ()) -> list[Any]:
        with self.recorder.datastore.transaction(commit=False) as c:
            c.execute(statement, params)
            return c.fetchall()

    def position(self) -> int:
        return int(self._read(f"SELECT MAX(rowid) FROM {self.events}")[0][0] or 0)

    @contextmanager
    def events_stream(self, up_to: int) -> Iterator[Iterator[list[Row]]]:
        """Every event up to the position with its stored hash, in notification order, in
        pages from one query (the ids as stored: hex)."""
        with self.recorder.datastore.transaction(commit=False) as c:
            cursor = c.sqlite_cursor
            cursor.row_factory = None  # plain tuples, cheaper than sqlite3.Row
            c.execute(f"SELECT e.rowid, e.originator_id, e.originator_version, e.topic, e.state, "
                      f"h.hash FROM {self.events} e LEFT JOIN {HASHES} h "
                      "ON h.originator_id = e.originator_id "
                      "AND h.originator_version = e.originator_version WHERE e.rowid <= ? "
                      "ORDER BY e.rowid", (up_to,))
            yield iter(lambda: cursor.fetchmany(STREAM_PAGE), [])

    def keys(self) -> list[dict[str, Any]]:
        rows = self._read(f"SELECT {KEY_COLUMNS} FROM {KEYS} ORDER BY idempotency_key")
        return [dict(zip(KEY_NAMES, tuple(r), strict=True)) for r in rows]

    def contents(self) -> dict[str, int]:
        return {table: int(self._read(f"SELECT COUNT(*) FROM {table}")[0][0])
                for table in (self.events, HASHES, KEYS, CHECKPOINTS)}

    @contextmanager
    def writing(self) -> Iterator[Writer]:
        """One transaction for the whole import: all of it is stored, or none."""
        with self.recorder.datastore.transaction(commit=True) as c:
            yield SQLiteWriter(c, self.events)


class SQLiteWriter:
    def __init__(self, c: Any, events: str) -> None:
        self.c, self.table = c, events

    def held(self) -> dict[str, int]:
        """The rows each table holds, read in the import's own transaction."""
        found = {}
        for table in (self.table, HASHES, KEYS, CHECKPOINTS):
            self.c.execute(f"SELECT COUNT(*) FROM {table}")
            found[table] = int(self.c.fetchone()[0])
        return found

    def events(self, events: Sequence[ExportedEvent]) -> None:
        self.c.executemany(f"INSERT INTO {self.table} (rowid, originator_id, "
                           "originator_version, topic, state) VALUES (?,?,?,?,?)",
                           [(e.id, _uuid(e).hex, e.stored.originator_version, e.stored.topic,
                             e.stored.state) for e in events])
        self.c.executemany(f"INSERT INTO {HASHES} VALUES (?,?,?)",
                           [(_uuid(e).hex, e.stored.originator_version, e.hash)
                            for e in events])

    def keys(self, rows: Sequence[dict[str, Any]]) -> None:
        self.c.executemany(f"INSERT INTO {KEYS} ({KEY_COLUMNS}) VALUES (?,?,?,?,?,?,?)",
                           [_sqlite_key(row) for row in rows])

    def checkpoints(self, rows: Sequence[dict[str, Any]]) -> None:
        self.c.executemany(f"INSERT INTO {CHECKPOINTS} ({CHECKPOINT_COLUMNS}) VALUES "
                           f"({','.join('?' * len(CHECKPOINT_NAMES))})",
                           [[_sqlite_value(row[n]) for n in CHECKPOINT_NAMES] for row in rows])


def _uuid(event: ExportedEvent) -> UUID:
    case_id = event.stored.originator_id
    return case_id if isinstance(case_id, UUID) else UUID(str(case_id))


def _sqlite_key(row: dict[str, Any]) -> list[Any]:
    return [str(row[n]) if n == "case_id" else _sqlite_value(row[n]) for n in KEY_NAMES]


def _sqlite_value(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


class PostgresTables:
    database = "postgresql"

    def __init__(self, recorder: PostgresRecorder) -> None:
        self.recorder = recorder
        self.schema, self.events = Identifier(recorder.schema), recorder.events_table_name

    def _read(self, statement: Any, params: Any = None) -> list[Any]:
        with self.recorder.datastore.transaction(commit=False) as curs:
            curs.execute(statement, params)
            return curs.fetchall()

    def _sql(self, text: str) -> Any:
        return SQL(text).format(s=self.schema, e=Identifier(self.events),
                                h=Identifier(HASHES), k=Identifier(KEYS),
                                c=Identifier(CHECKPOINTS))

    def position(self) -> int:
        return int(self._read(self._sql("SELECT MAX(notification_id) AS m FROM {s}.{e}"))[0]
                   ["m"] or 0)

    @contextmanager
    def events_stream(self, up_to: int) -> Iterator[Iterator[list[Row]]]:
        """Every event up to the position with its stored hash, in notification order, a
        page at a time, each page a short transaction of its own (a connection held for the
        whole export would be cut off, ADR 28)."""
        yield self._event_pages(up_to)

    def _event_pages(self, up_to: int) -> Iterator[list[Row]]:
        statement = self._sql(
            "SELECT e.notification_id, e.originator_id, e.originator_version, e.topic, "
            "e.state, h.hash FROM {s}.{e} e LEFT JOIN {s}.{h} h ON h.originator_id = "
            "e.originator_id AND h.originator_version = e.originator_version "
            "WHERE e.notification_id > %s AND e.notification_id <= %s "
            "ORDER BY e.notification_id LIMIT %s")
        after = 0
        while True:
            with self.recorder.datastore.get_connection() as conn, \
                    conn.transaction(force_rollback=True), \
                    conn.cursor(row_factory=tuple_row) as curs:
                curs.execute(statement, (after, up_to, STREAM_PAGE))
                page = curs.fetchall()
            if not page:
                return
            yield page
            after = page[-1][0]

    def keys(self) -> list[dict[str, Any]]:
        rows = self._read(self._sql("SELECT " + KEY_COLUMNS + " FROM {s}.{k} "
                                    "ORDER BY idempotency_key"))
        return [dict(r) for r in rows]

    def contents(self) -> dict[str, int]:
        found = {}
        for name, table in (("e", self.events), ("h", HASHES), ("k", KEYS), ("c", CHECKPOINTS)):
            found[table] = int(self._read(self._sql("SELECT COUNT(*) AS n FROM {s}.{" + name
                                                    + "}"))[0]["n"])
        return found

    @contextmanager
    def writing(self) -> Iterator[Writer]:
        """One transaction for the whole import, the events table locked as the library
        locks it; the sequences then continue after the imported ids."""
        with self.recorder.datastore.transaction(commit=True) as curs:
            curs.execute(self._sql("LOCK TABLE {s}.{e} IN EXCLUSIVE MODE"))
            yield PostgresWriter(self, curs)
            for table, column in ((self.events, "notification_id"),
                                  (CHECKPOINTS, "checkpoint_id")):
                curs.execute(SQL("SELECT setval(pg_get_serial_sequence(%s, %s), "
                                 "GREATEST((SELECT MAX({col}) FROM {s}.{t}), 1), "
                                 "(SELECT MAX({col}) FROM {s}.{t}) IS NOT NULL)").format(
                    col=Identifier(column), s=self.schema, t=Identifier(table)),
                    (self._qualified(table), column))

    def _qualified(self, table: str) -> str:
        return f"{self.schema.as_string(None)}.{Identifier(table).as_string(None)}"



class PostgresWriter:
    def __init__(self, tables: PostgresTables, curs: Any) -> None:
        self.sql, self.curs, self.table = tables._sql, curs, tables.events

    def held(self) -> dict[str, int]:
        """The rows each table holds, read in the import's own transaction."""
        found = {}
        for name, table in (("e", self.table), ("h", HASHES), ("k", KEYS), ("c", CHECKPOINTS)):
            self.curs.execute(self.sql("SELECT COUNT(*) AS n FROM {s}.{" + name + "}"))
            found[table] = int(self.curs.fetchone()["n"])
        return found

    def events(self, events: Sequence[ExportedEvent]) -> None:
        if not events:
            return
        self.curs.executemany(self.sql(
            "INSERT INTO {s}.{e} (originator_id, originator_version, topic, state, "
            "notification_id) VALUES (%s,%s,%s,%s,%s)"),
            [(_uuid(e), e.stored.originator_version, e.stored.topic, e.stored.state, e.id)
             for e in events])
        self.curs.executemany(self.sql("INSERT INTO {s}.{h} VALUES (%s,%s,%s)"),
                              [(_uuid(e), e.stored.originator_version, e.hash)
                               for e in events])

    def keys(self, rows: Sequence[dict[str, Any]]) -> None:
        if rows:
            self.curs.executemany(self.sql("INSERT INTO {s}.{k} (" + KEY_COLUMNS + ") VALUES "
                                           "(%s,%s,%s,%s,%s,%s,%s)"),
                                  [[row[n] for n in KEY_NAMES] for row in rows])

    def checkpoints(self, rows: Sequence[dict[str, Any]]) -> None:
        if rows:
            self.curs.executemany(self.sql("INSERT INTO {s}.{c} (" + CHECKPOINT_COLUMNS
                                           + ") OVERRIDING SYSTEM VALUE VALUES ("
                                           + ",".join(["%s"] * 11) + ")"),
                                  [[row[n] for n in CHECKPOINT_NAMES] for row in rows])
