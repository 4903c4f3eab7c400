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
