"""The projector: follows the notification log and keeps every read model up to date.

Each page of events is applied in ONE read-model transaction together with the new tracked
position, so a crash at any point neither loses nor double-applies an event. A second
process racing on the same page finds the position moved and rolls back its copy.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from eventsourcing.domain import Snapshot
from eventsourcing.persistence import StoredEvent
from sqlalchemy import Connection, Engine, delete, insert, select, update

from application.readmodels import rows
from application.readmodels.database import create_tables
from application.readmodels.tables import (
    READ_MODELS,
    audit_trail,
    case_state,
    case_summary,
    case_timeline,
    debtor,
    tracking,
)
from application.service import CaseService
from domain.case import DebtCase
from domain.events import CaseEvent, CaseOpened

NAME = "case_views"


class PositionMoved(Exception):
    """Another process applied these events first; this copy is rolled back."""


@dataclass
class Status:
    projection: str
    position: int
    head: int

    @property
    def lag(self) -> int:
        return self.head - self.position


class Projector:
    """Applies new events to the read models, page by page."""

    def __init__(self, service: CaseService, engine: Engine, page_size: int = 500) -> None:
        self.service = service
        self.engine = engine
        self.page_size = page_size
        self._lock = threading.Lock()
        create_tables(engine)
        with engine.begin() as conn:
            if conn.execute(select(tracking.c.position)
                            .where(tracking.c.projection == NAME)).first() is None:
                conn.execute(insert(tracking).values(projection=NAME, position=0))

    def status(self) -> Status:
        with self.engine.connect() as conn:
            position = self._position(conn)
        return Status(NAME, position, self.service.recorder.max_notification_id() or 0)

    def catch_up(self, progress: Callable[[int], None] | None = None) -> int:
        """Apply every event not yet applied; return how many were applied."""
        applied = 0
        with self._lock:
            while True:
                try:
                    count = self._apply_page()
                except PositionMoved:
                    continue
                if count == 0:
                    return applied
                applied += count
                if progress:
                    progress(count)

    def rebuild(self, progress: Callable[[int], None] | None = None) -> int:
        """Empty every read model and apply the whole event log again."""
        with self._lock, self.engine.begin() as conn:
            for table in READ_MODELS:
                conn.execute(delete(table))
            conn.execute(update(tracking).where(tracking.c.projection == NAME)
                         .values(position=0))
        return self.catch_up(progress)

    def _position(self, conn: Connection) -> int:
        return conn.execute(select(tracking.c.position)
                            .where(tracking.c.projection == NAME)).scalar_one()

    def _apply_page(self) -> int:
        with self.engine.begin() as conn:
            # Take the write lock first (a no-op update), then read where we stand.
            conn.execute(update(tracking).where(tracking.c.projection == NAME)
                         .values(position=tracking.c.position))
            position = self._position(conn)
            notifications = self.service.recorder.select_notifications(
                start=position + 1, limit=self.page_size)
            if not notifications:
                return 0
            page = _Page(conn, self.service)
            for notification in notifications:
                event = self.service.mapper.to_domain_event(notification)
                if isinstance(event, CaseEvent):
                    page.apply(notification.id, event)
            page.flush()
            moved = conn.execute(
                update(tracking)
                .where(tracking.c.projection == NAME, tracking.c.position == position)
                .values(position=notifications[-1].id))
            if moved.rowcount != 1:
                raise PositionMoved
            return len(notifications)


class _Page:
    """The cases touched by one page of events, kept in memory until the page is written."""

    def __init__(self, conn: Connection, service: CaseService) -> None:
        self.conn = conn
        self.mapper = service.mapper
        self.cases: dict[str, DebtCase] = {}
        self.summaries: dict[str, dict[str, Any]] = {}

    def apply(self, position: int, event: CaseEvent) -> None:
        case_id = str(event.originator_id)
        case = None if isinstance(event, CaseOpened) else self._case(case_id)
        case = event.mutate(case)
        self.cases[case_id] = case
        previous = self.summaries.get(case_id) or self._summary(case_id)
        self.summaries[case_id] = rows.summary_row(
            case, event, previous["last_reminder_on"] if previous else None)
        self.conn.execute(insert(audit_trail).values(
            rows.audit_row(position, event, case.invoice_number)))
        self.conn.execute(insert(case_timeline).values(rows.timeline_row(event)))
        if isinstance(event, CaseOpened):
            self._count_debtor_case(case)

    def _case(self, case_id: str) -> DebtCase:
        if case_id in self.cases:
            return self.cases[case_id]
        row = self.conn.execute(select(case_state).where(case_state.c.case_id == case_id)).one()
        stored = StoredEvent(originator_id=case_id, originator_version=row.version,
                             topic=row.topic, state=row.state)
        return self.mapper.to_domain_event(stored).mutate(None)

    def _summary(self, case_id: str) -> dict[str, Any] | None:
        row = self.conn.execute(select(case_summary.c.last_reminder_on)
                                .where(case_summary.c.case_id == case_id)).first()
        return {"last_reminder_on": row.last_reminder_on} if row else None

    def _count_debtor_case(self, case: DebtCase) -> None:
        values = rows.debtor_row(case)
        found = self.conn.execute(select(debtor.c.case_count)
                                  .where(debtor.c.debtor_key == values["debtor_key"])).first()
        if found is None:
            self.conn.execute(insert(debtor).values(case_count=1, **values))
        else:
            self.conn.execute(update(debtor).where(debtor.c.debtor_key == values["debtor_key"])
                              .values(case_count=found.case_count + 1, **values))

    def flush(self) -> None:
        """Write the touched cases' summaries and states."""
        for case_id, case in self.cases.items():
            stored = self.mapper.to_stored_event(Snapshot.take(case))
            self._upsert(case_state, case_id, {"version": case.version, "topic": stored.topic,
                                               "state": stored.state})
            self._upsert(case_summary, case_id, self.summaries[case_id])

    def _upsert(self, table: Any, case_id: str, values: dict[str, Any]) -> None:
        done = self.conn.execute(update(table).where(table.c.case_id == case_id)
                                 .values(**values))
        if done.rowcount == 0:
            self.conn.execute(insert(table).values({**values, "case_id": case_id}))
