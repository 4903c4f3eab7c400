"""Settlement offers and prompt-payment discounts: less than is outstanding, accepted in
full settlement if taken up by the offer's expiry date.

Both kinds are one offer: `amount` is what the debtor pays, decided when it is made (for a
discount: the outstanding balance less a percentage or a sum). An offer is open until it is
accepted, withdrawn, replaced or past its expiry date; an expired offer cannot be accepted.
Accepting it agrees the settlement (`OfferAccepted` assigns what `SettlementAgreed` does,
to pay by the expiry date), so paying the amount settles the case as an agreed settlement
does (`CaseSettled`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from domain.errors import InvalidValue
from domain.law.dates import long_date
from domain.money import Money


class OfferKind(StrEnum):
    SETTLEMENT = "settlement"  # an amount accepted in full settlement
    DISCOUNT = "discount"      # a prompt-payment discount: so much off if paid in full in time


@dataclass(frozen=True)
class Offer:
    """An offer made: what the debtor pays to settle, by when. `percent` and `discount`:
    for a discount, how it was given and what it takes off."""

    kind: str
    amount: Money
    expires_on: date
    discount: Money | None = None
    percent: Decimal | None = None

    def expired_on(self, day: date) -> bool:
        """Expired on `day`: after its expiry date (it may be taken up on that date)."""
        return day > self.expires_on

    def describe(self) -> str:
        pay = f"{self.amount} in full settlement"
        if self.kind == OfferKind.DISCOUNT:
            off = f"{self.percent}%" if self.percent is not None else str(self.discount)
            pay += f" ({off} off for prompt payment)"
        return f"{pay}, open until {long_date(self.expires_on)}"


MAX_PERCENT = Decimal(100)


def discounted(outstanding: Money, percent: Decimal | None,
               off: Money | None) -> tuple[Money, Money]:
    """The amount to pay and the discount: `percent` of the outstanding balance (rounded half
    up to the minor unit) or the sum `off`, exactly one of them."""
    if (percent is None) == (off is None):
        raise InvalidValue("give either a percentage or an amount off", "percent")
    if off is None:
        if percent is None or not Decimal(0) < percent < MAX_PERCENT:
            raise InvalidValue("must be more than 0 and less than 100 percent", "percent")
        off = (outstanding * (percent / 100)).rounded()
    return outstanding - off, off
