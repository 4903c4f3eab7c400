"""The SQLite recorders: keys, chain, seals and checkpoints in the events' database file."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from eventsourcing.persistence import (
    IntegrityError,
    Notification,
    StoredEvent,
)
from eventsourcing.sqlite import (
    SQLiteAggregateRecorder,
    SQLiteApplicationRecorder,
    SQLiteCursor,
    SQLiteDatastore,
)

from application.evidence.chain import Canonicalizer, ChainRow
from application.evidence.store import SEALS_KEYWORD, SnapshotSeal
from application.groupcommit import GroupCommitter, Pending
from application.idempotency import SAVE_KEYWORD, TABLE, KeyRecord
from application.recorders.base import (
    CHECKPOINT_COLUMNS,
    CHECKPOINTS,
    HASHES,
    KEY_COLUMNS,
    PROTECTED,
    REFUSAL,
    SEAL_COLUMNS,
    SEALS,
    SNAPSHOT_SEALS,
    STREAM_PAGE,
    CaseRange,
    ChainStream,
    Seal,
    case_count_sql,
    chain_rows,
    with_missing_tail,
)


class _Refused(Exception):
    """Rolls back the transaction of a save refused alone in its batch (its error is on
    the save)."""


def _tables() -> list[str]:
    return [
        f"CREATE TABLE IF NOT EXISTS {TABLE} ("
        "idempotency_key TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, "
        "case_id TEXT NOT NULL, invoice_number TEXT NOT NULL, "
        "first_version INTEGER NOT NULL, version INTEGER NOT NULL, "
        "recorded_at TEXT NOT NULL)",
        f"CREATE TABLE IF NOT EXISTS {HASHES} (originator_id TEXT NOT NULL, "
        "originator_version INTEGER NOT NULL, hash BLOB NOT NULL, "
        "PRIMARY KEY (originator_id, originator_version)) WITHOUT ROWID",
        f"CREATE TABLE IF NOT EXISTS {SEALS} (seal_id INTEGER PRIMARY KEY, "
        "sealed_at TEXT NOT NULL, kind TEXT NOT NULL, position INTEGER NOT NULL, "
        "cases INTEGER NOT NULL, events INTEGER NOT NULL, sealed_by TEXT NOT NULL)",
        f"CREATE TABLE IF NOT EXISTS {CHECKPOINTS} (checkpoint_id INTEGER PRIMARY KEY, "
        "created_at TEXT NOT NULL, position INTEGER NOT NULL, size INTEGER NOT NULL, "
        "root TEXT NOT NULL, statement BLOB NOT NULL, signature BLOB NOT NULL, "
        "key_id TEXT NOT NULL, leaves BLOB NOT NULL, tsa_url TEXT, tsa_token BLOB)",
    ]


def protection_statements(tables: Iterable[str] = PROTECTED) -> list[str]:
    """BEFORE UPDATE and BEFORE DELETE triggers that abort (SQLite has no TRUNCATE)."""
    return [f"CREATE TRIGGER IF NOT EXISTS {table}_refuse_{op.lower()} BEFORE {op} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} {REFUSAL}'); END"
            for table in tables for op in ("UPDATE", "DELETE")]


def _born_chained() -> str:
    """A new store's history is sealed from its birth: no event can predate the chain."""
    return (f"INSERT INTO {SEALS} ({SEAL_COLUMNS}) "
            "SELECT strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'), 'new store', 0, 0, 0, "
            "'arrears' WHERE NOT EXISTS (SELECT 1 FROM " + SEALS + ") "
            "AND NOT EXISTS (SELECT 1 FROM stored_events)")


_TO = " AND originator_version <= ?"


def _one_chain_query(lte: bool) -> str:
    """A case's events from a version with their hashes, and its highest stored hash version."""
    to = _TO if lte else ""
    return (f"SELECT e.originator_version, e.topic, e.state, h.hash, (SELECT "
            f"MAX(originator_version) FROM {HASHES} WHERE originator_id = ?{to}) "
            f"FROM stored_events e LEFT JOIN {HASHES} h ON h.originator_id = e.originator_id "
            "AND h.originator_version = e.originator_version WHERE e.originator_id = ? "
            f"AND e.originator_version >= ?{to.replace('originator', 'e.originator')} "
            "ORDER BY e.originator_version")


