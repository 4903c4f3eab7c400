"""Counted nouns and amounts, one rule for every page, command and document: 1 case,
2 cases, 0 events; EUR 1,234.50."""

from __future__ import annotations

from decimal import Decimal

from domain.money import minor_units


def plural(count: int | Decimal, noun: str, nouns: str = "") -> str:
    """The count and its noun: (1, 'case') → '1 case'; (2, 'case') → '2 cases'.

    Only exactly one is singular ('0 events'). `nouns` gives an irregular plural
    ('match', 'matches'); a multi-word noun pluralises its last word ('demo case').
    """
    number = int(count)
    word = noun if number == 1 else (nouns or noun + "s")
    return f"{number:,} {word}"


def money(amount: Decimal | str | None, currency: str = "") -> str:
    """1234.5 EUR → 'EUR 1,234.50' (the currency's own decimals)."""
    if amount is None:
        return ""
    places = minor_units(currency) if currency else 2
    text = f"{Decimal(amount):,.{places}f}"
    return f"{currency} {text}".strip()


def byte_size(count: int) -> str:
    """A size for people, in binary units: '900 bytes', '12.5 KiB', '20 MiB'."""
    if count < 1024:
        return plural(count, "byte")
    value = float(count)
    for unit in ("KiB", "MiB"):
        value /= 1024
        if value < 1024:
            return f"{value:,.1f}".removesuffix(".0") + f" {unit}"
    return f"{value / 1024:,.1f}".removesuffix(".0") + " GiB"
