"""What a letter needs from the installation: the creditor's address, how to pay, and where
letters are kept.

- ARREARS_CREDITOR_ADDRESS: the creditor's postal address, lines separated by "|" (or by
  newlines); printed under the creditor's name and as the address the Reply Form goes to.
- ARREARS_PAYMENT_DETAILS: how to pay (bank, sort code and account, IBAN, a payment link...),
  lines separated by "|" (or newlines). Unset: "Please contact us to arrange payment."
- ARREARS_LETTER_DIR: the folder of the letters' PDFs, content-addressed by SHA-256; unset:
  `letters` beside the attachments' blob folder (var/letters by default).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from application.attachments.store import blob_dir

NO_PAYMENT_DETAILS = "Please contact us to arrange payment."


def lines(text: str) -> tuple[str, ...]:
    """A setting's lines: split at "|" and newlines, each stripped, empty ones dropped."""
    parts = text.replace("|", "\n").splitlines()
    return tuple(part.strip() for part in parts if part.strip())


@dataclass(frozen=True)
class LetterSettings:
    creditor_address: tuple[str, ...] = ()
    payment_details: tuple[str, ...] = (NO_PAYMENT_DETAILS,)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> LetterSettings:
        env = os.environ if environ is None else environ
        return cls(lines(env.get("ARREARS_CREDITOR_ADDRESS", "")),
                   lines(env.get("ARREARS_PAYMENT_DETAILS", "")) or (NO_PAYMENT_DETAILS,))


def letter_dir(environ: Mapping[str, str] | None = None,
               blobs: str | Path | None = None) -> Path:
    """ARREARS_LETTER_DIR, else `letters` beside the blob folder (`blobs`, else
    ARREARS_BLOB_DIR, else var/blobs): var/letters by default."""
    env = os.environ if environ is None else environ
    if env.get("ARREARS_LETTER_DIR"):
        return Path(env["ARREARS_LETTER_DIR"])
    return Path(blobs or blob_dir(dict(env))).parent / "letters"
