"""Money: a Decimal amount with its ISO 4217 currency. Never a float."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from domain.errors import CurrencyMismatch, InvalidValue

# Minor units per currency; anything not listed has two.
_MINOR_UNITS = {"JPY": 0, "KRW": 0, "ISK": 0, "HUF": 2, "BHD": 3, "KWD": 3, "TND": 3}


def minor_units(currency: str) -> int:
    """How many decimal places the currency uses."""
    return _MINOR_UNITS.get(currency, 2)


def check_currency(code: str, field: str = "currency") -> str:
    """Return the upper-cased ISO 4217 code, or refuse it."""
    code = (code or "").strip().upper()
    if len(code) != 3 or not code.isalpha():
        raise InvalidValue(f"'{code}' is not a three-letter ISO 4217 currency code", field)
    return code


@dataclass(frozen=True, order=True)
class Money:
    """An amount of one currency. Arithmetic is exact; rounding happens once, in `rounded()`."""

    amount: Decimal
    currency: str

    @classmethod
    def of(cls, amount: str | int | Decimal, currency: str, field: str = "amount") -> Money:
        """Parse user input into Money, rounded to the currency's minor units."""
        try:
            value = Decimal(str(amount).strip().replace(",", ""))
        except (InvalidOperation, ValueError):
            raise InvalidValue(f"'{amount}' is not a number", field) from None
        if not value.is_finite():
            raise InvalidValue(f"'{amount}' is not a finite number", field)
        return cls(value, check_currency(currency)).rounded()

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(Decimal(0), currency).rounded()

    def rounded(self) -> Money:
        """Round half up to the currency's minor units (the one rounding step)."""
        exponent = Decimal(1).scaleb(-minor_units(self.currency))
        return Money(self.amount.quantize(exponent, rounding=ROUND_HALF_UP), self.currency)

    def _same(self, other: Money) -> None:
        if other.currency != self.currency:
            raise CurrencyMismatch(
                f"{other.currency} cannot be combined with {self.currency}", "currency"
            )

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount - other.amount, self.currency)

    def __mul__(self, factor: Decimal | int) -> Money:
        if isinstance(factor, float):
            raise TypeError("Money is never multiplied by a float; use a Decimal")
        return Money(self.amount * Decimal(factor), self.currency)

    @property
    def is_positive(self) -> bool:
        return self.amount > 0

    @property
    def is_zero(self) -> bool:
        return self.amount == 0

    def __str__(self) -> str:
        return f"{self.currency} {self.rounded().amount:,}"
