"""Timeline and audit wording of the statutory demand and of settlement offers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from domain.law.dates import long_date
from domain.offer_steps import OfferAccepted, OfferWithdrawn, SettlementOffered
from domain.offers import OfferKind
from domain.statutory_demands import StatutoryDemandServed


def _offered(e: SettlementOffered) -> str:
    if e.kind == OfferKind.DISCOUNT:
        off = f"{e.percent}%" if e.percent is not None else str(e.discount)
        return (f"Prompt-payment discount offered: {off} off, {e.amount} in full settlement "
                f"if paid by {e.expires_on.isoformat()}")
    return (f"Settlement offered: {e.amount} in full settlement, open until "
            f"{e.expires_on.isoformat()}")


def _served(e: StatutoryDemandServed) -> str:
    return (f"Statutory demand for {e.amount} served; {e.period_days} days to pay, until "
            f"{long_date(e.deadline)}")


SUMMARIES: dict[type, Callable[[Any], str]] = {
    StatutoryDemandServed: _served,
    SettlementOffered: _offered,
    OfferAccepted: lambda e: f"Offer accepted: settlement of {e.amount} agreed, to pay by "
                             f"{e.pay_by.isoformat()}",
    OfferWithdrawn: lambda e: "Offer withdrawn" + (f": {e.reason}" if e.reason else ""),
}
