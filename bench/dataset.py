"""A seeded generator of realistic case histories, saved through CaseService in batches.

Every case is opened and worked through the domain's own commands (so every rule holds);
cases are saved a batch at a time (one transaction per batch) to build large data sets fast.

Two layouts of the same kind of history:
- `generate`: each case's events together (contiguous), case after case. This flatters a
  projector: a page of 1,000 events touches about 100 cases.
- `generate_interleaved`: `active` cases worked side by side, a command at a time on a
  random one of them, a new case opened whenever one is done, as they interleave in real
  use: a page of 1,000 events touches about 1,000 cases.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from contextlib import suppress
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


def _worked(case: DebtCase, rng: random.Random, events: int) -> Iterator[None]:
    """Work the case `events` steps, one command at a time (yields after each attempt)."""
    steps = _steps(case, rng)
    day = case.issue_date
    for _ in range(events):
        day = min(TODAY, day + timedelta(days=rng.randrange(1, 12)))
        with suppress(DomainError):
            rng.choice(steps)(_stamp(rng, day))
        yield
    if rng.random() < 0.15 and not case.is_closed:
        case.record_payment(amount=case.outstanding, method="card", stamp=_stamp(rng, day))
        yield


def _work(case: DebtCase, rng: random.Random, events: int) -> None:
    for _ in _worked(case, rng, events):
        pass


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


def generate_interleaved(service: CaseService, cases: int, events_per_case: int = 10,
                         seed: int = 7, active: int = 10_000, batch: int = 1000,
                         progress: Callable[[int], None] | None = None) -> int:
    """Open and work `cases` cases side by side (`active` at a time); return events saved.

    Each case gets the same kind of history as in `generate`; the events of a batch are
    saved together, so consecutive events in the log belong to different cases.
    """
    rng = random.Random(seed)
    working: list[tuple[DebtCase, Iterator[None]]] = []
    pending: dict[object, DebtCase] = {}
    opened = saved = events = 0
    while opened < cases or working:
        while len(working) < active and opened < cases:
            case = _open(opened, rng)
            opened += 1
            working.append((case, _worked(case, rng, rng.randrange(0, 2 * events_per_case - 1))))
            pending[case.id], events = case, events + 1
        i = rng.randrange(len(working))
        case, plan = working[i]
        if next(plan, False) is False:
            working[i] = working[-1]
            working.pop()
        pending[case.id], events = case, events + 1
        if events >= batch or not working:
            saved += _save(service, list(pending.values()))
            pending, events = {}, 0
            if progress:
                progress(saved)
    return saved


def _save(service: CaseService, cases: list[DebtCase]) -> int:
    changed = [c for c in cases if c.pending_events]
    count = sum(len(c.pending_events) for c in changed)
    if changed:
        service.save(*changed)
    return count
