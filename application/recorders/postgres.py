"""The PostgreSQL recorders: keys, chain, seals and checkpoints in the events' schema."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any
from uuid import UUID

import psycopg
from eventsourcing.persistence import (
    IntegrityError,
    InterfaceError,
    OperationalError,
    ProgrammingError,
    StoredEvent,
)
from eventsourcing.postgres import (
    PostgresAggregateRecorder,
    PostgresApplicationRecorder,
    PostgresDatastore,
)
from eventsourcing.postgres import PostgresRecorder as LibraryRecorder
from eventsourcing.utils import retry
from psycopg import Connection, Cursor
from psycopg.errors import DuplicateObject, PipelineAborted
from psycopg.rows import DictRow, tuple_row
from psycopg.sql import SQL, Composed, Identifier

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
from domain.errors import DomainError

REFUSE_FUNCTION = "arrears_refuse_change"


def _tables() -> list[str]:
    return [
        f"CREATE TABLE IF NOT EXISTS @schema.{TABLE} ("
        "idempotency_key text PRIMARY KEY, fingerprint text NOT NULL, "
        "case_id uuid NOT NULL, invoice_number text NOT NULL, "
        "first_version bigint NOT NULL, version bigint NOT NULL, "
        "recorded_at timestamptz NOT NULL)",
        f"CREATE TABLE IF NOT EXISTS @schema.{HASHES} (originator_id uuid NOT NULL, "
        "originator_version bigint NOT NULL, hash bytea NOT NULL, "
        "PRIMARY KEY (originator_id, originator_version))",
        f"CREATE TABLE IF NOT EXISTS @schema.{SEALS} ("
        "seal_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "
        "sealed_at timestamptz NOT NULL, kind text NOT NULL, position bigint NOT NULL, "
        "cases bigint NOT NULL, events bigint NOT NULL, sealed_by text NOT NULL)",
        f"CREATE TABLE IF NOT EXISTS @schema.{CHECKPOINTS} ("
        "checkpoint_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "
        "created_at timestamptz NOT NULL, position bigint NOT NULL, size bigint NOT NULL, "
        "root text NOT NULL, statement bytea NOT NULL, signature bytea NOT NULL, "
        "key_id text NOT NULL, leaves bytea NOT NULL, tsa_url text, tsa_token bytea)",
    ]


def protection_statements(events: str) -> list[str]:
    """A trigger function raising, on UPDATE or DELETE of a row and on TRUNCATE of a table."""
    statements = [
        f"CREATE OR REPLACE FUNCTION @schema.{REFUSE_FUNCTION}() RETURNS trigger "
        "LANGUAGE plpgsql AS $body$ BEGIN RAISE EXCEPTION '% on % refused: the table "
        f"{REFUSAL}', TG_OP, TG_TABLE_NAME; END $body$"]
    for table in (events, *PROTECTED[1:]):
        for name, change, level in ((f"{table}_refuse_change", "UPDATE OR DELETE", "ROW"),
                                    (f"{table}_refuse_truncate", "TRUNCATE", "STATEMENT")):
            statements.append(
                "DO $do$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = "
                f"'{name}' AND tgrelid = '@schema.{table}'::regclass) THEN "
                f"CREATE TRIGGER {name} BEFORE {change} ON @schema.{table} FOR EACH {level} "
                f"EXECUTE FUNCTION @schema.{REFUSE_FUNCTION}(); END IF; END $do$")
    return statements


def _born_chained(events: str) -> str:
    return (f"INSERT INTO @schema.{SEALS} ({SEAL_COLUMNS}) SELECT now(), 'new store', 0, 0, "
            f"0, 'arrears' WHERE NOT EXISTS (SELECT 1 FROM @schema.{SEALS}) "
            f"AND NOT EXISTS (SELECT 1 FROM @schema.{events})")


def _one_chain_query(schema: str, events: str, lte: bool) -> Composed:
    """A case's events from a version with their hashes, and its highest stored hash version."""
    to = " AND originator_version <= %(lte)s" if lte else ""
    return SQL(
        "SELECT e.originator_version AS v, e.topic, e.state, h.hash, (SELECT "
        "MAX(originator_version) FROM {s}.{hashes} WHERE originator_id = %(id)s" + to + ") "
        "AS head FROM {s}.{events} e LEFT JOIN {s}.{hashes} h ON h.originator_id = "
        "e.originator_id AND h.originator_version = e.originator_version WHERE "
        "e.originator_id = %(id)s AND e.originator_version >= %(start)s"
        + to.replace("originator", "e.originator") + " ORDER BY e.originator_version"
    ).format(s=Identifier(schema), events=Identifier(events), hashes=Identifier(HASHES))


