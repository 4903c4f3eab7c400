"""The default claim step: late-payment interest and fixed sums by `domain.law`, each period
claimed once however often the schedule (or a person) claims.

What was claimed is read from the case's events: interest is claimed from the day after the
last interest period already applied (a line that straddles it is cut there); the fixed
compensation and a contractual late fee only if none was ever applied. An interest penalty
applied without a period says nothing of what it covered: then interest is left to a person.

Payments reduce the principal by their share of it, split in the jurisdiction's order
(`domain.law.allocate_payment`). Until `PaymentReceived` carries its split, the split is
worked out here from the events in their order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from application.commands import ApplyPenalty
from application.schedule.hooks import SCHEDULE_ACTOR, InterestClaim
from domain import events as ev
from domain.case import DebtCase
from domain.law import (
    InterestLine,
    Jurisdiction,
    Owed,
    PrincipalPayment,
    allocate_payment,
    calculate_interest,
)
from domain.law.interest import interest_line
from domain.limits import text_limit
from domain.money import Money
from domain.penalties import INTEREST_KINDS
from domain.values import PenaltyKind

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Claimed:
    """What the case's events say was claimed already."""

    interest_until: date | None  # the last day of interest applied with a period
    interest_without_period: bool
    kinds: frozenset[str]  # every kind of penalty ever applied


def claimed(history: Sequence[ev.CaseEvent]) -> Claimed:
    applied = [e for e in history if isinstance(e, ev.PenaltyApplied)]
    interest = [e for e in applied if e.kind in INTEREST_KINDS]
    ends = [e.period_end for e in interest if e.period_end is not None]
    return Claimed(max(ends, default=None), any(e.period_end is None for e in interest),
                   frozenset(e.kind for e in applied))


def principal_payments(case: DebtCase, history: Sequence[ev.CaseEvent],
                       jurisdiction: Jurisdiction) -> tuple[PrincipalPayment, ...]:
    """Each payment's share of the principal, split in the jurisdiction's order."""
    zero = Money.zero(case.currency)
    costs, interest, principal = zero, zero, case.invoice_amount
    shares = []
    for event in history:
        if isinstance(event, ev.PenaltyApplied | ev.PenaltyWaived):
            sign = 1 if isinstance(event, ev.PenaltyApplied) else -1
            amount = Money(event.amount.amount * sign, event.amount.currency)
            if event.kind in INTEREST_KINDS:
                interest = interest + amount
            else:
                costs = costs + amount
        elif isinstance(event, ev.PaymentReceived):
            split = allocate_payment(event.amount, Owed(costs, interest, principal),
                                     jurisdiction=jurisdiction)
            costs, interest = costs - split.costs, interest - split.interest
            principal = principal - split.principal
            if split.principal.is_positive:
                shares.append(PrincipalPayment(event.occurred_on, split.principal))
    return tuple(shares)


class StatutoryInterestClaimer:
    """Claims what `domain.law.calculate_interest` gives and the case has not yet claimed."""

    def claim(self, case: DebtCase, history: Sequence[ev.CaseEvent], jurisdiction: Jurisdiction,
              today: date) -> InterestClaim:
        before = claimed(history)
        contract_rate = case.terms.interest_rate
        calculation = calculate_interest(
            jurisdiction=jurisdiction, debtor=case.debtor.kind, principal=case.invoice_amount,
            due_date=case.due_date, until=today,
            payments=principal_payments(case, history, jurisdiction),
            contract_rate=contract_rate)
        kind = (PenaltyKind.STATUTORY_INTEREST if contract_rate is None
                else PenaltyKind.CONTRACTUAL_INTEREST)
        penalties = []
        if before.interest_without_period:
            notes = ["Interest was applied without a period: claim any more by hand."]
        else:
            lines = unclaimed(calculation.lines, before.interest_until)
            penalties += [self._interest(case, line, kind, calculation.basis, today)
                          for line in lines if line.amount.is_positive]
            notes = [] if penalties else ["No interest to claim."]
        if calculation.compensation.is_positive and PenaltyKind.COMPENSATION not in before.kinds:
            penalties.append(self._fixed(case, PenaltyKind.COMPENSATION,
                                         calculation.compensation, calculation.basis, today))
        late_fee = case.terms.late_fee
        if late_fee is not None and PenaltyKind.LATE_FEE not in before.kinds:
            penalties.append(self._fixed(case, PenaltyKind.LATE_FEE, late_fee,
                                         "Late fee under the case's terms.", today))
        notes.append(calculation.basis)
        return InterestClaim(tuple(penalties), " ".join(notes))

    def _interest(self, case: DebtCase, line: InterestLine, kind: PenaltyKind, basis: str,
                  today: date) -> ApplyPenalty:
        return ApplyPenalty(case_id=case.id, actor=SCHEDULE_ACTOR, occurred_on=today, kind=kind,
                            amount=line.amount.amount, rate=line.rate, period_start=line.from_,
                            period_end=line.to, basis=fitted(basis))

    def _fixed(self, case: DebtCase, kind: PenaltyKind, amount: Money, basis: str,
               today: date) -> ApplyPenalty:
        return ApplyPenalty(case_id=case.id, actor=SCHEDULE_ACTOR, occurred_on=today, kind=kind,
                            amount=amount.amount, basis=fitted(basis))


def unclaimed(lines: Sequence[InterestLine], until: date | None) -> tuple[InterestLine, ...]:
    """The lines, or their parts, after `until` (the last day already claimed)."""
    if until is None:
        return tuple(lines)
    kept = []
    for line in lines:
        if line.from_ > until:
            kept.append(line)
        elif line.to > until:
            kept.append(interest_line(until + ONE_DAY, line.to, line.principal, line.rate))
    return tuple(kept)


def fitted(basis: str) -> str:
    """The basis within its field's limit, cut after the last whole sentence that fits."""
    limit, _ = text_limit("basis")
    if len(basis) <= limit:
        return basis
    cut = basis.rfind(". ", 0, limit)
    return basis[:cut + 1] if cut > 0 else basis[:limit]
