"""The one parser: text people type (web forms, the JSON API, the CLI, imports) → values.

Every entry point turns text into amounts, currencies, dates, rates, words and texts here,
with the same limits (`domain.limits`, `domain.money`) and the same messages. A refusal is
`InvalidValue(message, field)`; marshmallow fields and click parameter types wrap it.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import TypeVar

from babel.core import Locale, UnknownLocaleError
from babel.numbers import NumberFormatError, parse_decimal

from domain.errors import InvalidValue
from domain.limits import EARLIEST_DATE, check_date_range, latest_date
from domain.money import MAX_AMOUNT, check_amount, check_currency
from domain.values import choice, optional_text, required

E = TypeVar("E", bound=StrEnum)

# Digits, optionally grouped by ',' in threes, optionally '.' and decimals: 1200, 1,200.50.
PLAIN_AMOUNT = re.compile(r"[+-]?(?:\d+|\d{1,3}(?:,\d{3})+)(?:\.\d+)?")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
ISO_DATETIME = re.compile(r"(\d{4}-\d{2}-\d{2})[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?"
                          r"(Z|[+-]\d{2}:\d{2})?", re.IGNORECASE)
DATETIME_FORMAT = "YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS] with Z or an offset such as +01:00"
MAX_DECIMALS = 3  # the most any ISO 4217 currency has (KWD, BHD)
MAX_RATE = Decimal(100)
LONGEST_NUMBER = 40
AMOUNT_HINT = ("write the decimals after a point (800.50) and use ',' only to group "
               "thousands (1,000.50)")


def parse_amount(text: object, field: str = "amount", *, currency: str | None = None,
                 locale: str | None = None) -> Decimal:
    """An amount as typed: '1200', '1,200.50'. Never rounded, never guessed.

    Refused: exponent notation (1e3), a ',' that does not group thousands (800,50), a '.'
    grouping thousands (1.000,50) unless `locale` declares it, more decimals than the
    currency has (or than any currency has, when it is not known yet), more than MAX_AMOUNT.
    """
    value = _decimal(text, field, locale)
    # Bounded first: rounding a 30-digit amount to check its decimals overflows the context.
    if abs(value) > MAX_AMOUNT:
        raise InvalidValue(f"must be at most {MAX_AMOUNT:,}", field)
    if currency is not None:
        return check_amount(value, check_currency(currency), field)
    places = -value.as_tuple().exponent if isinstance(value.as_tuple().exponent, int) else 0
    if places > MAX_DECIMALS and value != round(value, MAX_DECIMALS):
        raise InvalidValue(f"{value} has more than {MAX_DECIMALS} decimals", field)
    return value


def _decimal(text: object, field: str, locale: str | None) -> Decimal:
    if isinstance(text, bool) or text is None:
        raise InvalidValue("must be an amount, e.g. 1200.50", field)
    if isinstance(text, int):
        text = str(text)
    elif isinstance(text, float):  # a JSON number: its shortest repr, checked like text
        text = repr(text)
    elif isinstance(text, Decimal):
        text = format(text, "f") if text.is_finite() else str(text)
    raw = str(text).strip()
    if not raw:
        raise InvalidValue("must not be blank", field)
    if len(raw) > LONGEST_NUMBER:
        raise InvalidValue(f"must be at most {LONGEST_NUMBER} characters", field)
    if locale:
        return _localised(raw, field, locale)
    if "e" in raw.lower() and any(c.isdigit() for c in raw):
        raise InvalidValue(f"'{raw}' uses exponent notation; write the amount in full", field)
    if not PLAIN_AMOUNT.fullmatch(raw):
        if any(c in raw for c in ",."):
            raise InvalidValue(f"'{raw}' is ambiguous: {AMOUNT_HINT}", field)
        raise InvalidValue(f"'{raw}' is not an amount, e.g. 1200.50", field)
    return Decimal(raw.replace(",", ""))


def _localised(raw: str, field: str, locale: str) -> Decimal:
    """An amount in a declared locale's notation (de: 1.000,50), strictly grouped."""
    try:
        Locale.parse(locale)
        value = parse_decimal(raw, locale=locale, strict=True)
    except (UnknownLocaleError, ValueError) as error:
        if isinstance(error, NumberFormatError | InvalidOperation):
            raise InvalidValue(f"'{raw}' is not an amount in locale {locale}", field) from None
        raise InvalidValue(f"'{locale}' is not a known locale", "locale") from None
    if not value.is_finite():
        raise InvalidValue(f"'{raw}' is not a finite number", field)
    return value


