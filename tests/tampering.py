"""Tampering with a store by hand, as someone with database access would, past the app.

`RawStore` works on the SQLite file or the PostgreSQL schema of a test's event store. The
append-only triggers are dropped first (`drop_protection`): verification must not rely on
them.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import parse_qs, urlsplit, urlunsplit
from uuid import UUID

import psycopg
from psycopg import sql

from application.recorders.base import PROTECTED

PG_EVENTS = "arrears_events"


class RawStore:
    """Plain SQL on the event tables of a store, named by its database URL."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self.postgres = parts.scheme.startswith("postgres")
        if self.postgres:
            self.schema = parse_qs(parts.query)["schema"][0]
            self.dsn = urlunsplit(parts._replace(query=""))
            self.events = PG_EVENTS
        else:
            self.path = parts.path[1:]
            self.events = "stored_events"

    @contextmanager
    def cursor(self) -> Iterator[Any]:
        if self.postgres:
            with psycopg.connect(self.dsn, autocommit=False) as connection:
                connection.execute(sql.SQL("SET search_path TO {}").format(
                    sql.Identifier(self.schema)))
                with connection.cursor() as cursor:
                    yield cursor
                connection.commit()
            return
        connection = sqlite3.connect(self.path)
        try:
            yield connection.cursor()
            connection.commit()
        finally:
            connection.close()

    def run(self, statement: str, params: tuple[Any, ...] = ()) -> list[Any]:
        """One statement; `?` placeholders, EVENTS for the events table's name."""
        text = statement.replace("EVENTS", self.events)
        if self.postgres:
            text = text.replace("?", "%s")
        with self.cursor() as cursor:
            cursor.execute(text, params)
            return cursor.fetchall() if cursor.description else []

    def key(self, case_id: UUID) -> Any:
        return case_id if self.postgres else case_id.hex

    def drop_protection(self) -> None:
        tables = [self.events, *PROTECTED[1:]]
        if self.postgres:
            for table in tables:
                for name in (f"{table}_refuse_change", f"{table}_refuse_truncate"):
                    self.run(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            return
        for table in tables:
            for op in ("update", "delete"):
                self.run(f"DROP TRIGGER IF EXISTS {table}_refuse_{op}")

    # -- the tamperings ---------------------------------------------------------------------

    def rows(self, case_id: UUID) -> list[tuple[int, str, bytes]]:
        found = self.run("SELECT originator_version, topic, state FROM EVENTS "
                         "WHERE originator_id = ? ORDER BY originator_version",
                         (self.key(case_id),))
        return [(v, t, bytes(s)) for v, t, s in found]

    def state(self, case_id: UUID, version: int) -> dict[str, Any]:
        return json.loads(dict((v, s) for v, _, s in self.rows(case_id))[version])

    def set_state(self, case_id: UUID, version: int, state: dict[str, Any]) -> None:
        self.run("UPDATE EVENTS SET state = ? WHERE originator_id = ? AND originator_version = ?",
                 (json.dumps(state).encode(), self.key(case_id), version))

    def delete(self, case_id: UUID, version: int) -> None:
        self.run("DELETE FROM EVENTS WHERE originator_id = ? AND originator_version = ?",
                 (self.key(case_id), version))

    def swap(self, case_id: UUID, first: int, second: int) -> None:
        key = self.key(case_id)
        for old, new in ((first, -1), (second, first), (-1, second)):
            self.run("UPDATE EVENTS SET originator_version = ? WHERE originator_id = ? "
                     "AND originator_version = ?", (new, key, old))

    def insert(self, case_id: UUID, version: int, topic: str, state: bytes) -> None:
        self.run("INSERT INTO EVENTS (originator_id, originator_version, topic, state) "
                 "VALUES (?, ?, ?, ?)", (self.key(case_id), version, topic, state))

    def truncate_and_reinsert_except(self, case_id: UUID, left_out: int) -> None:
        every = self.run("SELECT originator_id, originator_version, topic, state FROM EVENTS "
                         "ORDER BY originator_id, originator_version")
        self.run("TRUNCATE EVENTS" if self.postgres else "DELETE FROM EVENTS")
        for originator, version, topic, state in every:
            if (originator, version) != (self.key(case_id), left_out):
                self.run("INSERT INTO EVENTS (originator_id, originator_version, topic, state) "
                         "VALUES (?, ?, ?, ?)", (originator, version, topic, bytes(state)))
