"""Payment allocation: a payment pays costs, interest and principal in a configured order.

The default order is each jurisdiction's (`data/jurisdictions.toml`): compensation and fees
first, then interest, then principal, as § 367(1) BGB. The command decides the split once
and carries it in its event; nothing recomputes it later.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from domain.errors import CurrencyMismatch, InvalidValue
from domain.law.rules import check_order, rules_for
from domain.law.vocabulary import Bucket, Jurisdiction
from domain.money import Money


@dataclass(frozen=True)
class Owed:
    """What is outstanding before the payment, by part."""

    costs: Money
    interest: Money
    principal: Money

    def of(self, bucket: Bucket) -> Money:
        parts = {Bucket.COSTS: self.costs, Bucket.INTEREST: self.interest,
                 Bucket.PRINCIPAL: self.principal}
        return parts[bucket]


@dataclass(frozen=True)
class Allocation:
    """How one payment was split; `unallocated` is what exceeded everything owed."""

    order: tuple[Bucket, ...]
    costs: Money
    interest: Money
    principal: Money
    unallocated: Money


def allocation_order(jurisdiction: Jurisdiction | str) -> tuple[Bucket, ...]:
    """The jurisdiction's order, e.g. (costs, interest, principal)."""
    return rules_for(jurisdiction).allocation


def allocate_payment(payment: Money, owed: Owed, *, jurisdiction: Jurisdiction | str,
                     order: Sequence[Bucket | str] | None = None) -> Allocation:
    """Split `payment` over `owed` in `order` (default: the jurisdiction's)."""
    buckets = (allocation_order(jurisdiction) if order is None
               else tuple(Bucket(str(word)) for word in order))
    check_order(buckets)
    _check(payment, owed)
    left = payment
    shares: dict[Bucket, Money] = {}
    for bucket in buckets:
        share = min(left, owed.of(bucket))
        shares[bucket] = share
        left = left - share
    return Allocation(buckets, shares[Bucket.COSTS], shares[Bucket.INTEREST],
                      shares[Bucket.PRINCIPAL], left)


def _check(payment: Money, owed: Owed) -> None:
    if not payment.is_positive:
        raise InvalidValue("must be more than zero", "amount")
    for bucket in Bucket:
        part = owed.of(bucket)
        if part.currency != payment.currency:
            raise CurrencyMismatch(f"is in {part.currency}, but the payment is in "
                                   f"{payment.currency}", bucket.value)
        if part.amount < 0:
            raise InvalidValue("must not be negative", bucket.value)