def _chain_query(schema: str, events: str, lte: bool) -> Composed:
    to = " AND e.originator_version <= %(lte)s" if lte else ""
    to_h = " AND h.originator_version <= %(lte)s" if lte else ""
    return SQL(
        "SELECT e.originator_id AS id, e.originator_version AS v, e.topic, e.state, h.hash "
        "FROM {s}.{events} e LEFT JOIN {s}.{hashes} h "
        "ON h.originator_id = e.originator_id AND h.originator_version = e.originator_version "
        "WHERE e.originator_id = ANY(%(ids)s) AND e.originator_version >= %(start)s" + to
        + " UNION ALL SELECT h.originator_id, h.originator_version, NULL, NULL, h.hash "
        "FROM {s}.{hashes} h WHERE h.originator_id = ANY(%(ids)s) "
        "AND h.originator_version >= %(start)s" + to_h + " AND NOT EXISTS (SELECT 1 FROM "
        "{s}.{events} e WHERE e.originator_id = h.originator_id "
        "AND e.originator_version = h.originator_version) ORDER BY 1, 2"
    ).format(s=Identifier(schema), events=Identifier(events), hashes=Identifier(HASHES))


def _statements(schema: str, texts: list[str]) -> list[Composed]:
    quoted = Identifier(schema).as_string(None)
    return [Composed([SQL(text.replace("@schema", quoted))]) for text in texts]


