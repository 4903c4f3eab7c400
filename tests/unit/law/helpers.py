"""Small builders for the law tests."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from domain.law import InterestCalculation, PrincipalPayment, calculate_interest
from domain.money import Money


def gbp(amount: str) -> Money:
    return Money.of(amount, "GBP")


def eur(amount: str) -> Money:
    return Money.of(amount, "EUR")


def paid(on: date, amount: Money) -> PrincipalPayment:
    return PrincipalPayment(on, amount)


def interest(jurisdiction: str, debtor: str, principal: Money, due: date, until: date,
             payments: tuple[PrincipalPayment, ...] = (),
             contract_rate: str | None = None) -> InterestCalculation:
    rate = None if contract_rate is None else Decimal(contract_rate)
    return calculate_interest(jurisdiction=jurisdiction, debtor=debtor, principal=principal,
                              due_date=due, until=until, payments=payments,
                              contract_rate=rate)


def rows(calculation: InterestCalculation) -> list[tuple[str, str, int, str, str, str]]:
    """Each line as (from, to, days, principal, rate, amount) strings, as the JSON has them."""
    return [tuple(line.as_json().values()) for line in calculation.lines]  # type: ignore[misc]