def _chain_query(ids: int, lte: bool) -> str:
    """Rows of versions >= start (to lte) of the cases: events with hashes, orphan hashes."""
    where_e = f"e.originator_id IN ({','.join('?' * ids)}) AND e.originator_version >= ?"
    where_h = f"h.originator_id IN ({','.join('?' * ids)}) AND h.originator_version >= ?"
    if lte:
        where_e += " AND e.originator_version <= ?"
        where_h += " AND h.originator_version <= ?"
    return (
        "SELECT e.originator_id AS id, e.originator_version AS v, e.topic AS topic, "
        f"e.state AS state, h.hash AS hash FROM stored_events e LEFT JOIN {HASHES} h "
        "ON h.originator_id = e.originator_id AND h.originator_version = e.originator_version "
        f"WHERE {where_e} UNION ALL "
        f"SELECT h.originator_id, h.originator_version, NULL, NULL, h.hash FROM {HASHES} h "
        f"WHERE {where_h} AND NOT EXISTS (SELECT 1 FROM stored_events e WHERE "
        "e.originator_id = h.originator_id AND e.originator_version = h.originator_version) "
        "ORDER BY 1, 2")


class SQLiteRecorder(SQLiteApplicationRecorder):
    """The library's SQLite recorder, storing keys and chain hashes with the events."""

    canonical: Canonicalizer | None = None

    def __init__(self, datastore: SQLiteDatastore,
                 events_table_name: str = "stored_events") -> None:
        super().__init__(datastore, events_table_name)
        self.insert_key_statement = f"INSERT INTO {TABLE} ({KEY_COLUMNS}) VALUES (?,?,?,?,?,?,?)"
        self.insert_hash_statement = f"INSERT INTO {HASHES} VALUES (?,?,?)"
        self.committer = GroupCommitter(self.write_batch)

    def create_table(self) -> None:
        create_immediately(self)

    def construct_create_table_statements(self) -> list[str]:
        return [*super().construct_create_table_statements(), *_tables(),
                *protection_statements(), _born_chained()]

    # -- group commit (application.groupcommit) -----------------------------------------

    def insert_events(self, stored_events: Sequence[StoredEvent],
                      **kwargs: Any) -> Sequence[int] | None:
        """Insert the events (with their keys and hashes) in the next group commit."""
        return self.committer.insert(stored_events, **kwargs)

    def write_batch(self, batch: list[Pending]) -> None:
        """The saves in one transaction, each in a savepoint (refused alone), one commit:
        the library's transaction, which rolls back on failure and raises its own errors.
        A save alone in its batch needs no savepoint: refused, its transaction rolls back."""
        alone = len(batch) == 1
        try:
            with self.datastore.transaction(commit=True) as c:
                for item in batch:
                    self._write_one(c, item, savepoint=not alone)
                if alone and batch[0].error is not None:
                    raise _Refused  # nothing of the transaction is to be kept
        except _Refused:
            pass

    def _write_one(self, c: SQLiteCursor, item: Pending, savepoint: bool = True) -> None:
        item.ids, item.error = None, item.refused_before()
        if item.error is not None:
            return
        if savepoint:
            c.execute("SAVEPOINT save")
        try:
            item.ids = self._insert_events(c, item.stored_events, **item.kwargs)
        except sqlite3.OperationalError:
            raise  # the database, not this save: the batch fails whole
        except Exception as error:  # this save refused (a version taken, a broken chain)
            if savepoint:
                c.execute("ROLLBACK TO save")
            item.error = (IntegrityError(error) if isinstance(error, sqlite3.IntegrityError)
                          else error)
        if savepoint:
            c.execute("RELEASE save")

    def _insert_events(self, c: SQLiteCursor, stored_events: Sequence[StoredEvent],
                       **kwargs: Any) -> Sequence[int] | None:
        notification_ids = super()._insert_events(c, stored_events, **kwargs)
        record: KeyRecord | None = kwargs.get(SAVE_KEYWORD)
        if record is not None:
            c.execute(self.insert_key_statement, record.row())
        rows = chain_rows(stored_events, kwargs, self.canonical,
                          lambda case_id, version: self._stored_hash(c, case_id, version))
        c.executemany(self.insert_hash_statement,
                      [(case_id.hex, version, digest) for case_id, version, digest in rows])
        return notification_ids

    def _stored_hash(self, c: SQLiteCursor, case_id: UUID, version: int) -> bytes | None:
        c.execute(f"SELECT hash FROM {HASHES} WHERE originator_id=? AND originator_version=?",
                  (case_id.hex, version))
        row = c.fetchone()
        return None if row is None else bytes(row["hash"])

    # -- idempotency keys -------------------------------------------------------------------

    def find_key(self, key: str) -> KeyRecord | None:
        with self.datastore.transaction(commit=False) as c:
            c.execute(f"SELECT {KEY_COLUMNS} FROM {TABLE} WHERE idempotency_key=?", (key,))
            row = c.fetchone()
        return None if row is None else KeyRecord.from_row(row)

    # -- the chain --------------------------------------------------------------------------

    def select_chain(self, originator_id: UUID, start: int,
                     lte: int | None = None) -> list[ChainRow]:
        """One case's versions >= start (to lte), in one query: the events with their stored
        hashes, then a row without an event where stored hashes go on past the last event."""
        key, bound = originator_id.hex, [] if lte is None else [lte]
        query, params = _one_chain_query(lte is not None), [key, *bound, key, start, *bound]
        rows = self._read_alone(query, params)  # one statement: one snapshot, no BEGIN
        if not rows:
            with self.datastore.transaction(commit=False) as c:
                c.execute(query, params)
                rows = c.fetchall()
                if rows:
                    return self._chain_rows(originator_id, rows)
                c.execute(f"SELECT MIN(originator_version) FROM {HASHES} WHERE originator_id = ? "
                          f"AND originator_version >= ?{_TO if lte else ''}", [key, start, *bound])
                orphan = c.fetchone()[0]
                return [] if orphan is None else [ChainRow(orphan, None, None)]
        return self._chain_rows(originator_id, rows)

    def _read_alone(self, query: str, params: list[Any]) -> list[Any]:
        """The rows of one SELECT outside any transaction: in autocommit, the statement is
        its own read transaction (one snapshot), and BEGIN and ROLLBACK are two statements
        fewer on every load. On any error, no rows: the caller reads again in a transaction,
        which raises the library's errors as it always did."""
        try:
            with self.datastore.get_connection(commit=False) as conn, \
                    conn.cursor() as cursor:
                cursor.execute(query, params)
                return cursor.fetchall()
        except sqlite3.Error:
            return []

    @staticmethod
    def _chain_rows(originator_id: UUID, rows: list[Any]) -> list[ChainRow]:
        found = [ChainRow(r[0], StoredEvent(originator_id, r[0], r[1], r[2]),
                          None if r[3] is None else bytes(r[3])) for r in rows]
        return with_missing_tail(found, rows[-1][4])

    def select_chains(self, ids: Sequence[UUID], start: int = 1,
                      lte: int | None = None) -> dict[UUID, list[ChainRow]]:
        """Every stored version >= start of the cases, with the hashes stored for them."""
        side = [*(i.hex for i in ids), start, *([] if lte is None else [lte])]
        with self.datastore.transaction(commit=False) as c:
            c.execute(_chain_query(len(ids), lte is not None), side + side)
            found: dict[UUID, list[ChainRow]] = {}
            for row in c.fetchall():
                case_id = UUID(row["id"])
                event = None if row["topic"] is None else StoredEvent(
                    case_id, row["v"], row["topic"], row["state"])
                digest = None if row["hash"] is None else bytes(row["hash"])
                found.setdefault(case_id, []).append(ChainRow(row["v"], event, digest))
        return found

    def chain_stream(self, within: CaseRange | None = None) -> ChainStream:
        """Every event with its stored hash (of the cases `within` the range, or all) in one
        read transaction (and the count of hashes read in it first), one query read a page
        at a time."""
        return ChainStream(lambda stream: self._chain_pages(stream, within), UUID)

    def _chain_pages(self, stream: ChainStream, within: CaseRange | None
                     ) -> Iterator[list[Any]]:
        where, args = _in_range(within)
        with self.datastore.transaction(commit=False) as c:
            cursor = c.sqlite_cursor
            cursor.row_factory = None  # plain tuples: a sqlite3.Row costs ~0.4 µs a row more
            c.execute(f"SELECT COUNT(*) FROM {HASHES} e{where}", args)
            stream.hashes = int(c.fetchone()[0])
            c.execute(f"SELECT e.originator_id, e.originator_version, e.topic, e.state, h.hash "
                      f"FROM {self.events_table_name} e LEFT JOIN {HASHES} h "
                      "ON h.originator_id = e.originator_id "
                      f"AND h.originator_version = e.originator_version{where} "
                      "ORDER BY e.originator_id, e.originator_version", args)
            while page := cursor.fetchmany(STREAM_PAGE):
                yield page

    def case_ordered(self, within: CaseRange | None, through: int
                     ) -> Iterator[list[Notification]]:
        """The events of the cases `within` the range (or all) stored up to notification
        `through`, case after case in id order, a page at a time, in one read transaction
        (for a rebuild that works case by case: `application.readmodels.parallel`)."""
        where, args = _in_range(within)
        where = f"{where} AND" if where else " WHERE"
        with self.datastore.transaction(commit=False) as c:
            cursor = c.sqlite_cursor
            cursor.row_factory = None
            c.execute(f"SELECT e.rowid, e.originator_id, e.originator_version, e.topic, e.state "
                      f"FROM {self.events_table_name} e{where} e.rowid <= ? "
                      "ORDER BY e.originator_id, e.originator_version", (*args, through))
            hex_id, case_id = None, None
            while rows := cursor.fetchmany(STREAM_PAGE):
                page = []
                for position, originator, version, topic, state in rows:
                    if originator != hex_id:
                        hex_id, case_id = originator, UUID(originator)
                    page.append(Notification(originator_id=case_id, originator_version=version,
                                             topic=topic, state=state, id=position))
                yield page

    def case_count(self) -> int:
        """How many cases `case_ids` lists, counted in SQL (no list of ids made)."""
        with self.datastore.transaction(commit=False) as c:
            c.execute(case_count_sql(self.events_table_name, HASHES))
            return int(c.fetchone()["cases"])

    def case_ids(self) -> list[UUID]:
        """Every case with a stored event or a stored hash, in id order."""
        with self.datastore.transaction(commit=False) as c:
            c.execute(f"SELECT originator_id FROM {self.events_table_name} UNION "
                      f"SELECT originator_id FROM {HASHES} ORDER BY 1")
            return [UUID(row[0]) for row in c.fetchall()]

    def select_heads(self) -> tuple[int, list[tuple[UUID, int, bytes]]]:
        """The notification position and each case's stored head, read in one transaction."""
        with self.datastore.transaction(commit=False) as c:
            c.execute(f"SELECT MAX(rowid) FROM {self.events_table_name}")
            position = c.fetchone()[0] or 0
            c.execute(f"SELECT originator_id, MAX(originator_version) AS v, hash FROM {HASHES} "
                      "GROUP BY originator_id")
            heads = [(UUID(r[0]), r[1], bytes(r[2])) for r in c.fetchall()]
        return position, heads

    def is_sealed(self) -> bool:
        with self.datastore.transaction(commit=False) as c:
            c.execute(f"SELECT 1 FROM {SEALS} LIMIT 1")
            return c.fetchone() is not None

    def seals(self) -> list[Seal]:
        with self.datastore.transaction(commit=False) as c:
            c.execute(f"SELECT {SEAL_COLUMNS} FROM {SEALS} ORDER BY seal_id")
            return [Seal(datetime.fromisoformat(r[0]), *tuple(r)[1:]) for r in c.fetchall()]

    def seal_history(self, rows: Sequence[tuple[UUID, int, bytes]], seal: Seal) -> None:
        """Store the hashes of existing history and the seal saying so, in one transaction."""
        with self.datastore.transaction(commit=True) as c:
            c.executemany(self.insert_hash_statement,
                          [(case_id.hex, version, digest) for case_id, version, digest in rows])
            c.execute(f"INSERT INTO {SEALS} ({SEAL_COLUMNS}) VALUES (?,?,?,?,?,?)",
                      (seal.sealed_at.isoformat(), seal.kind, seal.position, seal.cases,
                       seal.events, seal.sealed_by))

    # -- checkpoints ------------------------------------------------------------------------

    def insert_checkpoint(self, row: dict[str, Any]) -> int:
        columns = [c for c in CHECKPOINT_COLUMNS.split(", ") if c != "checkpoint_id"]
        with self.datastore.transaction(commit=True) as c:
            c.execute(f"INSERT INTO {CHECKPOINTS} ({', '.join(columns)}) "
                      f"VALUES ({','.join('?' * len(columns))})",
                      [_sqlite_value(row[column]) for column in columns])
            return int(c.lastrowid)

    def select_checkpoints(self, checkpoint_id: int | None = None) -> list[dict[str, Any]]:
        where = "" if checkpoint_id is None else " WHERE checkpoint_id = ?"
        with self.datastore.transaction(commit=False) as c:
            c.execute(f"SELECT {CHECKPOINT_COLUMNS} FROM {CHECKPOINTS}{where} "
                      "ORDER BY checkpoint_id", [] if checkpoint_id is None else [checkpoint_id])
            return [_checkpoint_row(dict(row)) for row in c.fetchall()]


