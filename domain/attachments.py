"""Documents attached to a case as evidence: the contract, the invoice, emails, transcripts.

The case records what was attached (its name, media type, size and SHA-256, and what kind of
document it is); the bytes themselves live in a content-addressed blob store beside the
events (`application.attachments`). Whether the content is of an allowed type and size is
decided there, from the content; the case checks the facts it records are well formed and
refuses the same content twice. Documents may be attached to a closed case too: evidence
arrives late.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import TYPE_CHECKING

from domain import events as ev
from domain.errors import InvalidValue, RuleBroken
from domain.rules import check_text, optional_text
from domain.values import Stamp, choice

if TYPE_CHECKING:
    from domain.case import DebtCase

SHA256 = re.compile(r"[0-9a-f]{64}")
MEDIA_TYPE = re.compile(r"[a-z0-9][a-z0-9!#$&^_.+-]{0,126}/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}")


class DocumentKind(StrEnum):
    """What a document is, as evidence."""

    CONTRACT = "contract"
    INVOICE = "invoice"
    EMAIL = "email"
    LETTER = "letter"
    TRANSCRIPT = "transcript"
    STATEMENT = "statement"
    OTHER = "other"


class AlreadyAttached(RuleBroken):
    """The same content (the same SHA-256) is already attached to the case."""


def check_sha256(value: str) -> str:
    if not SHA256.fullmatch(value or ""):
        raise InvalidValue("must be a SHA-256 digest: 64 lower-case hexadecimal digits",
                           "sha256")
    return value


def check_media_type(value: str) -> str:
    if not MEDIA_TYPE.fullmatch(value or ""):
        raise InvalidValue(f"'{str(value)[:40]}' is not a media type such as application/pdf",
                           "media_type")
    return value


def check_size(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidValue("must be a whole number of bytes, more than zero", "size")
    return value


class AttachmentCommands:
    """Mixed into `DebtCase`: attaching a document."""

    def attach_document(self: DebtCase, *, name: str, media_type: str, size: int, sha256: str,
                        kind: str = DocumentKind.OTHER, description: str = "",
                        stamp: Stamp) -> None:
        """Attach a document as evidence; allowed on a closed case too.

        The same content twice is refused: it is already in the case's record.
        """
        stamp = self._check_stamp(stamp)
        sha256 = check_sha256(sha256)
        if sha256 in self.attachments:
            raise AlreadyAttached(f"this content is already attached to the case as "
                                  f"'{self.attachments[sha256]}'", "file")
        self._record(ev.AttachmentAdded, stamp, name=check_text(name, "file_name"),
                     media_type=check_media_type(media_type), size=check_size(size),
                     sha256=sha256, kind=choice(DocumentKind, kind, "kind").value,
                     description=optional_text(description, "description"))
