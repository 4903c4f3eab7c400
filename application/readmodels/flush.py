"""The events of one projector transaction: applied page by page, each touched case written once.

Audit, timeline and attachment rows are inserted page by page (executemany); the cases
stay in memory (in the projector's `CaseCache`) and their summary, tasks, access and
debtor counts are written once, at the end (`write`), in the same transaction as the
position. A case touched on ten pages of one flush costs one summary upsert.

A case's state row (`rm_case_state`) is not written at every flush: it is the case at the
version the row names, a fact of the event log whatever the position, and it is written
again when the case is STATE_EVERY events ahead of it or leaves the cache (ADR 44). A case
read back is its row with the events stored after it applied, up to the one before its
first event on the page.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from eventsourcing.persistence import Notification
from sqlalchemy import Connection, delete, insert, select

from application.readmodels import aggregates, rows
from application.readmodels.access import access_changes, write_access
from application.readmodels.bulk import insert_rows, update_rows, upsert_rows
from application.readmodels.cache import CaseCache, Entry
from application.readmodels.state import CaseStates
from application.readmodels.tables import (
    audit_trail,
    case_attachment,
    case_state,
    case_summary,
    case_timeline,
    debtor,
    task,
)
from domain.case import DebtCase
from domain.events import (
    AttachmentAdded,
    CaseEvent,
    CaseOpened,
    ReminderSent,
    TaskCreated,
    TaskDone,
)

# A case's state row is written again once its case is this many events ahead of it (or the
# cache drops the case): a case picked up later reads at most this many events after its row.
STATE_EVERY = 20


# A debtor key's row of its latest opening, how many cases were opened with it, and the
# position of that latest opening.
Debtors = dict[str, tuple[dict[str, Any], int, int]]


def add_debtors(into: Debtors, more: Debtors) -> None:
    """Debtors counted apart, added up: each with the row of its latest opening (by position:
    a rebuild case by case meets openings out of the log's order, ADR 0050)."""
    for key, (values, count, position) in more.items():
        known = into.get(key)
        if known is not None and known[2] > position:
            into[key] = (known[0], known[1] + count, known[2])
        else:
            into[key] = (values, count + (known[1] if known else 0), position)


class Flush:
    """One transaction's events; cases loaded once (or found in the cache), written once."""

    def __init__(self, conn: Connection, states: CaseStates, cache: CaseCache) -> None:
        self.conn = conn
        self.states = states
        self.cache = cache
        self.last_events: dict[str, CaseEvent] = {}  # the touched cases, by id: latest event
        self.access: dict[tuple[str, str], str] = {}
        self.debtors: Debtors = {}  # of the cases opened
        self.task_cases: set[str] = set()

    @property
    def touched(self) -> int:
        return len(self.last_events)

    def add(self, events: Sequence[tuple[int, CaseEvent]]) -> None:
        """Apply one page of events: its rows inserted now, its cases changed in memory."""
        if not events:  # a page of the users' events only: nothing for the read models
            return
        keyed = [(p, e, str(e.originator_id)) for p, e in events]  # each case id made once
        self._load(_picked_up(keyed, self.cache))
        audit, timeline, attachments = [], [], []
        for position, event, case_id in keyed:
            case = self._apply(position, event, case_id)
            line = rows.timeline_row(event, case_id)
            timeline.append(line)
            audit.append(rows.audit_row(position, line, case.invoice_number))
            if isinstance(event, AttachmentAdded):
                attachments.append(rows.attachment_row(event))
        insert_rows(self.conn, audit_trail, audit)
        insert_rows(self.conn, case_timeline, timeline)
        if attachments:
            self.conn.execute(insert(case_attachment), attachments)
        self.access.update(access_changes(e for _, e in events))

    def _apply(self, position: int, event: CaseEvent, case_id: str) -> DebtCase:
        if isinstance(event, CaseOpened):
            entry = Entry(event.mutate(None), None, None)
            self.cache.put(case_id, entry)
            self._count_debtor_case(entry.case, position)
        else:
            entry = self.cache.get(case_id)
            entry.case = event.mutate(entry.case)
        if isinstance(event, ReminderSent):
            entry.last_reminder_on = event.occurred_on
        if isinstance(event, TaskCreated | TaskDone):
            self.task_cases.add(case_id)
        self.last_events[case_id] = event
        return entry.case

    def _load(self, wanted: dict[str, int]) -> None:
        """Read the cases not in the cache, each as it stood before its first event on this
        page: its state row with any events stored after it, and its summary row."""
        if not wanted:
            return
        ids = sorted(wanted)
        summaries = {r.case_id: dict(r._mapping) for r in self.conn.execute(
            select(case_summary).where(case_summary.c.case_id.in_(ids)))}
        states = {row.case_id: row for row in self.conn.execute(
            select(case_state).where(case_state.c.case_id.in_(ids)))}
        for case_id in ids:
            row = states.get(case_id)
            stored = self.states.case(row.case_id, row.version, row.topic, row.state) \
                if row is not None else None
            case = self.states.up_to(case_id, stored, wanted[case_id] - 1)
            if case is None:
                continue  # no events before this one: applying it fails, as it must
            summary = summaries.get(case_id)
            self.cache.put(case_id, Entry(case, summary,
                                          summary["last_reminder_on"] if summary else None,
                                          row.version if row is not None else 0))

    def _count_debtor_case(self, case: DebtCase, position: int) -> None:
        values = rows.debtor_row(case)
        add_debtors(self.debtors, {values["debtor_key"]: (values, 1, position)})

    def write(self) -> None:
        """Write what the touched cases became: state, summary, debtors, access, tasks."""
        self._write_cases()
        self._write_debtors()
        write_access(self.conn, self.access)
        self._write_tasks()

    def _write_cases(self) -> None:
        """The one place the summaries of the touched cases are written.

        `old` holds each one's row as it stood before this flush (None: a new case), so
        anything kept from the difference of old and new rows is kept here.
        """
        summaries, old = [], {}
        for case_id, event in self.last_events.items():
            entry = self.cache.get(case_id)
            summaries.append(rows.summary_row(entry.case, event, entry.last_reminder_on))
            old[case_id] = entry.summary
        self._write_states()
        aggregates.apply(self.conn, {k: v for k, v in old.items() if v is not None}, summaries)
        _write_summaries(self.conn, summaries, old)
        for row in summaries:
            self.cache.get(row["case_id"]).summary = row

    def _write_states(self) -> None:
        """The state rows that must be written now: a case STATE_EVERY events or more ahead
        of its row, and one the cache is about to drop that is ahead of its row at all."""
        due = {case_id: entry for case_id in self.last_events
               if (entry := self.cache.get(case_id)).case.version - entry.stored >= STATE_EVERY}
        due.update((case_id, entry) for case_id, entry in self.cache.overflow()
                   if entry.case.version > entry.stored)
        write_states(self.conn, self.states, due.values())

    def _write_debtors(self) -> None:
        if not self.debtors:
            return
        keys = list(self.debtors)
        existing = dict(self.conn.execute(select(debtor.c.debtor_key, debtor.c.case_count)
                                          .where(debtor.c.debtor_key.in_(keys))).all())
        values = [{**v, "case_count": existing.get(k, 0) + n}
                  for k, (v, n, _) in self.debtors.items()]
        upsert_rows(self.conn, debtor, "debtor_key", values)

    def _write_tasks(self) -> None:
        """The tasks of the cases whose tasks changed, written again as the case keeps them."""
        if not self.task_cases:
            return
        ids = sorted(self.task_cases)
        self.conn.execute(delete(task).where(task.c.case_id.in_(ids)))
        found = [row for case_id in ids for row in rows.task_rows(self.cache.get(case_id).case)]
        if found:
            self.conn.execute(insert(task), found)


def write_states(conn: Connection, states: CaseStates, entries: Iterable[Entry]) -> None:
    """The state rows of these cases as they now are (each a fact at its version, whatever
    the position: written in any transaction)."""
    entries = list(entries)
    upsert_rows(conn, case_state, "case_id", [states.row(e.case) for e in entries])
    for entry in entries:
        entry.stored = entry.case.version


def decoded(states: CaseStates, page: Sequence[Notification]) -> list[tuple[int, CaseEvent]]:
    """The page's case events with their positions, each decoded once (by orjson, as
    `rm_case_state`'s rows)."""
    to_event = states.mapper.to_domain_event
    return [(n.id, e) for n in page if isinstance(e := to_event(n), CaseEvent)]


def _picked_up(events: Sequence[tuple[int, CaseEvent, str]], cache: CaseCache
               ) -> dict[str, int]:
    """The cases of a page to read back (not in the cache, not opened on the page), each with
    the version of its first event on the page (events with their case's id as text)."""
    opened = {case_id for _, e, case_id in events if isinstance(e, CaseOpened)}
    wanted: dict[str, int] = {}
    for _, event, case_id in events:
        if case_id not in wanted and case_id not in opened and case_id not in cache:
            wanted[case_id] = event.originator_version
    return wanted


def _write_summaries(conn: Connection, summaries: list[dict[str, Any]],
                     old: dict[str, dict[str, Any] | None]) -> None:
    """New summaries inserted; old ones updated in only the columns that changed, grouped
    by those columns (an index none of whose columns changed is not written)."""
    new, changed = [], defaultdict(list)
    for row in summaries:
        before = old[row["case_id"]]
        if before is None:
            new.append(row)
        else:
            columns = tuple(k for k, v in row.items() if k not in before or before[k] != v)
            changed[columns].append(row)
    insert_rows(conn, case_summary, new)
    for columns, found in changed.items():
        if columns:  # nothing changed: nothing to write
            update_rows(conn, case_summary, "case_id", columns, found)
