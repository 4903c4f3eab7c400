"""Builders for tests: cases with unique invoice numbers, stamps, given/when/then helpers.

Domain tests read: given a case (built by commands whose events are already collected),
when a command runs, then these new events, or this refusal and nothing changed.
"""

from __future__ import annotations

import contextlib
import copy
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest

from domain.case import DebtCase
from domain.errors import DomainError
from domain.events import CaseEvent
from domain.money import Money
from domain.values import Debtor, PaymentTerms, Stamp

ISSUED = date(2025, 1, 1)
DUE = date(2025, 1, 31)
RECORDED_AT = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)
TODAY = RECORDED_AT.date()


def random_suffix() -> str:
    return uuid4().hex[:6]


def random_ref(prefix: str = "INV") -> str:
    """A unique invoice number (or other reference), so tests never collide."""
    return f"{prefix}-{random_suffix()}"


def random_name(prefix: str = "Debtor") -> str:
    return f"{prefix} {random_suffix()}"


def day(offset: int, start: date = DUE) -> date:
    """A date counted from the due date: day(0) is the due date, day(1) the day after."""
    return start + timedelta(days=offset)


def eur(amount: str) -> Money:
    return Money.of(amount, "EUR")


def stamp(on: date = TODAY, actor: str = "ann", recorded_at: datetime = RECORDED_AT) -> Stamp:
    return Stamp(actor=actor, occurred_on=on, recorded_at=recorded_at)


def open_case(*, amount: str | Money = "1000.00", creditor: str | None = None,
              invoice_number: str | None = None, debtor: Debtor | None = None,
              issue_date: date = ISSUED, due_date: date = DUE,
              terms: PaymentTerms | None = None, on: date | None = None) -> DebtCase:
    """A newly opened case, its CaseOpened event still pending."""
    return DebtCase.open(
        creditor=creditor or random_name("Creditor"),
        invoice_number=invoice_number or random_ref(),
        debtor=debtor or Debtor(random_name(), email="accounts@debtor.example",
                                phone="+44 20 7946 0000", address="1 High Street"),
        amount=amount if isinstance(amount, Money) else eur(amount),
        issue_date=issue_date, due_date=due_date, terms=terms,
        stamp=stamp(on or issue_date),
    )


def given(case: DebtCase | None = None, *steps: tuple[str, date, dict[str, Any]],
          **opening: Any) -> DebtCase:
    """A case with a history: opened, then each (command, occurred on, fields) step.

    Its events are collected, so that only what the `when` command records is pending.
    """
    case = case or open_case(**opening)
    for command, on, fields in steps:
        getattr(case, command)(stamp=stamp(on), **fields)
    case.collect_events()
    return case


def step(command: str, on: date, **fields: Any) -> tuple[str, date, dict[str, Any]]:
    """One command of a case's history, for `given`."""
    return command, on, fields


def when(case: DebtCase, command: str, on: date, **fields: Any) -> list[CaseEvent]:
    """Run a command; return the new events it recorded."""
    getattr(case, command)(stamp=stamp(on), **fields)
    return case.collect_events()


def names(events: list[CaseEvent]) -> list[str]:
    return [type(e).__name__ for e in events]


def state(case: DebtCase) -> dict[str, Any]:
    """Everything the case knows, for comparing two cases (pending events left aside)."""
    return {k: v for k, v in vars(case).items() if k != "_pending_events"}


def replayed(events: list[CaseEvent]) -> DebtCase:
    """A case rebuilt from its events alone."""
    case = None
    for event in events:
        case = event.mutate(case)
    assert case is not None
    return case


@contextlib.contextmanager
def refused(case: DebtCase, error: type[DomainError], field: str | None,
            match: str | None = None) -> Iterator[pytest.ExceptionInfo[DomainError]]:
    """Expect the command to be refused with this error on this field, changing nothing."""
    before = copy.deepcopy(state(case))
    with pytest.raises(error, match=match) as caught:
        yield caught
    assert caught.value.field == field
    assert case.collect_events() == []
    assert state(case) == before
