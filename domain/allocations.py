"""What a payment pays on a case: costs, interest and principal, decided once when it is
recorded (`DebtCase.record_payment`) and carried in `PaymentReceived.allocation`.

Costs are the compensation and late fees applied (less waived), interest the interest
penalties applied (less waived), principal the invoice amount; each less what payments
already paid of it. The split follows the case's jurisdiction (`domain.law.allocate_payment`,
by default compensation, then interest, then principal, as § 367(1) BGB).

A payment stored before payments carried their split (`allocation` None, `PaymentReceived`
version 2 and older) is read as Arrears showed it then: toward the principal, up to what
was left of it; anything beyond that (never the case in practice: a payment was at most the
outstanding balance) toward costs, then interest.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from domain.law import Allocation, Bucket, Jurisdiction, Owed, allocate_payment
from domain.money import Money
from domain.penalties import INTEREST_KINDS
from domain.values import PenaltyKind

if TYPE_CHECKING:
    from domain.case import DebtCase

COST_KINDS = frozenset({PenaltyKind.COMPENSATION, PenaltyKind.LATE_FEE})
BEFORE_VERSION_3 = (Bucket.PRINCIPAL, Bucket.COSTS, Bucket.INTEREST)


def owed_parts(case: DebtCase) -> Owed:
    """What is still owed of each part before the next payment (never below zero)."""
    zero = Money.zero(case.currency)

    def applied(kinds: frozenset[PenaltyKind]) -> Money:
        return sum((amount for kind, amount in case.penalties_by_kind.items()
                    if kind in kinds), zero)

    def left(total: Money, paid: Money) -> Money:
        return max(total - paid, zero)

    return Owed(costs=left(applied(COST_KINDS), case.costs_paid),
                interest=left(applied(INTEREST_KINDS), case.interest_paid),
                principal=left(case.invoice_amount, case.principal_paid))


def allocate(case: DebtCase, amount: Money) -> Allocation:
    """The split of a new payment, in the case's jurisdiction's order."""
    return allocate_payment(amount, owed_parts(case),
                            jurisdiction=Jurisdiction(case.jurisdiction))


def allocated_as_before_version_3(case: DebtCase, amount: Money) -> Allocation:
    """An old payment (no allocation stored): toward the principal first, as it was shown."""
    return allocate_payment(amount, owed_parts(case), jurisdiction=case.jurisdiction,
                            order=BEFORE_VERSION_3)