class PostgresRecorder(PostgresApplicationRecorder):
    """The library's PostgreSQL recorder, storing keys and chain hashes with the events.

    Keys and hashes are inserted in the transaction that locks the events table and inserts
    the events; a second transaction with the same key (or the same case version) waits on
    the index until the first commits, then fails as an integrity error.
    """

    canonical: Canonicalizer | None = None

    def __init__(self, datastore: PostgresDatastore, *,
                 events_table_name: str = "stored_events") -> None:
        super().__init__(datastore, events_table_name=events_table_name)
        self.schema = self.datastore.schema
        self.sql_create_statements += _statements(
            self.schema, [*_tables(), *protection_statements(events_table_name),
                          _born_chained(events_table_name)])
        s = Identifier(self.schema)
        self.insert_key_statement = SQL(
            "INSERT INTO {}.{} (" + KEY_COLUMNS + ") VALUES (%s,%s,%s,%s,%s,%s,%s)"
        ).format(s, Identifier(TABLE))
        self.select_key_statement = SQL(
            "SELECT " + KEY_COLUMNS + " FROM {}.{} WHERE idempotency_key = %s"
        ).format(s, Identifier(TABLE))
        self.insert_hash_statement = SQL("INSERT INTO {}.{} VALUES (%s,%s,%s)").format(
            s, Identifier(HASHES))
        self.committer = GroupCommitter(self.write_batch)

    def create_table(self) -> None:
        create_one_at_a_time(self)

    def _create_table(self, curs: Cursor[DictRow]) -> None:
        one_at_a_time(curs, self.schema)
        super()._create_table(curs)

    def insert_events(self, stored_events: Sequence[StoredEvent],
                      **kwargs: Any) -> Sequence[int] | None:
        """Insert the events (with their keys and hashes) in the next group commit."""
        if self.datastore.enable_db_functions:
            # The library's insert function bypasses `_insert_events`: keys and hashes
            # would be lost.
            raise ProgrammingError("Arrears needs POSTGRES_ENABLE_DB_FUNCTIONS off")
        return self.committer.insert(stored_events, **kwargs)

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def write_batch(self, batch: list[Pending]) -> None:
        """The saves in one transaction (the table locked once), one commit. First all in
        one pipeline (one round trip); if any is refused, again one savepoint each, so it
        is refused alone. Retried whole, as the library retries an insert, when the
        connection fails: nothing of a failed transaction is stored."""
        try:
            self._write_pipelined(batch)
        except (IntegrityError, DomainError):
            self._write_each(batch)
        except OperationalError as error:
            if not lost_in_pipeline(error):
                raise
            self._write_each(batch)

    def _write_pipelined(self, batch: list[Pending]) -> None:
        with self.datastore.get_connection() as conn:
            with conn.pipeline() as pipeline, conn.transaction():
                with conn.cursor() as curs:
                    self._lock_table(curs)
                    self._notify_channel(curs)
                cursors = []
                for item in batch:
                    item.ids, item.error = None, None
                    curs = conn.cursor()
                    cursors.append(curs)
                    self._insert_save(curs, item)
                pipeline.sync()
                for item, curs in zip(batch, cursors, strict=True):
                    item.ids = self._fetch_ids_after_insert_events(curs, item.stored_events)
                    curs.close()

    def _write_each(self, batch: list[Pending]) -> None:
        with self.datastore.get_connection() as conn, conn.transaction(), \
                conn.cursor() as curs:
            self._lock_table(curs)
            self._notify_channel(curs)
            for item in batch:
                self._write_one(conn, curs, item)

    def _write_one(self, conn: Connection[DictRow], curs: Cursor[DictRow],
                   item: Pending) -> None:
        item.ids, item.error = None, item.refused_before()
        if item.error is not None:
            return
        try:
            with conn.transaction():  # a savepoint
                self._insert_save(curs, item)
                item.ids = self._fetch_ids_after_insert_events(curs, item.stored_events)
        except psycopg.IntegrityError as error:  # a version or key taken: this save alone
            item.error = IntegrityError(str(error))
        except DomainError as error:  # a broken chain under this save
            item.error = error

    def _insert_save(self, curs: Cursor[DictRow], item: Pending) -> None:
        """A save's rows: its keys and hashes (`_insert_events`), then its events (the
        library's insert of the stored events, without its table lock: the batch has it)."""
        self._insert_events(curs, item.stored_events, **item.kwargs)
        super(PostgresApplicationRecorder, self)._insert_stored_events(
            curs, item.stored_events, **item.kwargs)

    def _insert_events(self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent],
                       **kwargs: Any) -> None:
        super()._insert_events(curs, stored_events, **kwargs)
        record: KeyRecord | None = kwargs.get(SAVE_KEYWORD)
        if record is not None:
            curs.execute(self.insert_key_statement, record.row())
        rows = chain_rows(stored_events, kwargs, self.canonical,
                          lambda case_id, version: self._stored_hash(curs, case_id, version))
        if rows:
            curs.executemany(self.insert_hash_statement, rows)

    def _stored_hash(self, curs: Cursor[DictRow], case_id: UUID, version: int) -> bytes | None:
        curs.execute(SQL("SELECT hash FROM {}.{} WHERE originator_id = %s "
                         "AND originator_version = %s").format(
            Identifier(self.schema), Identifier(HASHES)), (case_id, version))
        row = curs.fetchone()
        return None if row is None else bytes(row["hash"])

    def _read(self, statement: Any, params: Any = None) -> list[Any]:
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(statement, params)
            return curs.fetchall()

    # -- idempotency keys -------------------------------------------------------------------

    def find_key(self, key: str) -> KeyRecord | None:
        rows = self._read(self.select_key_statement, (key,))
        return KeyRecord.from_row(rows[0]) if rows else None

    # -- the chain --------------------------------------------------------------------------

    def select_chain(self, originator_id: UUID, start: int,
                     lte: int | None = None) -> list[ChainRow]:
        """One case's versions >= start (to lte), in one query: the events with their stored
        hashes, then a row without an event where stored hashes go on past the last event."""
        params = {"id": originator_id, "start": start, "lte": lte}
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(_one_chain_query(self.schema, self.events_table_name, lte is not None),
                         params)
            rows = curs.fetchall()
            if not rows:
                curs.execute(SQL("SELECT MIN(originator_version) AS v FROM {}.{} WHERE "
                                 "originator_id = %(id)s AND originator_version >= %(start)s"
                                 ).format(Identifier(self.schema), Identifier(HASHES))
                             + (SQL(" AND originator_version <= %(lte)s") if lte else SQL("")),
                             params)
                orphan = (curs.fetchone() or {}).get("v")
                return [] if orphan is None else [ChainRow(orphan, None, None)]
        found = [ChainRow(r["v"], StoredEvent(originator_id, r["v"], r["topic"], bytes(r["state"])),
                          None if r["hash"] is None else bytes(r["hash"])) for r in rows]
        return with_missing_tail(found, rows[-1]["head"])

    def select_chains(self, ids: Sequence[UUID], start: int = 1,
                      lte: int | None = None) -> dict[UUID, list[ChainRow]]:
        rows = self._read(_chain_query(self.schema, self.events_table_name, lte is not None),
                          {"ids": list(ids), "start": start, "lte": lte})
        found: dict[UUID, list[ChainRow]] = {}
        for row in rows:
            case_id = row["id"]
            event = None if row["topic"] is None else StoredEvent(
                case_id, row["v"], row["topic"], bytes(row["state"]))
            digest = None if row["hash"] is None else bytes(row["hash"])
            found.setdefault(case_id, []).append(ChainRow(row["v"], event, digest))
        return found

    def chain_stream(self, within: CaseRange | None = None) -> ChainStream:
        """Every event with its stored hash (of the cases `within` the range, or all), a page
        at a time, each page in a short REPEATABLE READ transaction of its own (a connection
        held longer would be cut off, ADR 28) with the count of the hashes stored in the
        page's range of (case, version): the ranges follow each other, the last one ends
        where the cases do (or at the range's end)."""
        return ChainStream(lambda stream: self._chain_pages(stream, within), lambda key: key)

    def _chain_pages(self, stream: ChainStream, within: CaseRange | None
                     ) -> Iterator[list[Any]]:
        names = {"s": Identifier(self.schema), "e": Identifier(self.events_table_name),
                 "h": Identifier(HASHES)}
        below = "" if within is None or within.high is None else " AND {col} < %(high)s"
        rows = SQL("SELECT e.originator_id, e.originator_version, e.topic, e.state, h.hash "
                   "FROM {s}.{e} e LEFT JOIN {s}.{h} h ON h.originator_id = e.originator_id "
                   "AND h.originator_version = e.originator_version "
                   "WHERE (e.originator_id, e.originator_version) > (%(id)s, %(v)s)"
                   + below.format(col="e.originator_id") +
                   " ORDER BY e.originator_id, e.originator_version LIMIT %(n)s").format(**names)
        count = "SELECT COUNT(*) FROM {s}.{h} WHERE (originator_id, originator_version) > " \
                "(%(id)s, %(v)s)"
        up_to = " AND (originator_id, originator_version) <= (%(to_id)s, %(to_v)s)"
        after: dict[str, Any] = {"id": within.low if within else UUID(int=0), "v": 0,
                                 "n": STREAM_PAGE, "high": within.high if within else None}
        while True:
            with self.datastore.get_connection() as conn, conn.transaction(force_rollback=True):
                conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
                with conn.cursor(row_factory=tuple_row) as curs:
                    curs.execute(rows, after)
                    page = curs.fetchall()
                    full = len(page) == STREAM_PAGE
                    bound = {"to_id": page[-1][0], "to_v": page[-1][1]} if full else {}
                    ends = up_to if full else below.format(col="originator_id")
                    curs.execute(SQL(count + ends).format(**names), {**after, **bound})
                    stream.hashes += int((curs.fetchone() or (0,))[0])
            if page:
                yield page
            if not full:
                return
            after = {**after, "id": bound["to_id"], "v": bound["to_v"]}

    def case_count(self) -> int:
        """How many cases `case_ids` lists, counted in SQL (no list of ids made)."""
        rows = self._read(SQL(case_count_sql("{s}.{e}", "{s}.{h}")).format(
            s=Identifier(self.schema), e=Identifier(self.events_table_name),
            h=Identifier(HASHES)))
        return int(rows[0]["cases"])

    def case_ids(self) -> list[UUID]:
        rows = self._read(SQL("SELECT originator_id FROM {s}.{e} UNION "
                              "SELECT originator_id FROM {s}.{h} ORDER BY 1").format(
            s=Identifier(self.schema), e=Identifier(self.events_table_name),
            h=Identifier(HASHES)))
        return [row["originator_id"] for row in rows]

    def select_heads(self) -> tuple[int, list[tuple[UUID, int, bytes]]]:
        s = Identifier(self.schema)
        with self.datastore.get_connection() as conn, conn.transaction(force_rollback=True):
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            with conn.cursor() as curs:
                curs.execute(SQL("SELECT MAX(notification_id) AS max FROM {}.{}").format(
                    s, Identifier(self.events_table_name)))
                position = (curs.fetchone() or {}).get("max") or 0
                curs.execute(SQL("SELECT DISTINCT ON (originator_id) originator_id, "
                                 "originator_version, hash FROM {}.{} ORDER BY originator_id, "
                                 "originator_version DESC").format(s, Identifier(HASHES)))
                heads = [(r["originator_id"], r["originator_version"], bytes(r["hash"]))
                         for r in curs.fetchall()]
        return position, heads

    def is_sealed(self) -> bool:
        return bool(self._read(SQL("SELECT 1 FROM {}.{} LIMIT 1").format(
            Identifier(self.schema), Identifier(SEALS))))

    def seals(self) -> list[Seal]:
        rows = self._read(SQL("SELECT " + SEAL_COLUMNS + " FROM {}.{} ORDER BY seal_id"
                              ).format(Identifier(self.schema), Identifier(SEALS)))
        return [Seal(**row) for row in rows]

    def seal_history(self, rows: Sequence[tuple[UUID, int, bytes]], seal: Seal) -> None:
        with self.datastore.transaction(commit=True) as curs:
            if rows:
                curs.executemany(self.insert_hash_statement, rows)
            curs.execute(SQL("INSERT INTO {}.{} (" + SEAL_COLUMNS + ") VALUES "
                             "(%s,%s,%s,%s,%s,%s)").format(Identifier(self.schema),
                                                           Identifier(SEALS)),
                         (seal.sealed_at, seal.kind, seal.position, seal.cases, seal.events,
                          seal.sealed_by))

    # -- checkpoints ------------------------------------------------------------------------

    def insert_checkpoint(self, row: dict[str, Any]) -> int:
        columns = [c for c in CHECKPOINT_COLUMNS.split(", ") if c != "checkpoint_id"]
        statement = SQL("INSERT INTO {}.{} (" + ", ".join(columns) + ") VALUES ("
                        + ",".join(["%s"] * len(columns)) + ") RETURNING checkpoint_id").format(
            Identifier(self.schema), Identifier(CHECKPOINTS))
        with self.datastore.transaction(commit=True) as curs:
            curs.execute(statement, [row[column] for column in columns])
            found = curs.fetchone()
            assert found is not None
            return int(found["checkpoint_id"])

    def select_checkpoints(self, checkpoint_id: int | None = None) -> list[dict[str, Any]]:
        where = SQL("") if checkpoint_id is None else SQL(" WHERE checkpoint_id = %s")
        rows = self._read(SQL("SELECT " + CHECKPOINT_COLUMNS + " FROM {}.{}").format(
            Identifier(self.schema), Identifier(CHECKPOINTS)) + where
            + SQL(" ORDER BY checkpoint_id"), [] if checkpoint_id is None else [checkpoint_id])
        return [{k: bytes(v) if isinstance(v, memoryview) else v for k, v in dict(r).items()}
                for r in rows]