def parse_currency(text: object, field: str = "currency") -> str:
    """An ISO 4217 code of a currency in use, upper-cased."""
    return check_currency(str(text or ""), field)


def parse_date(text: object, field: str, today: date) -> date:
    """A real calendar date written YYYY-MM-DD, from 1900 to 100 years after today."""
    if isinstance(text, date):
        return check_date_range(text, field, today)
    raw = str(text or "").strip()
    if not ISO_DATE.fullmatch(raw):
        raise InvalidValue(f"'{raw[:20]}' is not a date (YYYY-MM-DD)", field)
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        raise InvalidValue(f"'{raw}' is not a real calendar date", field) from None
    return check_date_range(day, field, today)


def parse_datetime(text: object, field: str, today: date) -> datetime:
    """A moment, in UTC: an ISO 8601 date-time with its offset (2026-01-31T17:00:00+01:00,
    or Z for UTC), or a date YYYY-MM-DD, meaning the end of that day UTC (23:59:59.999999).

    Its date (as written) is bounded like dates: 1900 to 100 years after today. A time
    without an offset is refused rather than guessed.
    """
    if isinstance(text, datetime):
        if text.tzinfo is None:
            raise InvalidValue("must carry a UTC offset", field)
        check_date_range(text.date(), field, today)
        return text.astimezone(UTC)
    if isinstance(text, date):
        return datetime.combine(check_date_range(text, field, today), time.max, tzinfo=UTC)
    raw = str(text or "").strip()
    if ISO_DATE.fullmatch(raw):
        return datetime.combine(parse_date(raw, field, today), time.max, tzinfo=UTC)
    found = ISO_DATETIME.fullmatch(raw)
    if not found:
        raise InvalidValue(f"'{raw[:30]}' is not a date or a date-time ({DATETIME_FORMAT})",
                           field)
    if not found.group(2):
        raise InvalidValue(f"'{raw}' has no UTC offset: add Z for UTC or one such as +01:00",
                           field)
    try:
        moment = datetime.fromisoformat(raw.upper().replace("Z", "+00:00"))
    except ValueError:
        raise InvalidValue(f"'{raw}' is not a real date and time", field) from None
    check_date_range(moment.date(), field, today)
    return moment.astimezone(UTC)


def date_bounds(today: date) -> tuple[date, date]:
    """The first and last date accepted (for forms' min and max)."""
    return EARLIEST_DATE, latest_date(today)


def parse_rate(text: object, field: str = "rate") -> Decimal:
    """An annual rate in percent, 0 to 100, at most 4 decimals ('8.15')."""
    raw = str(text).strip() if not isinstance(text, float) else repr(text)
    if not re.fullmatch(r"\d{1,3}(?:\.\d{1,4})?", raw):
        raise InvalidValue(f"'{raw[:20]}' is not a rate in percent, e.g. 8.15", field)
    value = Decimal(raw)
    if value > MAX_RATE:
        raise InvalidValue("must be between 0 and 100 percent a year", field)
    return value


def parse_word(kind: type[E], text: object, field: str) -> E:
    """A word of a vocabulary (case-insensitive), or the list of allowed words."""
    return choice(kind, str(text or "")[:100], field)


def parse_text(text: object, field: str, *, required_text: bool = False) -> str:
    """A text within its field's limit, with no control characters, stripped."""
    if text is not None and not isinstance(text, str):
        raise InvalidValue("must be text", field)
    return required(text, field) if required_text else optional_text(text, field)


def parse_count(text: object, field: str, maximum: int) -> int:
    """A whole number from 1 to maximum (pages, page sizes)."""
    raw = str(text).strip()
    if not raw.isascii() or not raw.isdigit() or len(raw) > 12 or not 1 <= int(raw) <= maximum:
        raise InvalidValue(f"must be a whole number from 1 to {maximum:,}", field)
    return int(raw)


def parse_percent(text: object, field: str = "percent") -> Decimal:
    """A percentage more than 0 and less than 100, at most 4 decimals ('2.5')."""
    raw = str(text).strip() if not isinstance(text, float) else repr(text)
    if not re.fullmatch(r"\d{1,3}(?:\.\d{1,4})?", raw):
        raise InvalidValue(f"'{raw[:20]}' is not a percentage, e.g. 2.5", field)
    value = Decimal(raw)
    if not Decimal(0) < value < MAX_RATE:
        raise InvalidValue("must be more than 0 and less than 100 percent", field)
    return value
