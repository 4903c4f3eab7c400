"""The stress run (issue 15, "Load and concurrency"): N processes x M random commands on a
few shared cases, through the typed command path (application.commands + CaseService.handle).

Each process opens the cases it picks (racing the others to open the same invoice) and runs
notes, calls, payments, penalties, holds and lifts on them. Every command either lands
(`accepted`, with the number of events it stored), is refused by a collection rule
(`refused`: a hold already placed, a payment above what is outstanding), or loses a race
(`conflicts`: someone else changed the case first, or opened the invoice first); anything
else fails the run. Used by tests/faults/test_stress.py and bench/stress.py.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from application.availability import unavailable
from application.commands import CASE_COMMANDS, OpenCase
from application.errors import CaseAlreadyOpen, ConcurrentWrite
from application.service import CaseService
from domain.case import case_id_for
from domain.errors import DomainError
from domain.money import Money
from domain.values import CallOutcome, Debtor, PaymentTerms, PenaltyKind

CREDITOR = "Stress Ltd"
TODAY = date(2026, 1, 1)
PRINCIPAL = "100000"


@dataclass
class Tally:
    """What one process's commands came to."""

    commands: int = 0
    accepted: int = 0
    events: int = 0
    refused: int = 0
    busy: int = 0  # the database busy past ARREARS_DB_CONNECT_TIMEOUT: a clear error, no event
    conflicts: Counter[str] = field(default_factory=Counter)

    def add(self, other: Tally) -> None:
        self.commands += other.commands
        self.accepted += other.accepted
        self.events += other.events
        self.refused += other.refused
        self.busy += other.busy
        self.conflicts.update(other.conflicts)

    def line(self) -> str:
        conflicts = sum(self.conflicts.values())
        kinds = ", ".join(f"{k} {n}" for k, n in sorted(self.conflicts.items())) or "none"
        return (f"commands {self.commands}, accepted {self.accepted}, conflicts {conflicts} "
                f"({kinds}), refused by a rule {self.refused}, database busy {self.busy}, "
                f"events {self.events}")


def invoice(number: int) -> str:
    return f"STRESS-{number:03d}"


def _case_command(rng: random.Random, case_id: Any) -> Any:
    name = rng.choice(["add_note", "add_note", "log_call", "record_payment", "apply_penalty",
                       "place_hold", "lift_hold"])
    fields: dict[str, Any] = {
        "add_note": {"text": f"note {rng.random():.6f}"},
        "log_call": {"outcome": CallOutcome.NO_ANSWER},
        "record_payment": {"amount": Decimal(rng.randint(1, 50))},
        "apply_penalty": {"kind": PenaltyKind.LATE_FEE, "amount": Decimal(rng.randint(1, 20))},
        "place_hold": {"reason": "stress"},
        "lift_hold": {},
    }[name]
    return CASE_COMMANDS[name](case_id=case_id, actor="stress", occurred_on=TODAY, **fields)


def _opening(number: int) -> OpenCase:
    return OpenCase(actor="stress", occurred_on=TODAY, creditor=CREDITOR,
                    invoice_number=invoice(number), debtor=Debtor(f"Debtor {number}"),
                    amount=Money.of(PRINCIPAL, "EUR"), issue_date=TODAY, due_date=TODAY,
                    terms=PaymentTerms())


def run_commands(url: str, seed: int, count: int, cases: int) -> Tally:
    """One process's share: `count` random commands on `cases` shared invoices."""
    rng, tally = random.Random(seed), Tally()
    service = CaseService(url, creditor=CREDITOR)
    opened: set[int] = set()
    try:
        for _ in range(count):
            number = rng.randrange(cases)
            command = (_opening(number) if number not in opened
                       else _case_command(rng, case_id_for(CREDITOR, invoice(number))))
            tally.commands += 1
            try:
                recorded = service.handle(command)
            except CaseAlreadyOpen:
                tally.conflicts["already open"] += 1
                opened.add(number)
                continue
            except ConcurrentWrite:
                opening = isinstance(command, OpenCase)  # must say "already open" instead
                tally.conflicts["bare concurrent write on opening" if opening
                                else "changed meanwhile"] += 1
                continue
            except DomainError:
                tally.refused += 1
                continue
            except Exception as error:
                if unavailable(error) is None:
                    raise
                tally.busy += 1
                continue
            opened.add(number)
            tally.accepted += 1
            tally.events += recorded.version - recorded.first_version + 1
    finally:
        service.close()
    return tally


def _worker(url: str, seed: int, count: int, cases: int, results: Any) -> None:
    try:
        results.put(("ok", run_commands(url, seed, count, cases)))
    except BaseException as error:  # reported to the parent, which fails the run
        where = traceback.extract_tb(error.__traceback__)[-6:]
        results.put(("error", f"{type(error).__name__}: {error} at "
                     + " < ".join(f"{f.name}:{f.lineno}" for f in reversed(where))))


def stress(url: str, processes: int, commands: int, cases: int, seed: int = 1) -> Tally:
    """Run the processes at once; their tallies added up. Raises if any process failed."""
    # Writers wait for each other's locks (SQLite) for up to this long (a loaded machine).
    os.environ.setdefault("ARREARS_DB_CONNECT_TIMEOUT", "30")
    # The store is made once, before the race: this measures commands, not processes
    # creating the same new store at once (on PostgreSQL that still races on the library's
    # `stored_event_uuid` type: issue 15, left open); the processes then all start at once.
    CaseService(url, creditor=CREDITOR).close()
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    workers = [context.Process(target=_worker, args=(url, seed * 1000 + n, commands, cases,
                                                     results)) for n in range(processes)]
    started = time.monotonic()
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=600) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
    failures = [text for kind, text in outcomes if kind == "error"]
    if failures:
        raise AssertionError(f"{len(failures)} processes failed: {failures[:3]}")
    total = Tally()
    for _, tally in outcomes:
        total.add(tally)
    total.seconds = time.monotonic() - started  # type: ignore[attr-defined]
    return total