class PostgresSnapshotRecorder(PostgresAggregateRecorder):
    """The snapshots' recorder, storing each snapshot's seal in the snapshot's transaction."""

    def create_table(self) -> None:
        create_one_at_a_time(self)

    def _create_table(self, curs: Cursor[DictRow]) -> None:
        one_at_a_time(curs, self.schema)
        super()._create_table(curs)

    def __init__(self, datastore: PostgresDatastore, *,
                 events_table_name: str = "stored_snapshots") -> None:
        super().__init__(datastore, events_table_name=events_table_name)
        self.schema = self.datastore.schema
        self.sql_create_statements += _statements(self.schema, [
            f"CREATE TABLE IF NOT EXISTS @schema.{SNAPSHOT_SEALS} (originator_id uuid NOT NULL, "
            "originator_version bigint NOT NULL, head bytea NOT NULL, "
            "key_id text NOT NULL, mac bytea NOT NULL, "
            "PRIMARY KEY (originator_id, originator_version))"])

    def insert_events(self, stored_events: Sequence[StoredEvent],
                      **kwargs: Any) -> Sequence[int] | None:
        seals: list[SnapshotSeal] = kwargs.get(SEALS_KEYWORD) or []
        statement = SQL("INSERT INTO {}.{} VALUES (%s,%s,%s,%s,%s)").format(
            Identifier(self.schema), Identifier(SNAPSHOT_SEALS))
        with self.datastore.transaction(commit=True) as curs:
            self._insert_stored_events(curs, stored_events, **kwargs)
            for stored, seal in zip(stored_events, seals, strict=True):
                curs.execute(statement, (stored.originator_id, stored.originator_version,
                                         seal.head, seal.key_id, seal.mac))
        return None

    def select_sealed(self, originator_id: UUID, lte: int | None
                      ) -> list[tuple[StoredEvent, SnapshotSeal | None]]:
        to = SQL("") if lte is None else SQL(" AND s.originator_version <= %(lte)s")
        statement = SQL(
            "SELECT s.originator_version AS v, s.topic, s.state, x.head, x.key_id, x.mac "
            "FROM {s}.{t} s LEFT JOIN {s}.{x} x ON x.originator_id = s.originator_id "
            "AND x.originator_version = s.originator_version WHERE s.originator_id = %(id)s"
        ).format(s=Identifier(self.schema), t=Identifier(self.events_table_name),
                 x=Identifier(SNAPSHOT_SEALS)) + to + SQL(
            " ORDER BY s.originator_version DESC LIMIT 3")
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(statement, {"id": originator_id, "lte": lte})
            rows = curs.fetchall()
        return [(StoredEvent(originator_id, r["v"], r["topic"], bytes(r["state"])),
                 None if r["mac"] is None else
                 SnapshotSeal(bytes(r["head"]), r["key_id"], bytes(r["mac"]))) for r in rows]

    def snapshotted(self) -> set[UUID]:
        """The cases with a snapshot stored (one query, for `verify`)."""
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(SQL("SELECT DISTINCT originator_id FROM {}.{}").format(
                Identifier(self.schema), Identifier(self.events_table_name)))
            return {row["originator_id"] for row in curs.fetchall()}


