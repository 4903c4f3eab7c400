"""Everything a letter's template shows, from the case as it stands, its events and the
command the letter goes with."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from application.letters.account import account
from application.letters.settings import LetterSettings
from application.schedule.demands import LETTER_OF_CLAIM_DAYS
from application.schedule.hooks import LetterKind
from application.wording import money, plural
from domain.case import DebtCase
from domain.events import CaseEvent

REFERENCE_CODES = {LetterKind.REMINDER: "R", LetterKind.FORMAL_DEMAND: "FD",
                   LetterKind.LETTER_OF_CLAIM: "LOC"}


def long_date(day: date) -> str:
    """2026-03-01 → '1 March 2026'."""
    return f"{day.day} {day:%B %Y}"


def reference(case: DebtCase, kind: LetterKind, on: date) -> str:
    """The letter's own reference: invoice, kind and date (INV-1003/FD/2026-03-01)."""
    return f"{case.invoice_number}/{REFERENCE_CODES[kind]}/{on.isoformat()}"


@dataclass(frozen=True)
class LetterFacts:
    """What the command says the letter is: its kind and date, and a demand's terms."""

    kind: LetterKind
    on: date
    reference: str = ""
    amount: Decimal | None = None  # the demand's amount (None: the balance)
    deadline: date | None = None
    consequences: str = ""


def _case(case: DebtCase) -> dict[str, str]:
    return {"invoice_number": case.invoice_number, "issue_date": case.issue_date.isoformat(),
            "due_date": case.due_date.isoformat(), "currency": case.currency,
            "contract_reference": case.contract_reference}


def timing(case: DebtCase, on: date) -> str:
    if on < case.due_date:
        return "before_due"
    return "on_due" if on == case.due_date else "after_due"


def letter_view(case: DebtCase, events: Sequence[CaseEvent], facts: LetterFacts,
                settings: LetterSettings) -> dict[str, Any]:
    """The template's context."""
    shown = account(case, events, facts.on)
    amount = case.outstanding.amount if facts.amount is None else facts.amount
    reply_address = ", ".join(settings.creditor_address) or "the address at the top of this letter"
    return {
        "creditor": {"name": case.creditor, "address": settings.creditor_address},
        "debtor": {"name": case.debtor.name, "kind": case.debtor.kind,
                   "lines": [line.strip() for line in case.debtor.address.splitlines()
                             if line.strip()]},
        "case": _case(case), "account": shown, "payment": settings.payment_details,
        "dated": long_date(facts.on), "dated_iso": f"{facts.on.isoformat()}T00:00:00+00:00",
        "reference": facts.reference or reference(case, facts.kind, facts.on),
        "invoice_amount": money(case.invoice_amount.amount, case.currency),
        "amount": money(amount, case.currency),
        "issued_long": long_date(case.issue_date), "due_long": long_date(case.due_date),
        "deadline_long": long_date(facts.deadline) if facts.deadline else "",
        "consequences": facts.consequences, "timing": timing(case, facts.on),
        "days_overdue": plural(max(case.days_overdue(facts.on), 0), "day"),
        "reply_days": LETTER_OF_CLAIM_DAYS, "reply_address": reply_address,
        "continuing": bool(shown.lines),
        "money": lambda value: money(value.amount, case.currency),
    }
