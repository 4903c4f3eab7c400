"""Dates as accounting exports write them: ISO (2026-03-04) always; 04/03/2026 or 04.03.26
only in a declared locale's order, or when only one reading is possible (13/03/2026).

03/04/2026 under no locale could be 3 April or 4 March: refused, never guessed.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import lru_cache

from babel.core import Locale, UnknownLocaleError
from babel.dates import get_date_format

from application.parsing import parse_date
from domain.errors import InvalidValue

NUMERIC = re.compile(r"(\d{1,4})[./-](\d{1,2})[./-](\d{1,4})")


def import_date(value: object, field: str, today: date, locale: str | None) -> date:
    """A date from a cell: a date (XLSX), ISO text, or day/month/year text (see above)."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return parse_date(value, field, today)
    raw = str(value or "").strip()
    if not raw:
        raise InvalidValue("must not be blank", field)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
        return parse_date(raw, field, today)
    found = NUMERIC.fullmatch(raw)
    if not found:
        raise InvalidValue(f"'{raw[:20]}' is not a date (YYYY-MM-DD, or as the locale "
                           "writes dates)", field)
    parts = [int(p) for p in found.groups()]
    order = _order(locale) if locale else _unambiguous(raw, parts, field)
    day, month, year = (parts[order.index(letter)] for letter in "dmy")
    if year < 100:
        year += 2000
    try:
        return parse_date(date(year, month, day), field, today)
    except ValueError:
        raise InvalidValue(f"'{raw}' is not a real calendar date", field) from None


def _unambiguous(raw: str, parts: list[int], field: str) -> str:
    """The order of a date with no locale: only when one reading is possible."""
    first, second, third = parts
    if first > 31:  # 2026/03/04: year first, then month and day (as ISO)
        return "ymd"
    if first > 12 >= second:
        return "dmy"
    if second > 12 >= first:
        return "mdy"
    if first == second:
        return "dmy"
    raise InvalidValue(f"'{raw}' is ambiguous ({first}/{second} could be day/month or "
                       "month/day); declare the locale (--locale, e.g. en_GB or en_US) or "
                       "write YYYY-MM-DD", field)


@lru_cache(maxsize=32)
def _order(locale: str) -> str:
    """'dmy', 'mdy' or 'ymd': the order of the locale's short date format."""
    try:
        pattern = get_date_format("short", locale=Locale.parse(locale)).pattern
    except (UnknownLocaleError, ValueError):
        raise InvalidValue(f"'{locale}' is not a known locale", "locale") from None
    letters = [c.lower() for c in pattern if c.lower() in "dmy"]
    order = "".join(dict.fromkeys(letters))
    return order if sorted(order) == ["d", "m", "y"] else "dmy"


def check_locale(locale: str | None) -> str | None:
    """The locale as given (None stays None), or InvalidValue naming `locale`."""
    if locale:
        _order(locale)
    return locale or None
