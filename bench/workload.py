"""The work the benchmarks do: invoices to open and everyday commands, seeded and repeatable.

Every command here records exactly one event and never closes the case (payments and
promises are small against a large invoice), so a run of N commands stores N events.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID

from application.clock import FixedClock
from application.commands import CASE_COMMANDS, CaseCommand, OpenCase
from domain.money import Money
from domain.values import Debtor

CURRENCY = "EUR"
ISSUED = date(2026, 1, 2)
DUE = date(2026, 2, 1)
START = datetime(2026, 3, 2, 9, tzinfo=UTC)


def clock() -> FixedClock:
    """A clock after the due date, so reminders, calls and penalties are all allowed."""
    return FixedClock(START)


def invoice(n: int, rng: random.Random) -> dict[str, Any]:
    """The fields of the `OpenCase` command for invoice number n."""
    return {
        "creditor": "Bench Supplies Ltd",
        "invoice_number": f"INV-{n:06d}",
        "debtor": Debtor(f"Debtor {n} Trading Ltd", email=f"accounts{n}@debtor.example.com",
                         phone="+44 20 7946 0000", address=f"{n} High Street, London"),
        "amount": Money.of(rng.randrange(100_000, 1_000_000), CURRENCY),
        "issue_date": ISSUED,
        "due_date": DUE,
        "contract_reference": f"MSA-{n % 97:03d}",
    }


def _small(rng: random.Random) -> Money:
    return Money.of(f"{rng.randrange(1, 50)}.{rng.randrange(100):02d}", CURRENCY)


# Which commands a run draws from, evenly: every everyday command, or contact only (no money).
MIXES = {
    "everyday": ("send_reminder", "log_call", "add_note", "promise_payment", "record_payment",
                 "apply_penalty", "record_delivery"),
    "contact": ("send_reminder", "log_call", "add_note", "record_delivery"),
}


def command(rng: random.Random, today: date, mix: str = "everyday"
            ) -> tuple[str, dict[str, Any]]:
    """One command of the mix and its fields (without actor and dates of the stamp)."""
    kind = rng.choice(MIXES[mix])
    if kind == "send_reminder":
        return kind, {"channel": rng.choice(("email", "letter", "sms"))}
    if kind == "log_call":
        return kind, {"direction": "outbound", "person": "Accounts payable",
                      "outcome": rng.choice(("no_answer", "promised_to_pay", "refused")),
                      "notes": "Asked for the remittance advice; will call back."}
    if kind == "add_note":
        return kind, {"text": "Debtor's office says the invoice is with the approver."}
    if kind == "promise_payment":
        return kind, {"amount": _small(rng),
                      "promised_on": today + timedelta(days=rng.randrange(1, 30))}
    if kind == "record_payment":
        return kind, {"amount": _small(rng), "method": "bank_transfer",
                      "reference": f"BACS{rng.randrange(10**8):08d}"}
    if kind == "apply_penalty":
        return kind, {"kind": "late_fee", "amount": _small(rng),
                      "basis": "Clause 9.2: fixed fee per reminder after due date"}
    return kind, {"method": "email", "proof": "read receipt"}


def opening(actor: str, fields: dict[str, Any]) -> OpenCase:
    """The `OpenCase` command for an invoice's fields (see `invoice`)."""
    return OpenCase(actor=actor, occurred_on=None, **fields)


def case_command(case_id: UUID, name: str, actor: str, fields: dict[str, Any]) -> CaseCommand:
    """The command `name` with the fields `command` drew (amounts as plain decimals)."""
    plain = {k: v.amount if isinstance(v, Money) else v for k, v in fields.items()}
    return CASE_COMMANDS[name](case_id=case_id, actor=actor, occurred_on=None, **plain)
