"""The projector: follows the notification log and keeps every read model up to date.

Each page of events is applied in ONE read-model transaction together with the new tracked
position, so a crash at any point neither loses nor double-applies an event. A second
process racing on the same page finds the position moved and rolls back its copy.

An event the projector cannot apply (its data does not fit a read model, a bug in a
projection) does not wedge the read side: the failing page is applied again in halves until
the one event is found, every event before it is committed, and the projector stops AT it,
records the fault (`rm_fault`, shown by `status()`) and returns. Each later catch-up tries
that event again, alone, and goes on from there once it applies. Errors of the database
itself (connection, disk, locks) are raised as before, with nothing of the page kept.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from typing import Any

from eventsourcing import persistence
from eventsourcing.domain import Snapshot
from eventsourcing.persistence import Notification, StoredEvent
from sqlalchemy import Connection, Engine, bindparam, delete, insert, select, update
from sqlalchemy import exc as sql

from application.readmodels import aggregates, rows
from application.readmodels.access import access_changes, write_access
from application.readmodels.database import create_tables, is_read_only
from application.readmodels.status import Fault, Status
from application.readmodels.tables import (
    READ_MODELS,
    audit_trail,
    case_attachment,
    case_state,
    case_summary,
    case_timeline,
    debtor,
    fault,
    task,
    tracking,
)
from application.service import CaseService
from domain.case import DebtCase
from domain.events import (
    AttachmentAdded,
    CaseEvent,
    CaseOpened,
    ReminderSent,
    TaskCreated,
    TaskDone,
)

NAME = "case_views"
log = logging.getLogger(__name__)

# Failures of the databases themselves, not of the events being applied: raised, not recorded.
INFRASTRUCTURE = (OSError, MemoryError, sql.OperationalError, sql.InterfaceError,
                  sql.DisconnectionError, sql.TimeoutError, persistence.OperationalError,
                  persistence.InterfaceError)
PROGRAM_LIMIT = "54"  # PostgreSQL's SQLSTATE class for data too big for it: the event's fault


def about_the_database(error: Exception) -> bool:
    """Whether the failure is the database's own (connection, disk, locks), not the events'."""
    sqlstate = getattr(getattr(error, "orig", None), "sqlstate", None) or ""
    return isinstance(error, INFRASTRUCTURE) and not sqlstate.startswith(PROGRAM_LIMIT)


class PositionMoved(Exception):
    """Another process applied these events first; this copy is rolled back."""


class PageFailed(Exception):
    """A page could not be applied because of one of its events (the page is rolled back)."""

    def __init__(self, notifications: Sequence[Notification], error: Exception) -> None:
        super().__init__(str(error))
        self.notifications = notifications
        self.error = error


class Projector:
    """Applies new events to the read models, page by page."""

    def __init__(self, service: CaseService, engine: Engine, page_size: int = 1000) -> None:
        self.service = service
        self.engine = engine
        self.page_size = page_size
        self._lock = threading.Lock()
        # A read-only store's views are read as they stand; nothing is applied to them.
        self.read_only = is_read_only(engine)
        create_tables(engine)
        if not self.read_only:
            self._track()

    def _track(self) -> None:
        """The projection's tracking row (a process starting at the same time may add it)."""
        try:
            with self.engine.begin() as conn:
                if conn.execute(select(tracking.c.position)
                                .where(tracking.c.projection == NAME)).first() is None:
                    conn.execute(insert(tracking).values(projection=NAME, position=0))
        except sql.IntegrityError:
            pass  # the other process inserted it first

    def status(self) -> Status:
        """Position, head and lag, and the event it is stuck at, if any (one query each side)."""
        with self.engine.connect() as conn:
            position, stuck = self._where(conn)
        head = self.service.recorder.max_notification_id() or 0
        return Status(NAME, position, head, stuck if stuck and stuck.position > position else None)

    def catch_up(self, progress: Callable[[int], None] | None = None) -> int:
        """Apply every event not yet applied, up to one it cannot apply; return how many.

        At an event it cannot apply it records the fault and returns (see the module's doc).
        """
        applied, limit, window_end = 0, self.page_size, 0
        if self.read_only:
            return 0
        with self._lock:
            while True:
                try:
                    count, position = self._apply_page(limit)
                except PositionMoved:
                    continue
                except PageFailed as failed:
                    if len(failed.notifications) == 1:
                        self._record_fault(Fault.of(failed.notifications[0], failed.error))
                        return applied
                    limit = len(failed.notifications) // 2  # the culprit is in this window
                    window_end = failed.notifications[-1].id
                    continue
                if count == 0:
                    return applied
                applied += count
                if progress:
                    progress(count)
                if position >= window_end:  # past the failed window: full pages again
                    limit = self.page_size

    def rebuild(self, progress: Callable[[int], None] | None = None) -> int:
        """Empty every read model and apply the whole event log again (up to a stuck event)."""
        with self._lock, self.engine.begin() as conn:
            for table in READ_MODELS:
                conn.execute(delete(table))
            conn.execute(delete(fault).where(fault.c.projection == NAME))
            conn.execute(update(tracking).where(tracking.c.projection == NAME)
                         .values(position=0))
        return self.catch_up(progress)

    def _where(self, conn: Connection) -> tuple[int, Fault | None]:
        """The tracked position and the recorded fault, in one query."""
        row = conn.execute(
            select(tracking.c.position, fault.c.position.label("at"), fault.c.case_id,
                   fault.c.version, fault.c.event_type, fault.c.error)
            .select_from(tracking.outerjoin(fault, fault.c.projection == tracking.c.projection))
            .where(tracking.c.projection == NAME)).one()
        if row.at is None:
            return row.position, None
        return row.position, Fault(row.at, row.case_id, row.version, row.event_type, row.error)

    def _lock_tracking(self, conn: Connection) -> None:
        """Take the write lock first (a no-op update), before reading where we stand."""
        conn.execute(update(tracking).where(tracking.c.projection == NAME)
                     .values(position=tracking.c.position))

    def _apply_page(self, limit: int) -> tuple[int, int]:
        """Apply the next page; return how many events and the new position."""
        with self.engine.begin() as conn:
            self._lock_tracking(conn)
            position, stuck = self._where(conn)
            if stuck and stuck.position == position + 1:
                limit = 1  # try the stuck event alone: cheap while it still fails
            notifications = self.service.recorder.select_notifications(
                start=position + 1, limit=limit)
            if not notifications:
                return 0, position
            last = notifications[-1].id
            try:
                self._apply(conn, notifications)
            except Exception as error:
                if about_the_database(error):
                    raise
                raise PageFailed(notifications, error) from error
            if stuck:
                self._clear_fault(conn, stuck, last)
            moved = conn.execute(
                update(tracking)
                .where(tracking.c.projection == NAME, tracking.c.position == position)
                .values(position=last))
            if moved.rowcount != 1:
                raise PositionMoved
            return len(notifications), last

    def _apply(self, conn: Connection, notifications: Sequence[Notification]) -> None:
        events = [(n.id, self.service.mapper.to_domain_event(n)) for n in notifications]
        _Page(conn, self.service,
              [(p, e) for p, e in events if isinstance(e, CaseEvent)]).apply_all()

    def _clear_fault(self, conn: Connection, stuck: Fault, last: int) -> None:
        if stuck.position <= last:
            conn.execute(delete(fault).where(fault.c.projection == NAME))
            log.info("projection %s applied event #%d it was stuck at", NAME, stuck.position)

    def _record_fault(self, found: Fault) -> None:
        """Record the event it is stuck at (logged once, not at every retry)."""
        with self.engine.begin() as conn:
            self._lock_tracking(conn)
            position, recorded = self._where(conn)
            if position != found.position - 1 or recorded == found:
                return  # moved on meanwhile, or nothing new to say
            conn.execute(delete(fault).where(fault.c.projection == NAME))
            conn.execute(insert(fault).values(projection=NAME, position=found.position,
                                              case_id=found.case_id, version=found.version,
                                              event_type=found.event_type, error=found.error))
        log.warning("projection %s is %s; the views hold every event before it",
                    NAME, found.describe())


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
        self.task_cases: set[str] = set()

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
        if not self.events:  # a page of the users' events only: nothing for the read models
            return
        audit, timeline, attachments = [], [], []
        for position, event in self.events:
            case_id = str(event.originator_id)
            case = None if isinstance(event, CaseOpened) else (
                self.cases.get(case_id) or self.known[case_id])
            case = event.mutate(case)
            self.cases[case_id] = case
            if isinstance(event, ReminderSent):
                self.last_reminders[case_id] = event.occurred_on
            if isinstance(event, TaskCreated | TaskDone):
                self.task_cases.add(case_id)
            self.last_events[case_id] = event
            audit.append(rows.audit_row(position, event, case.invoice_number))
            timeline.append(rows.timeline_row(event))
            if isinstance(event, CaseOpened):
                self._count_debtor_case(case)
            elif isinstance(event, AttachmentAdded):
                attachments.append(rows.attachment_row(event))
        self.conn.execute(insert(audit_trail), audit)
        self.conn.execute(insert(case_timeline), timeline)
        if attachments:
            self.conn.execute(insert(case_attachment), attachments)
        self._write_cases()
        self._write_debtors()
        write_access(self.conn, access_changes(e for _, e in self.events))
        self._write_tasks()

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
        aggregates.apply(self.conn, summaries)  # before the rows it replaces are overwritten
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


    def _write_tasks(self) -> None:
        """The tasks of the cases whose tasks changed, written again as the case keeps them."""
        if not self.task_cases:
            return
        ids = sorted(self.task_cases)
        self.conn.execute(delete(task).where(task.c.case_id.in_(ids)))
        self.conn.execute(insert(task), [row for case_id in ids
                                         for row in rows.task_rows(self.cases[case_id])])


def _upsert(conn: Connection, table: Any, key: str, values: list[dict[str, Any]],
            existing: set[str]) -> None:
    """Insert the new rows and update the existing ones, each as one executemany."""
    new = [v for v in values if v[key] not in existing]
    old = [{**v, "_key": v[key]} for v in values if v[key] in existing]
    if new:
        conn.execute(insert(table), new)
    if old:
        conn.execute(update(table).where(table.c[key] == bindparam("_key")), old)
