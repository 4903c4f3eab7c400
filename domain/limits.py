"""The bounds of every value a person can type: one length per text field, the dates allowed.

One table, read by the domain's checks, the parser (`application.parsing`), the web forms'
`maxlength`, the API schemas and the CLI, so each field has one limit everywhere.
"""

from __future__ import annotations

import unicodedata
from datetime import date

from domain.errors import InvalidValue

REFERENCE, NAME, EMAIL, PHONE, LINE, PARAGRAPH, NOTE = 100, 200, 254, 50, 500, 2000, 5000
FILE_NAME = 255  # what common file systems allow

# Field name → (maximum length, whether newlines and tabs are allowed).
TEXT_LIMITS: dict[str, tuple[int, bool]] = {
    "actor": (REFERENCE, False), "creditor": (NAME, False),
    "invoice_number": (REFERENCE, False), "contract_reference": (REFERENCE, False),
    "debtor.name": (NAME, False), "debtor.email": (EMAIL, False),
    "debtor.phone": (PHONE, False), "debtor.address": (LINE, True),
    "debtor.tax_id": (50, False),
    "proof": (LINE, False), "recipient": (EMAIL, False), "message_reference": (REFERENCE, False),
    "person": (NAME, False), "notes": (PARAGRAPH, True), "text": (NOTE, True),
    "document": (LINE, False), "service": (LINE, False), "reason": (PARAGRAPH, True),
    "basis": (LINE, True), "consequences": (PARAGRAPH, True),
    "letter_reference": (REFERENCE, False),
    "mediator": (NAME, False), "counsel": (NAME, False), "agency": (NAME, False),
    "reference": (REFERENCE, False), "override_reason": (LINE, True), "court": (NAME, False),
    "insolvency_case_number": (REFERENCE, False), "q": (NAME, False),
    "file_name": (FILE_NAME, False), "description": (PARAGRAPH, True),
    "user": (REFERENCE, False),
    # the escalation schedule's steps and tasks (domain.schedule)
    "policy": (REFERENCE, False), "what": (LINE, False), "prefill": (PARAGRAPH, True),
}
DEFAULT_LIMIT = (LINE, False)

# Characters that reorder text on screen (Trojan Source, CVE-2021-42574): refused everywhere.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f"
                          "\u061c")

EARLIEST_DATE = date(1900, 1, 1)
YEARS_AHEAD = 100


def text_limit(field: str) -> tuple[int, bool]:
    """(maximum length, multi-line) of a text field."""
    return TEXT_LIMITS.get(field, DEFAULT_LIMIT)


def check_characters(text: str, field: str) -> str:
    """Refuse over-long text, control characters (newline and tab only where multi-line) and
    bidirectional overrides; line breaks are kept as \\n."""
    limit, multiline = text_limit(field)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if len(text) > limit:
        raise InvalidValue(f"must be at most {limit:,} characters, got {len(text):,}", field)
    if text.isprintable():  # no Cc, Cs or Cf (the bidirectional controls are Cf) in it
        return text
    for char in text:
        if char in "\n\t" and multiline:
            continue
        if char in BIDI_CONTROLS or unicodedata.category(char) in ("Cc", "Cs"):
            name = unicodedata.name(char, "control character")
            raise InvalidValue(f"must not contain U+{ord(char):04X} ({name.lower()})", field)
    return text


def latest_date(today: date) -> date:
    """The last date Arrears takes: YEARS_AHEAD years after today, 31 December."""
    return date(today.year + YEARS_AHEAD, 12, 31)


def check_date_range(day: date, field: str, today: date) -> date:
    """A date from 1 January 1900 to YEARS_AHEAD years ahead."""
    if not EARLIEST_DATE <= day <= latest_date(today):
        raise InvalidValue(f"{day.isoformat()} is outside {EARLIEST_DATE.isoformat()} to "
                           f"{latest_date(today).isoformat()}", field)
    return day
