"""Rows written by the projector's bulk statements (application/readmodels/bulk.py) read
back as SQLAlchemy's own statements would write them (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime

import pytest
from sqlalchemy import Engine, String, delete, func, insert, select

from application.readmodels.bulk import insert_rows, update_rows, upsert_rows
from application.readmodels.database import create_tables, make_engine, readmodel_url
from application.readmodels.tables import audit_trail, case_state

ROW = {"position": 1, "case_id": "c-1", "invoice_number": "INV-1", "version": 1,
       "event_type": "NoteAdded", "actor": "alice", "occurred_on": date(2026, 1, 2),
       "recorded_at": "2026-01-02T09:00:00+00:00", "summary": "Note added"}


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    made = make_engine(readmodel_url(database_url, {}))
    create_tables(made)
    yield made
    made.dispose()


def rows_of(engine: Engine, table) -> list[dict]:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(
            select(table).order_by(*table.primary_key.columns))]


class TestBulkRows:
    def test_inserted_rows_read_back_with_their_types(self, engine):
        second = {**ROW, "position": 2, "occurred_on": date(2026, 1, 3)}
        with engine.begin() as conn:
            insert_rows(conn, audit_trail, [ROW, second])
        assert rows_of(engine, audit_trail) == [ROW, second]

    def test_an_upsert_inserts_new_rows_and_replaces_old_ones(self, engine):
        old = {"case_id": "c-1", "version": 1, "topic": "t", "state": b"1"}
        with engine.begin() as conn:
            upsert_rows(conn, case_state, "case_id", [old])
        new = [{**old, "version": 2, "state": b"2"},
               {"case_id": "c-2", "version": 1, "topic": "t", "state": b"3"}]
        with engine.begin() as conn:
            upsert_rows(conn, case_state, "case_id", new)
        assert rows_of(engine, case_state) == new

    def test_an_update_sets_only_the_columns_named(self, engine):
        with engine.begin() as conn:
            insert_rows(conn, audit_trail, [ROW])
            update_rows(conn, audit_trail, "position", ("version", "occurred_on"),
                        [{**ROW, "version": 2, "occurred_on": date(2026, 2, 1),
                          "summary": "not written"}])
        assert rows_of(engine, audit_trail) == [
            {**ROW, "version": 2, "occurred_on": date(2026, 2, 1)}]

    def test_dates_are_stored_as_the_column_type_itself_stores_them(self, engine):
        """A date takes `date.isoformat` where the type writes ISO text (SQLite); a
        datetime or a year before 1000 is stored as the type's own processor stores it."""
        days = [date(2026, 1, 2), date(5, 3, 4), datetime(2026, 5, 6, 7, 8, 9)]
        rows = [{**ROW, "position": n, "occurred_on": day} for n, day in enumerate(days)]
        with engine.begin() as conn:
            insert_rows(conn, audit_trail, rows)
            stored = conn.execute(select(func.cast(audit_trail.c.occurred_on, String))
                                  .order_by(audit_trail.c.position)).scalars().all()
        with engine.begin() as conn:  # SQLAlchemy's own statement, row by row
            conn.execute(delete(audit_trail))
            for row in rows:
                conn.execute(insert(audit_trail).values(row))
            theirs = conn.execute(select(func.cast(audit_trail.c.occurred_on, String))
                                  .order_by(audit_trail.c.position)).scalars().all()
        assert stored == theirs
        assert stored[:2] == ["2026-01-02", "0005-03-04"]
