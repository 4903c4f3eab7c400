"""Small checks shared by the case's commands. Each raises a domain error naming the field."""

from __future__ import annotations

from datetime import date

from domain.errors import AmountTooLarge, Checks, CurrencyMismatch, InvalidValue
from domain.limits import check_date_range
from domain.money import Money, check_amount
from domain.values import optional_text


def check_positive(amount: Money, currency: str, field: str = "amount") -> Money:
    """An amount in the case's currency, more than zero, rounded to minor units."""
    if amount.currency != currency:
        raise CurrencyMismatch(f"is in {amount.currency}, but the case is in {currency}", field)
    check_amount(amount.amount, currency, field)
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
    """A required text: not blank, within its field's limit (`domain.limits`), stripped."""
    text = optional_text(value, field)
    if not text:
        raise InvalidValue("must not be blank", field)
    return text





def check_invoice_dates(issue_date: date, due_date: date, today: date) -> None:
    """An invoice's dates: in range, issued by today, due no earlier than issued.

    Every problem is reported at once (InvalidValues).
    """
    checks = Checks()
    for day, name in ((issue_date, "issue_date"), (due_date, "due_date")):
        checks.run(check_date_range, day, name, today)
    if issue_date > today:
        checks.run(_refuse, f"{issue_date.isoformat()} is in the future; an invoice is "
                   "opened as a case once it has been issued", "issue_date")
    checks.run(check_not_before, due_date, issue_date, "due_date", "the issue date")
    checks.done()


def _refuse(message: str, field: str) -> None:
    raise InvalidValue(message, field)
