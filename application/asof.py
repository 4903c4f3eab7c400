"""A case as Arrears knew it at a recorded time: folded from the events recorded by then.

Business time and system time are apart (ADR 4). `--on DAY` sees a case on a business day
with everything known now; "as of" a moment sees it with only what had been recorded by
then (what the creditor knew when the demand went out), read from the event store, never
from the read models. The events taken are the case's history, in version order, up to the
first one recorded after the moment: a version never follows a version it skipped, so with
a clock that went backwards an event is left out rather than applied out of order.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from itertools import takewhile
from typing import Any
from uuid import UUID

from application.errors import CaseNotFound
from application.readmodels import rows
from application.readmodels.queries import seen_on
from application.records import case_record, event_fields, event_record
from application.service import CaseService
from application.timeline import chronology
from domain.case import DebtCase
from domain.events import AttachmentAdded, CaseEvent, ReminderSent


class CaseNotYetRecorded(CaseNotFound):
    """The case's first event was recorded after the moment asked for."""


@dataclass(frozen=True)
class KnownCase:
    """The case as known at `at`: its state, the events known, how many came later."""

    at: datetime
    case: DebtCase
    events: list[CaseEvent]
    later: int

    def record(self, on: date | None = None) -> dict[str, Any]:
        """`case_record` as known then, seen on `on` (default the moment's own UTC date)."""
        return {**case_record(self.case, on or self.at.date()), **self.provenance()}

    def provenance(self) -> dict[str, Any]:
        return {"as_of": self.at.isoformat(), "events_known": len(self.events),
                "events_later": self.later}

    def history(self) -> list[dict[str, Any]]:
        """The known events as records, in timeline order (`chronology`)."""
        return chronology(event_record(e) for e in self.events)

    def summary(self, on: date | None = None) -> dict[str, Any]:
        """The case-summary row the read model would have held then, seen on `on`."""
        reminders = [e.occurred_on for e in self.events if isinstance(e, ReminderSent)]
        row = rows.summary_row(self.case, self.events[-1], reminders[-1] if reminders else None)
        return seen_on(row, on or self.at.date())

    def timeline(self) -> list[dict[str, Any]]:
        """The case-timeline rows the read model would have held then, in timeline order."""
        return chronology(rows.timeline_row(e) for e in self.events)

    def attachments(self) -> list[dict[str, Any]]:
        return [rows.attachment_row(e) for e in self.events if isinstance(e, AttachmentAdded)]

    def opening(self) -> dict[str, Any]:
        """The CaseOpened event's own fields (contact, terms), as plain data."""
        return event_fields(self.events[0])


def known_at(service: CaseService, case_id: UUID, at: datetime) -> KnownCase:
    """The case as recorded at or before `at` (CaseNotYetRecorded if it was not yet)."""
    events = list(service.case_events(case_id))
    if not events:
        raise CaseNotFound(f"no case with id {case_id}", "case")
    known = list(takewhile(lambda e: e.timestamp <= at, events))
    if not known:
        raise CaseNotYetRecorded(
            f"the case was first recorded at {events[0].timestamp.isoformat()}, after "
            f"{at.isoformat()}", "as_of")
    case = None
    for event in known:
        case = event.mutate(case)
    assert isinstance(case, DebtCase)
    return KnownCase(at, case, known, len(events) - len(known))