def lost_in_pipeline(error: BaseException) -> bool:
    """A PostgreSQL insert refused inside psycopg's pipeline (another writer took the
    version first): the pipeline reports `PipelineAborted`, and nothing was stored."""
    seen: BaseException | None = error
    for _ in range(10):
        if seen is None:
            return False
        if isinstance(seen, PipelineAborted):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def one_at_a_time(curs: Cursor[DictRow], schema: str) -> None:
    """Processes starting at once create (or replace) the schema's tables, functions and
    triggers one after the other, not concurrently ("tuple concurrently updated"): a lock
    held to the end of the creating transaction."""
    curs.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (f"arrears-tables:{schema}",))


def create_one_at_a_time(recorder: LibraryRecorder) -> None:
    """The library's `create_table`, with its composite types made under the same lock as
    the tables: the library creates each type in a transaction of its own and ignores only
    "already exists", so two processes creating one at once failed with a unique violation
    on pg_type ("stored_event_uuid"). Here one transaction takes the lock, makes each type
    missing (a savepoint each, "already exists" ignored), then the tables."""
    schema = recorder.datastore.schema
    with recorder.datastore.transaction(commit=True) as curs:
        one_at_a_time(curs, schema)
        for statement in recorder.sql_create_statements:
            if "CREATE TYPE" in statement.as_string():
                try:
                    with curs.connection.transaction():
                        curs.execute(statement, prepare=False)
                except DuplicateObject:
                    pass
        recorder._create_table(curs)
    recorder.datastore.register_type_adapters()
