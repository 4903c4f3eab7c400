"""The file adapters: with no SMTP host configured, each email is written as an .eml file
under var/outbox/ (each SMS as a .txt under var/outbox/sms/), and the caller is told so.

A file is named after its Message-ID (or reference): the same reminder written again
replaces its own file, never adds a second one. Files are written whole or not at all.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from application.mail.errors import MailNotSent
from application.mail.ports import Delivery, Outgoing, TextMessage
from application.mail.settings import OUTBOX, OUTBOX_SENDER


def file_stem(reference: str) -> str:
    """A file name from a Message-ID or reference: '<a.b@c>' → 'a.b@c'."""
    return re.sub(r"[^A-Za-z0-9._@-]", "_", reference.strip().strip("<>")) or "message"


def write_whole(path: Path, data: bytes) -> None:
    """Write to a temporary file beside it, then rename: a reader never sees half a file."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".partial")
        partial.write_bytes(data)
        os.replace(partial, path)
    except OSError as error:
        raise MailNotSent(f"could not write {path} ({error.strerror or error}); nothing was "
                          "sent or recorded", "outbox") from None


@dataclass(frozen=True)
class FileOutbox:
    """The Mailer when no SMTP host is set: one .eml file per message."""

    root: Path = OUTBOX
    sender: str = OUTBOX_SENDER
    domain: str = "localhost"

    def send(self, outgoing: Outgoing) -> Delivery:
        path = self.root / f"{file_stem(outgoing.message_id)}.eml"
        write_whole(path, outgoing.data)
        return Delivery(str(path), f"written to {path}, no SMTP host configured")


@dataclass(frozen=True)
class FileSmsOutbox:
    """The SMS transport until a provider is configured: one .txt file per message."""

    root: Path = OUTBOX / "sms"

    def send(self, message: TextMessage) -> Delivery:
        path = self.root / f"{file_stem(message.reference)}.txt"
        text = f"To: {message.to}\nReference: {message.reference}\n\n{message.body}\n"
        write_whole(path, text.encode())
        return Delivery(str(path), f"written to {path}, no SMS provider configured")
