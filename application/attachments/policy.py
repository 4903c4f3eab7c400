"""What may be attached: a size limit and an allow-list of media types, from configuration.

ARREARS_ATTACHMENT_MAX_BYTES (default 20 MiB) and ARREARS_ATTACHMENT_TYPES (default every
type in `types.KNOWN`: media types or their short names, separated by commas). The type is
read from the content (`types.sniff`); the name is only a label.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass

from application.attachments.types import KNOWN, describe, sniff
from application.settings import SettingsError
from application.wording import byte_size
from domain.errors import InvalidValue
from domain.limits import check_characters

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
LARGEST_LIMIT = 1024 * 1024 * 1024  # an upload is held in memory while it is checked
DEFAULT_TYPES = tuple(KNOWN)
_SHORT_NAMES = {short: media_type for media_type, (_, short) in KNOWN.items()}


class FileTooLarge(InvalidValue):
    """The upload is larger than the configured limit."""


class TypeNotAllowed(InvalidValue):
    """The upload's content is of a type not on the allow-list (or of no known type)."""


@dataclass(frozen=True)
class Upload:
    """A file as it came: the name it was sent with and its bytes."""

    name: str
    content: bytes


@dataclass(frozen=True)
class Document:
    """A checked upload: the facts the case records about it."""

    name: str
    media_type: str
    size: int
    sha256: str


@dataclass(frozen=True)
class AttachmentPolicy:
    max_bytes: int = DEFAULT_MAX_BYTES
    allowed: tuple[str, ...] = DEFAULT_TYPES

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> AttachmentPolicy:
        env = os.environ if environ is None else environ
        return cls(max_bytes=_max_bytes(env.get("ARREARS_ATTACHMENT_MAX_BYTES", "")),
                   allowed=_types(env.get("ARREARS_ATTACHMENT_TYPES", "")))

    @property
    def allowed_text(self) -> str:
        """'PDF document, PNG image, ...': the allowed types as people call them."""
        return ", ".join(KNOWN[t][0] for t in self.allowed)

    @property
    def limit_text(self) -> str:
        return byte_size(self.max_bytes)

    def check(self, upload: Upload) -> Document:
        """The upload as a Document, or refused (field `file`) before anything is stored."""
        name = file_name(upload.name)
        size = self.check_size(name, len(upload.content))
        media_type = sniff(upload.content)
        if media_type not in self.allowed:
            what = describe(media_type) if media_type else "of no type Arrears recognises"
            raise TypeNotAllowed(f"the content of '{name}' is {what}, which may not be "
                                 f"attached; allowed: {self.allowed_text}", "file")
        return Document(name, media_type, size, hashlib.sha256(upload.content).hexdigest())

    def check_size(self, name: str, size: int) -> int:
        """Refuse an empty file or one over the limit (before it is read, where it can be)."""
        if size == 0:
            raise InvalidValue(f"'{name}' is empty", "file")
        if size > self.max_bytes:
            raise FileTooLarge(f"'{name}' is {_exactly(size)}; at most "
                               f"{_exactly(self.max_bytes)} may be attached", "file")
        return size


def _exactly(size: int) -> str:
    """'20 MiB (20,971,520 bytes)', or '900 bytes'."""
    text = byte_size(size)
    return text if size < 1024 else f"{text} ({size:,} bytes)"


def file_name(raw: str | None) -> str:
    """The name without any folders it was sent with, within the limit of a file name."""
    name = re.split(r"[/\\]", str(raw or ""))[-1].strip()
    if not name:
        raise InvalidValue("the file has no name; send it with its file name", "file")
    try:
        return check_characters(name, "file_name")
    except InvalidValue as error:
        raise InvalidValue(f"its name {error.message}", "file") from None


def _max_bytes(text: str) -> int:
    if not text.strip():
        return DEFAULT_MAX_BYTES
    raw = text.strip()
    if not raw.isdigit() or not 1 <= int(raw) <= LARGEST_LIMIT:
        raise SettingsError(f"ARREARS_ATTACHMENT_MAX_BYTES: '{raw[:20]}' is not a whole number "
                            f"of bytes from 1 to {LARGEST_LIMIT:,}")
    return int(raw)


def _types(text: str) -> tuple[str, ...]:
    names = [part.strip().lower() for part in text.split(",") if part.strip()]
    if not names:
        return DEFAULT_TYPES
    allowed = []
    for name in names:
        media_type = _SHORT_NAMES.get(name, name)
        if media_type not in KNOWN:
            known = ", ".join(f"{t} ({short})" for t, (_, short) in KNOWN.items())
            raise SettingsError(f"ARREARS_ATTACHMENT_TYPES: '{name[:60]}' is not a type "
                                f"Arrears recognises from the content; use some of: {known}")
        if media_type not in allowed:
            allowed.append(media_type)
    return tuple(allowed)
