"""Small checks shared by the case's commands. Each raises a domain error naming the field."""

from __future__ import annotations

from datetime import date

from domain.errors import AmountTooLarge, CurrencyMismatch, InvalidValue
from domain.money import Money


def check_positive(amount: Money, currency: str, field: str = "amount") -> Money:
    """An amount in the case's currency, more than zero, rounded to minor units."""
    if amount.currency != currency:
        raise CurrencyMismatch(f"is in {amount.currency}, but the case is in {currency}", field)
    if not amount.is_positive:
        raise InvalidValue(f"must be more than zero, got {amount.amount}", field)
    return amount.rounded()


def check_at_most(amount: Money, limit: Money, what: str, field: str = "amount") -> None:
    """Refuse an amount above a limit such as the outstanding balance."""
    if amount.amount > limit.amount:
        raise AmountTooLarge(f"{amount} is more than the {what} of {limit}", field)


def check_not_before(day: date, earliest: date, field: str, what: str) -> None:
    if day < earliest:
        raise InvalidValue(f"{day.isoformat()} is before {what} ({earliest.isoformat()})", field)


def check_after(day: date, earliest: date, field: str, what: str) -> None:
    if day <= earliest:
        raise InvalidValue(
            f"{day.isoformat()} must be after {what} ({earliest.isoformat()})", field
        )


def check_text(value: str | None, field: str) -> str:
    text = (value or "").strip()
    if not text:
        raise InvalidValue("must not be blank", field)
    return text
