"""The review queue's commands: put a queued credit on a case, or mark it not ours."""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID

from application.commands import Recorded, RecordPayment
from application.parsing import parse_amount, parse_text
from application.payments_in.importing import occurred_on, part_key
from application.payments_in.queue import CreditRow, Share, State, credits_of
from application.service import CaseService
from domain.errors import CurrencyMismatch, InvalidValue, RuleBroken


class CreditNotFound(InvalidValue):
    """No credit with that entry in the review queue."""


def queued(service: CaseService) -> list[CreditRow]:
    """The credits waiting for a person, oldest first."""
    return credits_of(service).in_state(State.QUEUED)


def queued_row(service: CaseService, entry: str) -> CreditRow:
    """The credit ENTRY, if it waits in the queue (else CreditNotFound, or RuleBroken when a
    person has resolved it already)."""
    row = credits_of(service).get(entry)
    if row is None:
        raise CreditNotFound(f"no credit '{entry.strip()[:40]}' in the review queue", "entry")
    if row.state != State.QUEUED:
        raise RuleBroken(f"the credit {row.entry} is no longer in the review queue "
                         f"({row.state.value})", "entry")
    return row


def assign(service: CaseService, entry: str, case_id: UUID, actor: str,
           amount: object = None) -> tuple[CreditRow, Recorded]:
    """Record the credit (or `amount` of it; default what is unassigned) on a case.

    The credit leaves the queue once all of it is assigned. Each assignment is recorded
    under its own idempotency key (the credit's entry and the assignment's number).
    """
    row = queued_row(service, entry)
    case = service.load(case_id)
    if case.currency != row.credit.currency:
        raise CurrencyMismatch(f"the credit is in {row.credit.currency}, the case in "
                               f"{case.currency}", "case")
    share = (row.unassigned if amount in (None, "")
             else parse_amount(amount, "amount", currency=row.credit.currency))
    if share <= 0:
        raise InvalidValue("must be more than zero", "amount")
    if share > row.unassigned:
        raise RuleBroken(f"only {row.unassigned} {row.credit.currency} of the credit is left "
                         "to assign", "amount")
    command = RecordPayment(case_id=case_id, actor=actor, occurred_on=occurred_on(row.credit),
                            amount=share, reference=row.credit.entry_reference[:100])
    recorded = service.handle(command, part_key(row.entry, f"a{len(row.assigned) + 1}"))
    assigned = (*row.assigned, Share(str(case_id), case.invoice_number, share))
    left = row.credit.amount - sum((s.amount for s in assigned), Decimal(0))
    state = State.ASSIGNED if left == 0 else State.QUEUED
    new = credits_of(service).update(row, service.clock.now(), assigned=assigned, state=state,
                                     resolved_by=actor if left == 0 else row.resolved_by)
    return new, recorded


def not_ours(service: CaseService, entry: str, reason: object, actor: str) -> CreditRow:
    """Mark a queued credit as not ours (a payment for someone else, a refund...)."""
    row = queued_row(service, entry)
    note = parse_text(reason, "reason", required_text=True)
    return credits_of(service).update(row, service.clock.now(), state=State.NOT_OURS,
                                      note=note, resolved_by=actor)
