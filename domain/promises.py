"""Which promises to pay a payment keeps, decided when the payment is recorded.

A case's open promises are kept as `[amount, promised_on, paid toward it]`, in the order
they were made. A payment counts toward the open promises whose date it meets (paid on or
before the promised date), earliest made first. It comes too late for those whose date has
passed: they are broken, and no longer awaited. `PaymentReceived` carries the decision, one
`PromiseShare` per open promise, so replaying it never decides again.
"""

from __future__ import annotations

from datetime import date

from domain.money import Money
from domain.values import PromiseShare, PromiseStanding


def promise_shares(promises: list[list], payment: Money, paid_on: date) -> list[PromiseShare]:
    """One share per open promise: what this payment counts toward it, and its standing."""
    left = payment.amount
    shares = []
    for amount, promised_on, toward in promises:
        if paid_on > promised_on:
            shares.append(PromiseShare(promised_on, Money.zero(payment.currency),
                                       PromiseStanding.BROKEN.value))
            continue
        share = min(left, amount.amount - toward.amount)
        left -= share
        standing = (PromiseStanding.KEPT if toward.amount + share >= amount.amount
                    else PromiseStanding.OPEN)
        shares.append(PromiseShare(promised_on, Money(share, payment.currency), standing.value))
    return shares


def shared_as_before_version_2(promises: list[list], payment: Money) -> list[list]:
    """The open promises after a payment stored before version 2 of `PaymentReceived`.

    Such a payment carries no decision: it went to every open promise, earliest made first,
    whatever its date. Frozen here so that old cases replay to the state they had.
    """
    left = payment.amount
    still_open = []
    for amount, promised_on, toward in promises:
        share = min(left, amount.amount - toward.amount)
        left -= share
        if toward.amount + share < amount.amount:
            still_open.append([amount, promised_on, Money(toward.amount + share,
                                                          toward.currency)])
    return still_open

