"""What a letter shows of the case: the account itemised (invoice, each penalty as claimed,
payments, waivers, balance) and the interest to the letter's date by `case_interest`.

The account is the case as recorded, so its balance is the case's outstanding amount, the
amount a demand is for. The interest section shows the calculation to the letter's date line
by line, and how much of it is not yet in the account (it is owed too, and keeps running).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from application.interest import case_interest
from application.wording import money
from domain import events as ev
from domain.case import DebtCase
from domain.errors import DomainError
from domain.law import InterestCalculation
from domain.law.calculation import percent_text
from domain.money import Money
from domain.values import PenaltyKind

INTEREST_KINDS = (PenaltyKind.STATUTORY_INTEREST, PenaltyKind.CONTRACTUAL_INTEREST)
PENALTY_WORDS = {PenaltyKind.STATUTORY_INTEREST: "Statutory interest",
                 PenaltyKind.CONTRACTUAL_INTEREST: "Contractual interest",
                 PenaltyKind.COMPENSATION: "Compensation for late payment (fixed sum)",
                 PenaltyKind.LATE_FEE: "Late payment fee"}


@dataclass(frozen=True)
class Item:
    """One line of the account: a debit (owed more) or a credit (owed less)."""

    on: date
    text: str
    debit: str = ""
    credit: str = ""


@dataclass(frozen=True)
class Account:
    items: tuple[Item, ...]
    balance: str
    interest: InterestCalculation | None
    interest_note: str  # why there is no calculation, or ""
    not_yet_added: str  # interest and compensation owed but not in the account, or ""
    lines: tuple[dict[str, str | int], ...] = field(default=())


def penalty_text(e: ev.PenaltyApplied) -> str:
    words = PENALTY_WORDS.get(PenaltyKind(e.kind), e.kind)
    if e.period_start and e.period_end:
        words += f", {e.period_start.isoformat()} to {e.period_end.isoformat()}"
        if e.days is not None and e.rate is not None:
            words += f" ({e.days} days at {percent_text(e.rate)}% a year)"
    return words


def item(e: ev.CaseEvent, currency: str) -> Item | None:
    """The account line an event makes, if it moves money."""
    def amount(value: Money) -> str:
        return money(value.amount, currency)
    if isinstance(e, ev.PenaltyApplied):
        return Item(e.occurred_on, penalty_text(e), debit=amount(e.amount))
    if isinstance(e, ev.PaymentReceived):
        text = "Payment received" + (f" (ref. {e.reference})" if e.reference else "")
        return Item(e.occurred_on, text, credit=amount(e.amount))
    if isinstance(e, ev.PenaltyWaived):
        words = PENALTY_WORDS.get(PenaltyKind(e.kind), e.kind)
        return Item(e.occurred_on, f"{words} waived", credit=amount(e.amount))
    if isinstance(e, ev.CaseSettled):
        return Item(e.occurred_on, "Released under a settlement", credit=amount(e.released))
    if isinstance(e, ev.WrittenOff):
        return Item(e.occurred_on, "Written off", credit=amount(e.amount))
    return None


def items(case: DebtCase, events: Sequence[ev.CaseEvent]) -> tuple[Item, ...]:
    opened = Item(case.issue_date, f"Invoice {case.invoice_number}, due "
                                   f"{case.due_date.isoformat()}",
                  debit=money(case.invoice_amount.amount, case.currency))
    moved = [line for e in events if (line := item(e, case.currency)) is not None]
    return (opened, *sorted(moved, key=lambda line: line.on))


def interest_to(case: DebtCase, on: date) -> tuple[InterestCalculation | None, str]:
    """The calculation to `on`, or None and why not."""
    if on <= case.due_date:
        return None, "No interest runs before the due date."
    try:
        return case_interest(case, on), ""
    except DomainError as error:  # no rate known for a day, a currency the law has no sum in
        return None, f"Interest is not worked out here: {error.message}."


def not_yet_added(case: DebtCase, calculation: InterestCalculation | None) -> str:
    """The interest and compensation worked out but not yet claimed in the account."""
    if calculation is None:
        return ""
    claimed = case.penalties_by_kind
    zero = Money.zero(case.currency)
    interest = sum((claimed.get(k.value, zero).amount for k in INTEREST_KINDS), Decimal(0))
    compensation = claimed.get(PenaltyKind.COMPENSATION.value, zero).amount
    rest = (max(calculation.interest.amount - interest, Decimal(0))
            + max(calculation.compensation.amount - compensation, Decimal(0)))
    return money(rest, case.currency) if rest > 0 else ""


def account(case: DebtCase, events: Sequence[ev.CaseEvent], on: date) -> Account:
    """The case's account and interest as a letter dated `on` shows them."""
    calculation, note = interest_to(case, on)
    lines = tuple(line.as_json() for line in calculation.lines) if calculation else ()
    return Account(items(case, events), money(case.outstanding.amount, case.currency),
                   calculation, note, not_yet_added(case, calculation), lines)
