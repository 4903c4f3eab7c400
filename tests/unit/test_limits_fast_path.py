"""check_characters' shortcut (printable text is returned at once) refuses what the loop does."""

from __future__ import annotations

import sys
import unicodedata

import pytest

from domain.errors import InvalidValue
from domain.limits import BIDI_CONTROLS, check_characters


def test_no_character_the_loop_refuses_is_printable() -> None:
    refused = [c for c in map(chr, range(sys.maxunicode + 1))
               if c in BIDI_CONTROLS or unicodedata.category(c) in ("Cc", "Cs")]
    assert refused and not any(c.isprintable() for c in refused)


@pytest.mark.parametrize("char", ["\u202e", "\u2066", "\x07", "\x00", "\ud800"])
def test_printable_text_around_a_refused_character_is_still_refused(char: str) -> None:
    with pytest.raises(InvalidValue, match="must not contain"):
        check_characters(f"Fern Logistics {char} Ltd", "note")


def test_printable_text_and_line_breaks_where_allowed_are_kept() -> None:
    assert check_characters("Fern Logistics – Zoë ☕", "note") == "Fern Logistics – Zoë ☕"
    assert check_characters("line one\r\nline two", "text") == "line one\nline two"
