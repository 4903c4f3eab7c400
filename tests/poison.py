"""Poison events: planted straight in the store, past the domain's checks, as a test's input.

The projector must stop at such an event with everything before it projected. Two kinds:
- an invoice amount of 10**21 minor units (too large for a read-model integer column,
  SQLite and PostgreSQL alike);
- a note holding a NUL character (PostgreSQL text cannot hold it; SQLite can).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from uuid import UUID, uuid4

from eventsourcing.utils import get_topic

from application.service import CaseService
from domain.case import DebtCase
from domain.events import CaseOpened, NoteAdded
from domain.money import Money
from domain.values import Debtor, PaymentTerms

HUGE = Money(Decimal(10) ** 19, "EUR")  # 10**21 cents


def insert(service: CaseService, event: CaseOpened | NoteAdded) -> int:
    """Store the event as it is (no domain check); return its position in the log."""
    service.recorder.insert_events([service.mapper.to_stored_event(event)])
    return service.recorder.max_notification_id() or 0


def plant_huge_case(service: CaseService, on: date, invoice_number: str = "POISON-1") -> UUID:
    """A CaseOpened for EUR 10**19 (10**21 minor units); returns the case id."""
    case_id = uuid4()
    insert(service, CaseOpened(
        originator_topic=get_topic(DebtCase), originator_id=case_id, originator_version=1,
        timestamp=service.clock.now(), actor="mallory", occurred_on=on, creditor="Poison Ltd",
        invoice_number=invoice_number, debtor=Debtor("Poisoned Debtor Ltd"), amount=HUGE,
        issue_date=on, due_date=on, terms=PaymentTerms(), contract_reference="",
        jurisdiction="england-wales"))
    return case_id


def plant_nul_note(service: CaseService, case_id: UUID, on: date) -> int:
    """A NoteAdded "a\\x00b" as the case's next event; returns the case's new version."""
    version = len(list(service.recorder.select_events(case_id))) + 1
    insert(service, NoteAdded(originator_id=case_id, originator_version=version,
                              timestamp=service.clock.now(), actor="mallory", occurred_on=on,
                              text="a\x00b"))
    return version
