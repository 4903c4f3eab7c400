"""The late-payment interest on a case, worked out for reading: nothing is stored.

The case's own calculation (`DebtCase.interest_calculation`, by `domain.law`): each payment
reduces the principal by the share of it that its allocation carries (`PaymentReceived.
allocation`; a payment stored before allocations counts toward the principal), from the day
after it was paid. `claim_interest` and the schedule's claim step use the same calculation.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from application.records import money_parts, plain
from domain.case import DebtCase
from domain.errors import DomainError
from domain.law import InterestCalculation


def case_interest(case: DebtCase, until: date) -> InterestCalculation:
    """Interest and compensation on the case up to and including `until`, under its own
    jurisdiction, at the contractual rate of its terms if it has one (else statutory)."""
    return case.interest_calculation(until)


def interest_view(case: DebtCase, until: date) -> dict[str, Any]:
    """For the case page: the calculation to `until` as `arrears interest --json` prints it
    (None, with `error`, when the law cannot work it out for this case), and the interest
    left unclaimed when the principal was paid in full (`money_parts`)."""
    try:
        calculation: dict[str, Any] | None = case_interest(case, until).as_json()
        error = ""
    except DomainError as refused:
        calculation, error = None, refused.message
    return {"calculation": calculation, "error": error, "until": until.isoformat(),
            "settled_until": plain(case.interest_settled_until), **money_parts(case)}


def payment_allocations(timeline: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Each payment on a timeline (read-model rows, their `details` as JSON) with what it
    paid of costs, interest and principal (`allocation` None: recorded before payments
    carried their split, and counted toward the principal)."""
    found = []
    for row in timeline:
        if row["event_type"] != "PaymentReceived":
            continue
        details = json.loads(row["details"])
        found.append({"occurred_on": row["occurred_on"],
                      "amount": details["amount"]["amount"],
                      "allocation": details.get("allocation")})
    return found
