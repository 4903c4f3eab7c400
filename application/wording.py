"""Counted nouns, one rule for every page and command: 1 case, 2 cases, 0 events."""

from __future__ import annotations

from decimal import Decimal


def plural(count: int | Decimal, noun: str, nouns: str = "") -> str:
    """The count and its noun: (1, 'case') → '1 case'; (2, 'case') → '2 cases'.

    Only exactly one is singular ('0 events'). `nouns` gives an irregular plural
    ('match', 'matches'); a multi-word noun pluralises its last word ('demo case').
    """
    number = int(count)
    word = noun if number == 1 else (nouns or noun + "s")
    return f"{number:,} {word}"


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
