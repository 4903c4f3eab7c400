"""When payment is due where the parties agreed no date (UK: the Late Payment Act)."""

from __future__ import annotations

from datetime import date, timedelta

from domain.errors import InvalidValue
from domain.law.rules import rules_for
from domain.law.vocabulary import Jurisdiction


def relevant_day(jurisdiction: Jurisdiction | str, *, performed_on: date, notified_on: date,
                 agreed_payment_day: date | None = None) -> date:
    """The day after which statutory interest runs (it is the due date for interest): the
    agreed payment day, or else the last of the 30 days beginning with the later of the day
    the goods or services were supplied and the day the debtor had notice of the amount."""
    rules = rules_for(jurisdiction)
    scheme = rules.scheme
    if agreed_payment_day is not None:
        return agreed_payment_day
    if not scheme.default_credit_days:
        raise InvalidValue(f"no default credit period is modelled for {rules.name}; "
                           "give the agreed payment day", "agreed_payment_day")
    return max(performed_on, notified_on) + timedelta(days=scheme.default_credit_days - 1)
