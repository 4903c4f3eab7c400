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
from sqlalchemy import Connection, Engine, bindparam, delete, insert, select, update

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
from domain.events import CaseEvent, CaseOpened, ReminderSent

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

    def __init__(self, service: CaseService, engine: Engine, page_size: int = 1000) -> None:
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
            events = [(n.id, self.service.mapper.to_domain_event(n)) for n in notifications]
            _Page(conn, self.service,
                  [(p, e) for p, e in events if isinstance(e, CaseEvent)]).apply_all()
            moved = conn.execute(
                update(tracking)
                .where(tracking.c.projection == NAME, tracking.c.position == position)
                .values(position=notifications[-1].id))
            if moved.rowcount != 1:
                raise PositionMoved
            return len(notifications)


class _Page:
    """One page of events: the touched cases are loaded once, changed in memory, written once.

    Statements are executed with parameter lists (executemany) so a page costs a handful of
    round trips whatever its size.
    """

    def __init__(self, conn: Connection, service: CaseService,
                 events: list[tuple[int, CaseEvent]]) -> None:
        self.conn = conn
        self.mapper = service.mapper
        self.events = events
        ids = sorted({str(e.originator_id) for _, e in events})
        self.known = self._load_states(ids)
        self.last_reminders = self._load_last_reminders(ids)
        self.cases: dict[str, DebtCase] = {}
        self.last_events: dict[str, CaseEvent] = {}
        self.debtors: dict[str, tuple[dict[str, Any], int]] = {}

    def _load_states(self, ids: list[str]) -> dict[str, DebtCase]:
        found = self.conn.execute(select(case_state).where(case_state.c.case_id.in_(ids)))
        states = {}
        for row in found:
            stored = StoredEvent(originator_id=row.case_id, originator_version=row.version,
                                 topic=row.topic, state=row.state)
            states[row.case_id] = self.mapper.to_domain_event(stored).mutate(None)
        return states

    def _load_last_reminders(self, ids: list[str]) -> dict[str, Any]:
        found = self.conn.execute(select(case_summary.c.case_id, case_summary.c.last_reminder_on)
                                  .where(case_summary.c.case_id.in_(ids)))
        return {row.case_id: row.last_reminder_on for row in found}

    def apply_all(self) -> None:
        audit, timeline = [], []
        for position, event in self.events:
            case_id = str(event.originator_id)
            case = None if isinstance(event, CaseOpened) else (
                self.cases.get(case_id) or self.known[case_id])
            case = event.mutate(case)
            self.cases[case_id] = case
            if isinstance(event, ReminderSent):
                self.last_reminders[case_id] = event.occurred_on
            self.last_events[case_id] = event
            audit.append(rows.audit_row(position, event, case.invoice_number))
            timeline.append(rows.timeline_row(event))
            if isinstance(event, CaseOpened):
                self._count_debtor_case(case)
        self.conn.execute(insert(audit_trail), audit)
        self.conn.execute(insert(case_timeline), timeline)
        self._write_cases()
        self._write_debtors()

    def _count_debtor_case(self, case: DebtCase) -> None:
        values = rows.debtor_row(case)
        _, count = self.debtors.get(values["debtor_key"], (values, 0))
        self.debtors[values["debtor_key"]] = (values, count + 1)

    def _write_cases(self) -> None:
        states, summaries = [], []
        for case_id, case in self.cases.items():
            stored = self.mapper.to_stored_event(Snapshot.take(case))
            states.append({"case_id": case_id, "version": case.version,
                           "topic": stored.topic, "state": stored.state})
            summaries.append(rows.summary_row(case, self.last_events[case_id],
                                              self.last_reminders.get(case_id)))
        _upsert(self.conn, case_state, "case_id", states, set(self.known))
        _upsert(self.conn, case_summary, "case_id", summaries, set(self.known))

    def _write_debtors(self) -> None:
        if not self.debtors:
            return
        keys = list(self.debtors)
        existing = dict(self.conn.execute(select(debtor.c.debtor_key, debtor.c.case_count)
                                          .where(debtor.c.debtor_key.in_(keys))).all())
        values = [{**v, "case_count": existing.get(k, 0) + n}
                  for k, (v, n) in self.debtors.items()]
        _upsert(self.conn, debtor, "debtor_key", values, set(existing))


def _upsert(conn: Connection, table: Any, key: str, values: list[dict[str, Any]],
            existing: set[str]) -> None:
    """Insert the new rows and update the existing ones, each as one executemany."""
    new = [v for v in values if v[key] not in existing]
    old = [{**v, "_key": v[key]} for v in values if v[key] in existing]
    if new:
        conn.execute(insert(table), new)
    if old:
        conn.execute(update(table).where(table.c[key] == bindparam("_key")), old)
