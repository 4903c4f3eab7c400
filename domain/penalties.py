"""Rules for penalties: which kinds exist, and when interest may run."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from domain.errors import InvalidValue, RuleBroken
from domain.rules import check_after, check_not_before
from domain.values import PenaltyKind, choice

if TYPE_CHECKING:
    from domain.case import DebtCase

INTEREST_KINDS = frozenset({PenaltyKind.STATUTORY_INTEREST, PenaltyKind.CONTRACTUAL_INTEREST})


def check_penalty(case: DebtCase, kind: str, rate: Decimal | None, period_start: date | None,
                  period_end: date | None, occurred_on: date) -> tuple[str, int | None]:
    """Validate a penalty's kind and basis; return the kind and the days of its period."""
    penalty = choice(PenaltyKind, kind, "kind")
    if rate is not None and not Decimal(0) < rate <= 100:
        raise InvalidValue("must be more than 0 and at most 100 percent a year", "rate")
    days = None
    if period_start is not None or period_end is not None:
        if period_start is None or period_end is None:
            raise InvalidValue("a period needs both a start and an end", "period_start")
        check_not_before(period_end, period_start, "period_end", "the period's start")
        days = (period_end - period_start).days + 1
    if penalty in INTEREST_KINDS:
        _check_interest_runs(case, penalty, period_start, occurred_on)
    return penalty.value, days


def _check_interest_runs(case: DebtCase, kind: PenaltyKind, period_start: date | None,
                         occurred_on: date) -> None:
    """Interest runs only from the day after the due date."""
    label = kind.value.replace("_", " ")
    if occurred_on <= case.due_date:
        raise RuleBroken(f"no {label} on or before the due date ({case.due_date.isoformat()})",
                         "occurred_on")
    if period_start is not None:
        check_after(period_start, case.due_date, "period_start", "the due date")
