"""The result of an interest calculation, line by line, and its JSON form."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from domain.money import Money

CENT = Decimal("0.01")


@dataclass(frozen=True)
class PrincipalPayment:
    """Part of the principal paid on a day; it stops bearing interest the day after."""

    on: date
    amount: Money


@dataclass(frozen=True)
class InterestLine:
    """Simple interest on one principal at one annual rate (percent), `from_` to `to`."""

    from_: date
    to: date
    days: int
    principal: Money
    rate: Decimal
    amount: Money

    def as_json(self) -> dict[str, str | int]:
        return {"from": self.from_.isoformat(), "to": self.to.isoformat(), "days": self.days,
                "principal": amount_text(self.principal), "rate": percent_text(self.rate),
                "amount": amount_text(self.amount)}


@dataclass(frozen=True)
class InterestCalculation:
    """Interest line by line (the total is the sum of the rounded lines), the fixed sum the
    law adds, and the basis: a sentence citing the statute or contract and the rate."""

    currency: str
    lines: tuple[InterestLine, ...]
    interest: Money
    compensation: Money
    basis: str

    def as_json(self) -> dict[str, Any]:
        """`{"currency", "lines": [...], "interest", "compensation", "basis"}`, as the CLI
        prints it: ISO dates, amounts and annual rates (percent) as decimal strings."""
        return {"currency": self.currency, "lines": [line.as_json() for line in self.lines],
                "interest": amount_text(self.interest),
                "compensation": amount_text(self.compensation), "basis": self.basis}


def amount_text(money: Money) -> str:
    """'1234.50': the amount in its minor units, no grouping."""
    return format(money.rounded().amount, "f")


def percent_text(rate: Decimal) -> str:
    """'13.25', '8.10', '7.125': at least two decimals, never an exponent."""
    if rate == rate.quantize(CENT):
        return format(rate.quantize(CENT), "f")
    return format(rate.normalize(), "f")
