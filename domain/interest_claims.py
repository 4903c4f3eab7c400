"""Late-payment interest on a case: worked out by `domain.law`, claimed as penalties, each
period once, and never silently dropped.

The calculation runs on the case's own state: the invoice amount, the due date, the
jurisdiction, the debtor's kind, the contract rate of its terms, and the principal each
payment paid (`principal_payments`, from the allocation each `PaymentReceived` carries).

`claim_interest` records one `PenaltyApplied` per line not yet claimed (its period, days,
principal, rate, amount and basis), the fixed compensation and a contractual late fee once
ever. What was claimed (or waived) is the case's state: interest is claimed from the day after
the last interest period applied or waived; an interest penalty applied without a period
says nothing of what it covered, so then interest is left to a person.

When a payment pays the principal in full while interest accrued to that day and was neither
claimed nor waived, the case does not close as paid (`unclaimed_interest`): it is claimed
(`claim_interest`) or given up explicitly (`waive_interest`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from domain import events as ev
from domain.errors import RuleBroken
from domain.law import InterestCalculation, InterestLine, Jurisdiction, RateUnknown
from domain.law import calculate_interest as law_interest
from domain.law.dates import ONE_DAY, long_date
from domain.law.interest import interest_line
from domain.limits import text_limit
from domain.money import MAX_AMOUNT, Money
from domain.penalties import check_penalty
from domain.rules import check_at_most, check_text
from domain.values import PenaltyKind, Stamp

if TYPE_CHECKING:
    from domain.case import DebtCase

NOTHING_TO_CLAIM = "nothing to claim"

NO_INTEREST = "No interest to claim."  # the note of a claim that finds nothing


@dataclass(frozen=True)
class InterestClaim:
    """What a claim up to `until` would record: the interest lines not yet claimed, the
    fixed sums never applied, and the basis; `note` says why when it records nothing."""

    until: date
    kind: PenaltyKind
    lines: tuple[InterestLine, ...]
    fixed: tuple[tuple[PenaltyKind, Money, str], ...]
    basis: str
    note: str

    @property
    def is_empty(self) -> bool:
        return not self.lines and not self.fixed


@dataclass(frozen=True)
class UnclaimedInterest:
    """Interest accrued to the day the principal was paid in full, neither claimed nor
    waived: the case stays open until it is claimed or waived."""

    amount: Money
    from_: date
    to: date
    lines: tuple[InterestLine, ...]

    @property
    def message(self) -> str:
        return (f"interest of {self.amount} to {long_date(self.to)} not claimed: "
                "claim it or waive it")


class InterestCommands:
    """Mixed into `DebtCase`: the interest on the case, claimed or waived."""

    def interest_calculation(self: DebtCase, until: date,
                             with_compensation: bool = True) -> InterestCalculation:
        """Interest (and the fixed sum) on the case up to and including `until`, on the
        principal outstanding each day, under its jurisdiction or its contract rate."""
        return law_interest(
            jurisdiction=Jurisdiction(self.jurisdiction), debtor=self.debtor.kind,
            principal=self.invoice_amount, due_date=self.due_date, until=until,
            payments=tuple(self.principal_payments), contract_rate=self.terms.interest_rate,
            with_compensation=with_compensation)

    @property
    def interest_settled_until(self: DebtCase) -> date | None:
        """The last day of interest claimed or waived (None: none yet)."""
        days = [d for d in (self.interest_claimed_until, self.interest_waived_until) if d]
        return max(days, default=None)

    def interest_claim(self: DebtCase, until: date) -> InterestClaim:
        """What `claim_interest` would record up to `until`; pure, records nothing."""
        calculation = self.interest_calculation(until)
        kind = (PenaltyKind.STATUTORY_INTEREST if self.terms.interest_rate is None
                else PenaltyKind.CONTRACTUAL_INTEREST)
        basis = fitted(calculation.basis)
        lines: tuple[InterestLine, ...] = ()
        note = ""
        if self.interest_without_period:
            note = "Interest was applied without a period: claim any more by hand."
        else:
            lines = tuple(line for line in unclaimed(calculation.lines,
                                                     self.interest_settled_until)
                          if line.amount.is_positive)
        fixed = []
        if (calculation.compensation.is_positive
                and PenaltyKind.COMPENSATION not in self.penalty_kinds):
            fixed.append((PenaltyKind.COMPENSATION, calculation.compensation, basis))
        if self.terms.late_fee is not None and PenaltyKind.LATE_FEE not in self.penalty_kinds:
            fixed.append((PenaltyKind.LATE_FEE, self.terms.late_fee,
                          "Late fee under the case's terms."))
        if not lines and not note:
            note = NO_INTEREST
        return InterestClaim(until, kind, lines, tuple(fixed), basis, note)

    def claim_interest(self: DebtCase, *, until: date | None = None, stamp: Stamp) -> None:
        """Claim the interest not yet claimed up to `until` (default: the day of the claim)
        and the fixed sums never applied, each as a penalty carrying its calculation.
        Nothing to claim records nothing."""
        stamp = self._check_open(stamp)
        until = stamp.occurred_on if until is None else until
        _check_until(until, stamp.occurred_on)
        claim = self.interest_claim(until)
        for line in claim.lines:
            self._claim_penalty(claim.kind, line.amount, stamp, rate=line.rate,
                                period_start=line.from_, period_end=line.to,
                                principal=line.principal, basis=claim.basis)
        for kind, amount, basis in claim.fixed:
            self._claim_penalty(kind, amount, stamp, basis=basis)

    def _claim_penalty(self: DebtCase, kind: PenaltyKind, amount: Money, stamp: Stamp, *,
                       rate: Decimal | None = None, period_start: date | None = None,
                       period_end: date | None = None, principal: Money | None = None,
                       basis: str) -> None:
        amount = self._amount(amount.rounded())
        word, days = check_penalty(self, kind, rate, period_start, period_end,
                                   stamp.occurred_on)
        check_at_most(self.outstanding + amount, Money(MAX_AMOUNT, self.currency),
                      "largest balance a case may have")
        self._record(ev.PenaltyApplied, stamp, kind=word, amount=amount, rate=rate,
                     period_start=period_start, period_end=period_end, days=days,
                     basis=basis, principal=principal)

    def unclaimed_interest(self: DebtCase) -> UnclaimedInterest | None:
        """Interest accrued to the day the principal was paid in full and neither claimed nor
        waived (None: the principal is not paid in full, or nothing is left unclaimed).

        Interest applied without a period is left to a person (None); so is a case whose
        rates `domain.law` does not know for those days (`RateUnknown`).
        """
        if self.principal_paid < self.invoice_amount or not self.principal_payments:
            return None
        if self.interest_without_period:
            return None
        paid_on = self.principal_payments[-1].on
        try:
            calculation = self.interest_calculation(paid_on, with_compensation=False)
        except RateUnknown:
            return None
        lines = tuple(line for line in unclaimed(calculation.lines, self.interest_settled_until)
                      if line.amount.is_positive)
        if not lines:
            return None
        total = sum((line.amount for line in lines), Money.zero(self.currency))
        return UnclaimedInterest(total, lines[0].from_, paid_on, lines)

    def waive_interest(self: DebtCase, *, reason: str, until: date | None = None,
                       stamp: Stamp) -> None:
        """Give up, explicitly and with a reason, the interest accrued and not claimed up to
        `until` (default: the day the principal was paid in full, else the day of the
        waiver); the case then closes if nothing is outstanding."""
        stamp = self._check_open(stamp)
        reason = check_text(reason, "reason")
        if until is None:
            pending = self.unclaimed_interest()
            until = pending.to if pending else stamp.occurred_on
        _check_until(until, stamp.occurred_on)
        calculation = self.interest_calculation(until, with_compensation=False)
        lines = [line for line in unclaimed(calculation.lines, self.interest_settled_until)
                 if line.amount.is_positive]
        if self.interest_without_period or not lines:
            raise RuleBroken(f"no unclaimed interest to waive up to {until.isoformat()}",
                             "until")
        total = sum((line.amount for line in lines), Money.zero(self.currency))
        self._record(ev.InterestWaived, stamp, period_start=lines[0].from_, period_end=until,
                     amount=total, reason=reason, basis=fitted(calculation.basis))
        self._close_if_done(stamp)


def _check_until(until: date, claimed_on: date) -> None:
    if until > claimed_on:
        raise RuleBroken(f"interest cannot be claimed or waived beyond the day it is "
                         f"recorded ({claimed_on.isoformat()})", "until")


def unclaimed(lines: Sequence[InterestLine], until: date | None) -> tuple[InterestLine, ...]:
    """The lines, or their parts, after `until` (the last day already claimed or waived)."""
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
