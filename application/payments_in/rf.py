"""ISO 11649 structured creditor references: RF, two check digits, 1 to 21 characters."""

from __future__ import annotations

import re

RF_PATTERN = re.compile(r"\bRF\d{2}[A-Z0-9]{1,21}\b", re.IGNORECASE)


def _digits(text: str) -> str:
    """Letters as numbers (A=10 ... Z=35), digits as they are."""
    return "".join(str(int(c, 36)) for c in text)


def is_valid_rf(reference: str) -> bool:
    """True when the reference is RF + check digits + body and its mod-97 check holds."""
    ref = reference.replace(" ", "").upper()
    if not re.fullmatch(r"RF\d{2}[A-Z0-9]{1,21}", ref):
        return False
    return int(_digits(ref[4:] + ref[:4])) % 97 == 1


def rf_body(reference: str) -> str:
    """The reference after RF and its check digits."""
    return reference.replace(" ", "").upper()[4:]


def make_rf(body: str) -> str:
    """The RF reference for a body (letters and digits), e.g. for tests and documents."""
    clean = "".join(c for c in body.upper() if c.isalnum())
    check = 98 - int(_digits(clean + "RF00")) % 97
    return f"RF{check:02d}{clean}"


def rf_references(text: str) -> list[str]:
    """Every RF reference written in a text, upper-cased, without spaces."""
    return [found.group(0).upper() for found in RF_PATTERN.finditer(text)]
