"""Money: a Decimal amount with its ISO 4217 currency. Never a float."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache

from domain.currencies import currencies_in_use, minor_units
from domain.errors import CurrencyMismatch, InvalidValue

__all__ = ["MAX_AMOUNT", "Money", "check_amount", "check_currency", "minor_units"]

# The largest amount Arrears takes: it fits every store and read model (integer minor units
# in a 64-bit column, with room for penalties and totals).
MAX_AMOUNT = Decimal("999999999999.99")
ROUNDING = ROUND_HALF_UP  # the one rounding of computed amounts (`Money.rounded`)
_UNIT = Decimal(1)


def check_currency(code: str, field: str = "currency") -> str:
    """Return the upper-cased ISO 4217 code of a currency in use, or refuse it."""
    code = str(code or "").strip().upper()
    if code not in currencies_in_use():
        raise InvalidValue(f"'{code}' is not an ISO 4217 currency in use (e.g. EUR, GBP, USD)",
                           field)
    return code


def check_amount(value: Decimal, currency: str, field: str = "amount") -> Decimal:
    """A finite amount with no more decimals than the currency has, at most MAX_AMOUNT.

    More decimals are refused, never rounded: 100.555 EUR is a typing error, not 100.56.
    """
    if not value.is_finite():
        raise InvalidValue(f"'{value}' is not a finite number", field)
    if abs(value) > MAX_AMOUNT:  # first: quantizing a huge value overflows the context
        raise InvalidValue(f"must be at most {MAX_AMOUNT:,}", field)
    places = minor_units(currency)
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > places and value != value.quantize(
            Decimal(1).scaleb(-places)):
        unit = "no minor unit" if places == 0 else f"{places} decimal places"
        raise InvalidValue(f"{value} has more decimals than {currency} allows ({unit})", field)
    return value


@dataclass(frozen=True, order=True)
class Money:
    """An amount of one currency. Arithmetic is exact; rounding happens once, in `rounded()`."""

    amount: Decimal
    currency: str

    @classmethod
    def of(cls, amount: str | int | Decimal, currency: str, field: str = "amount") -> Money:
        """Money from a plain decimal ("120.50"), checked by `check_amount`; never rounded.

        People's input goes through `application.parsing`, which also takes separators.
        """
        if isinstance(amount, float):
            raise TypeError("Money is never made from a float; use a Decimal or a string")
        try:
            value = Decimal(str(amount).strip())
        except (InvalidOperation, ValueError):
            raise InvalidValue(f"'{amount}' is not a number", field) from None
        currency = check_currency(currency)
        return cls(check_amount(value, currency, field), currency).rounded()

    @classmethod
    def zero(cls, currency: str) -> Money:
        return _zero(currency)

    def rounded(self) -> Money:
        """Round half up to the currency's minor units (the one rounding step)."""
        exponent = Decimal(1).scaleb(-minor_units(self.currency))
        return Money(self.amount.quantize(exponent, rounding=ROUNDING), self.currency)

    def in_minor_units(self) -> int:
        """The rounded amount as a whole number of minor units (EUR 12.345 → 1235): the
        amount moved by the currency's places (exact), then rounded as `rounded` rounds."""
        moved = self.amount.scaleb(minor_units(self.currency))
        return int(moved.quantize(_UNIT, rounding=ROUNDING))

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


@lru_cache(maxsize=64)
def _zero(currency: str) -> Money:
    """No money in a currency: one frozen object a currency (a case makes a dozen)."""
    return Money(Decimal(0), currency).rounded()
