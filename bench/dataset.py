"""A seeded generator of realistic case histories, saved through CaseService in batches.

Every case is opened and worked through the domain's own commands (so every rule holds);
cases are saved a batch at a time (one transaction per batch) to build large data sets fast.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from application.service import CaseService
from domain.case import DebtCase
from domain.errors import DomainError
from domain.money import Money
from domain.values import Debtor, Stamp

TODAY = date(2026, 11, 2)
CURRENCIES = ("EUR", "GBP")
ACTORS = ("alice", "bob", "schedule")


def _stamp(rng: random.Random, day: date) -> Stamp:
    at = datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=9,
                                                                      minutes=rng.randrange(480))
    return Stamp(rng.choice(ACTORS), day, at)


def _open(n: int, rng: random.Random) -> DebtCase:
    issued = TODAY - timedelta(days=rng.randrange(5, 400))
    due = issued + timedelta(days=rng.choice((14, 30, 30, 60)))
    currency = rng.choice(CURRENCIES)
    return DebtCase.open(
        creditor="Bench Studio Ltd", invoice_number=f"B-{n:07d}",
        debtor=Debtor(f"Debtor {n % 20_000} Ltd", email=f"ap{n % 20_000}@debtor.example.com"),
        amount=Money.of(Decimal(rng.randrange(20_000, 2_000_000)).scaleb(-2), currency),
        issue_date=issued, due_date=due, stamp=_stamp(rng, issued))


def _steps(case: DebtCase, rng: random.Random) -> list[Callable[[Stamp], None]]:
    cur = case.currency

    def small() -> Money:
        return Money.of(max(1, int(case.outstanding.amount) // rng.randrange(8, 30)), cur)

    return [
        lambda s: case.send_reminder(channel=rng.choice(("email", "letter", "sms")), stamp=s),
        lambda s: case.log_call(direction="outbound", outcome=rng.choice(
            ("no_answer", "promised_to_pay", "refused", "other")), notes="Called AP", stamp=s),
        lambda s: case.add_note(text="Spoke to accounts payable", stamp=s),
        lambda s: case.record_payment(amount=small(), method="bank_transfer", stamp=s),
        lambda s: case.promise_payment(amount=small(), promised_on=s.occurred_on
                                       + timedelta(days=7), stamp=s),
        lambda s: case.apply_penalty(kind="late_fee", amount=Money.of(40, cur), stamp=s),
        lambda s: case.issue_demand(deadline=s.occurred_on + timedelta(days=14),
                                    consequences="Court claim", stamp=s),
    ]


def _work(case: DebtCase, rng: random.Random, events: int) -> None:
    steps = _steps(case, rng)
    day = case.issue_date
    for _ in range(events):
        day = min(TODAY, day + timedelta(days=rng.randrange(1, 12)))
        try:
            rng.choice(steps)(_stamp(rng, day))
        except DomainError:
            continue
    if rng.random() < 0.15 and not case.is_closed:
        case.record_payment(amount=case.outstanding, method="card", stamp=_stamp(rng, day))


def generate(service: CaseService, cases: int, events_per_case: int = 10, seed: int = 7,
             batch: int = 500, progress: Callable[[int], None] | None = None) -> int:
    """Open and work `cases` cases (about `events_per_case` events each); return events saved."""
    rng = random.Random(seed)
    saved = 0
    pending: list[DebtCase] = []
    for n in range(cases):
        case = _open(n, rng)
        _work(case, rng, rng.randrange(0, 2 * events_per_case - 1))
        pending.append(case)
        if len(pending) == batch or n == cases - 1:
            saved += sum(len(c.pending_events) for c in pending)
            service.save(*pending)
            pending = []
            if progress:
                progress(saved)
    return saved
