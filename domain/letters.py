"""The letter an event rests on: the SHA-256 of the PDF Arrears rendered and kept for it.

The bytes live in the application's letter store (`application.letters`); the event carries
only their hash, so the letter that went out can be told from any other.
"""

from __future__ import annotations

from domain.attachments import SHA256
from domain.errors import InvalidValue


def letter_digest(value: str) -> str:
    """"" (no letter), or the letter's SHA-256 as 64 lower-case hexadecimal digits."""
    if value and not SHA256.fullmatch(value):
        raise InvalidValue("must be a SHA-256 digest: 64 lower-case hexadecimal digits",
                           "letter_sha256")
    return value
