"""The statutory demand, settlement offers and prompt-payment discounts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import click

from application.commands import (
    AcceptOffer,
    OfferDiscount,
    OfferSettlement,
    ServeStatutoryDemand,
    WithdrawOffer,
)
from cli.casecommand import Fields, case_command
from cli.options import amount, day, text
from cli.params import PERCENT

_EXPIRES = "The last day the offer may be taken up (YYYY-MM-DD, not before --on)."


@case_command("statutory-demand", ServeStatutoryDemand)
def statutory_demand() -> Fields:
    """Serve a statutory demand (the insolvency step).

    For all that is outstanding, with its 21-day period to pay. Refused (exit 1,
    with the reason) on a disputed debt, below the thresholds (England and Wales:
    more than GBP 750 owed by a business debtor, at least GBP 5,000 by an
    individual), under a jurisdiction without them, on hold, or while the period of
    one already served runs.
    """
    return {}


@case_command("offer-settlement", OfferSettlement)
@amount("What is accepted in full settlement, less than is outstanding.")
@day("--expires", "expires_on", _EXPIRES)
def offer_settlement(amount: Decimal, expires_on: date) -> Fields:
    """Offer a settlement: less than is outstanding, if taken up by --expires.

    Once accepted (accept-offer, by --expires), paying the amount settles the case.
    An expired offer cannot be accepted.
    """
    return {"amount": amount, "expires_on": expires_on}


@case_command("offer-discount", OfferDiscount)
@click.option("--percent", type=PERCENT, default=None,
              help="Percent off the outstanding balance, e.g. 2.5.")
@amount("The sum off the outstanding balance.", required=False)
@day("--expires", "expires_on", _EXPIRES)
def offer_discount(percent: Decimal | None, amount: Decimal | None,
                   expires_on: date) -> Fields:
    """Offer a prompt-payment discount: --percent or --amount off if paid in full by
    --expires.

    The amount to pay is decided now, from the outstanding balance (rounded half up
    to the minor unit). Accepted (accept-offer, by --expires), paying it settles the case.
    """
    return {"percent": percent, "amount": amount, "expires_on": expires_on}


@case_command("accept-offer", AcceptOffer)
def accept_offer() -> Fields:
    """Accept the open offer: the settlement is agreed, to pay by its expiry date.

    Refused (exit 1) once the offer has expired, or when there is none.
    """
    return {}


@case_command("withdraw-offer", WithdrawOffer)
@text("--reason", "Why it is withdrawn.")
def withdraw_offer(reason: str) -> Fields:
    """Withdraw the offer: it can no longer be accepted."""
    return {"reason": reason}


COMMANDS = [statutory_demand, offer_settlement, offer_discount, accept_offer, withdraw_offer]