def _sqlite_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def _checkpoint_row(row: dict[str, Any]) -> dict[str, Any]:
    at = datetime.fromisoformat(row["created_at"])
    row["created_at"] = at if at.tzinfo else at.replace(tzinfo=UTC)
    for name in ("statement", "signature", "leaves", "tsa_token"):
        if row[name] is not None:
            row[name] = bytes(row[name])
    return row


class SQLiteSnapshotRecorder(SQLiteAggregateRecorder):
    """The snapshots' recorder, storing each snapshot's seal in the snapshot's transaction."""

    def __init__(self, datastore: SQLiteDatastore,
                 events_table_name: str = "stored_snapshots") -> None:
        super().__init__(datastore, events_table_name)

    def create_table(self) -> None:
        create_immediately(self)

    def construct_create_table_statements(self) -> list[str]:
        return [*super().construct_create_table_statements(),
                f"CREATE TABLE IF NOT EXISTS {SNAPSHOT_SEALS} (originator_id TEXT NOT NULL, "
                "originator_version INTEGER NOT NULL, head BLOB NOT NULL, key_id TEXT NOT NULL, "
                "mac BLOB NOT NULL, PRIMARY KEY (originator_id, originator_version)) "
                "WITHOUT ROWID"]

    def _insert_events(self, c: SQLiteCursor, stored_events: Sequence[StoredEvent],
                       **kwargs: Any) -> Sequence[int] | None:
        super()._insert_events(c, stored_events, **kwargs)
        seals: list[SnapshotSeal] = kwargs.get(SEALS_KEYWORD) or []
        c.executemany(f"INSERT INTO {SNAPSHOT_SEALS} VALUES (?,?,?,?,?)",
                      [(_hex(s.originator_id), s.originator_version, seal.head, seal.key_id,
                        seal.mac) for s, seal in zip(stored_events, seals, strict=True)])
        return None

    def select_sealed(self, originator_id: UUID, lte: int | None
                      ) -> list[tuple[StoredEvent, SnapshotSeal | None]]:
        """The case's snapshots up to lte, newest first, each with its seal (if any)."""
        where = "" if lte is None else " AND s.originator_version <= ?"
        with self.datastore.transaction(commit=False) as c:
            c.execute(f"SELECT s.originator_version AS v, s.topic, s.state, x.head, x.key_id, "
                      f"x.mac FROM {self.events_table_name} s LEFT JOIN {SNAPSHOT_SEALS} x "
                      "ON x.originator_id = s.originator_id "
                      "AND x.originator_version = s.originator_version "
                      f"WHERE s.originator_id = ?{where} ORDER BY s.originator_version DESC "
                      "LIMIT 3", [originator_id.hex, *([] if lte is None else [lte])])
            return [(StoredEvent(originator_id, r["v"], r["topic"], r["state"]),
                     None if r["mac"] is None else
                     SnapshotSeal(bytes(r["head"]), r["key_id"], bytes(r["mac"])))
                    for r in c.fetchall()]

    def snapshotted(self) -> set[UUID]:
        """The cases with a snapshot stored (one query, for `verify`)."""
        with self.datastore.transaction(commit=False) as c:
            c.execute(f"SELECT DISTINCT originator_id FROM {self.events_table_name}")
            return {UUID(row[0]) for row in c.fetchall()}


def _hex(originator_id: UUID | str) -> str:
    return originator_id.hex if isinstance(originator_id, UUID) else str(originator_id)


def create_immediately(recorder: SQLiteAggregateRecorder) -> None:
    """Create the tables in a transaction that takes the write lock first (BEGIN IMMEDIATE):
    processes starting at once wait for each other (the busy timeout) instead of failing
    with "database is locked" when their read would have to become a write."""
    with recorder.datastore.get_connection(commit=True) as conn:
        raw = conn._sqlite_conn
        raw.execute("BEGIN IMMEDIATE")
        try:
            recorder._create_table(SQLiteCursor(raw.cursor()))
        except BaseException:
            raw.rollback()
            raise
        raw.commit()


def _in_range(within: CaseRange | None) -> tuple[str, tuple[str, ...]]:
    """The WHERE clause on `e.originator_id` (stored as 32 hex digits) for a range of cases."""
    if within is None:
        return "", ()
    if within.high is None:
        return " WHERE e.originator_id >= ?", (within.low.hex,)
    return " WHERE e.originator_id >= ? AND e.originator_id < ?", (within.low.hex,
                                                                    within.high.hex)
