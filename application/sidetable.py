"""A table of Arrears' own beside the event store (the outbox, the bank credits, the debtor
holds): in the store's own database and schema, through the store's own connections, so it
follows ARREARS_DATABASE_URL and commits like the events do."""

from __future__ import annotations

from typing import Any

from eventsourcing.application import Application
from eventsourcing.postgres import PostgresApplicationRecorder


class SideTable:
    """`table` (its name, in the store's schema on PostgreSQL) and `_run` one statement."""

    def __init__(self, app: Application[Any], name: str) -> None:
        recorder = app.recorder
        self.datastore: Any = getattr(recorder, "datastore")  # noqa: B009 (both recorders)
        self.postgres = isinstance(recorder, PostgresApplicationRecorder)
        schema = getattr(self.datastore, "schema", "") if self.postgres else ""
        self.table = f'"{schema.replace(chr(34), chr(34) * 2)}".{name}' if schema else name

    def _run(self, statement: str, params: tuple[Any, ...] = (),
             fetch: bool = False) -> list[Any]:
        """One statement in its own transaction (`?` placeholders on both databases)."""
        if self.postgres:
            statement = statement.replace("?", "%s")
        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute(statement, params)
            return list(cursor.fetchall()) if fetch else []
