"""The ISO 4217 currencies in use today and their minor units, from Babel's CLDR data.

A currency is "in use" when some territory has it as legal tender with no end date.
Babel (the CLDR data) is the maintained source; nothing here is typed by hand.
"""

from __future__ import annotations

from functools import cache

from babel.core import get_global
from babel.numbers import get_currency_precision


@cache
def currencies_in_use() -> frozenset[str]:
    """Every ISO 4217 code that is legal tender somewhere today (no end date in CLDR)."""
    codes = set()
    for entries in get_global("territory_currencies").values():
        for code, _start, end, tender in entries:
            if end is None and tender:
                codes.add(code)
    return frozenset(codes)


@cache
def minor_units(currency: str) -> int:
    """How many decimal places the currency has (JPY 0, EUR 2, KWD 3)."""
    return get_currency_precision(currency)
