"""Offering, accepting and withdrawing a settlement offer or prompt-payment discount
(see `domain.offers`)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from domain.errors import InvalidValue, RuleBroken
from domain.events import CaseEvent
from domain.law.dates import long_date
from domain.money import Money
from domain.offers import Offer, OfferKind, discounted
from domain.rules import check_not_before, optional_text
from domain.values import Stamp

if TYPE_CHECKING:
    from domain.case import DebtCase


class SettlementOffered(CaseEvent):
    """An offer: `amount` accepted in full settlement if taken up by `expires_on`.
    `kind`: settlement or discount; a discount's `discount` (and `percent`, if given so)
    off the `outstanding` balance of the day it was made."""

    kind: str
    amount: Money
    expires_on: date
    outstanding: Money
    discount: Money | None
    percent: Decimal | None

    def apply(self, case: DebtCase) -> None:
        case.offer = Offer(self.kind, self.amount, self.expires_on, self.discount, self.percent)


class OfferAccepted(CaseEvent):
    """The debtor took up the offer by its expiry date: a settlement of `amount` is agreed,
    to pay by `pay_by` (the offer's expiry date), as `SettlementAgreed` agrees one."""

    kind: str
    amount: Money
    pay_by: date

    def apply(self, case: DebtCase) -> None:
        case.offer = None
        case.settlement = self.amount
        case.settle_by = self.pay_by
        case.paid_at_settlement = case.paid


class OfferWithdrawn(CaseEvent):
    reason: str

    def apply(self, case: DebtCase) -> None:
        case.offer = None


class OfferCommands:
    """Mixed into `DebtCase`: offers of less than is outstanding, with an expiry date."""

    def offer_settlement(self: DebtCase, *, amount: Money, expires_on: date,
                         stamp: Stamp) -> None:
        """Offer to accept `amount`, less than is outstanding, if taken up by `expires_on`."""
        stamp = self._check_offer(expires_on, stamp)
        amount = self._amount(amount)
        if amount.amount >= self.outstanding.amount:
            raise InvalidValue(f"an offer is for less than the outstanding {self.outstanding}",
                               "amount")
        self._record(SettlementOffered, stamp, kind=OfferKind.SETTLEMENT.value, amount=amount,
                     expires_on=expires_on, outstanding=self.outstanding, discount=None,
                     percent=None)

    def offer_discount(self: DebtCase, *, expires_on: date, percent: Decimal | None = None,
                       amount: Money | None = None, stamp: Stamp) -> None:
        """Offer `percent` (or `amount`) off the outstanding balance if paid in full by
        `expires_on`."""
        stamp = self._check_offer(expires_on, stamp)
        off = None if amount is None else self._amount(amount)
        if off is not None and off.amount >= self.outstanding.amount:
            raise InvalidValue(f"a discount must be less than the outstanding {self.outstanding}",
                               "amount")
        pay, off = discounted(self.outstanding, percent, off)
        if not pay.is_positive or not off.is_positive:
            raise InvalidValue(f"{percent}% of {self.outstanding} leaves nothing to pay or "
                               "nothing off", "percent")
        self._record(SettlementOffered, stamp, kind=OfferKind.DISCOUNT.value, amount=pay,
                     expires_on=expires_on, outstanding=self.outstanding, discount=off,
                     percent=percent)

    def accept_offer(self: DebtCase, *, stamp: Stamp) -> None:
        """The debtor takes up the open offer: a settlement is agreed, to pay by its expiry
        date, and paying it settles the case. Refused once it has expired, or if it is no
        longer less than is outstanding."""
        stamp = self._check_open(stamp)
        offer = self._open_offer("accept")
        if offer.expired_on(stamp.occurred_on):
            raise RuleBroken(f"the offer expired on {long_date(offer.expires_on)}; it can no "
                             "longer be accepted", "case")
        if offer.amount.amount >= self.outstanding.amount:
            raise RuleBroken(f"the offer of {offer.amount} is no longer less than the "
                             f"outstanding {self.outstanding}; withdraw it", "case")
        self._record(OfferAccepted, stamp, kind=offer.kind, amount=offer.amount,
                     pay_by=offer.expires_on)

    def withdraw_offer(self: DebtCase, *, reason: str = "", stamp: Stamp) -> None:
        """Withdraw the offer (open or expired): it can no longer be accepted."""
        stamp = self._check_open(stamp)
        self._open_offer("withdraw")
        self._record(OfferWithdrawn, stamp, reason=optional_text(reason, "reason"))

    def _check_offer(self: DebtCase, expires_on: date, stamp: Stamp) -> Stamp:
        stamp = self._check_open(stamp)
        check_not_before(expires_on, stamp.occurred_on, "expires_on", "the day of the offer")
        if self.offer is not None and not self.offer.expired_on(stamp.occurred_on):
            raise RuleBroken(f"an offer is already open ({self.offer.describe()}); withdraw "
                             "it first", "case")
        return stamp

    def _open_offer(self: DebtCase, what: str) -> Offer:
        if self.offer is None:
            raise RuleBroken(f"there is no offer to {what}", "case")
        return self.offer
