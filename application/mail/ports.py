"""The ports sending goes through; adapters are chosen by the composition root
(`application.bootstrap`), like the Clock: SMTP or the file outbox for mail, a file for SMS."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Delivery:
    """Where a message went: `where` for records, `said` for people (one line)."""

    where: str
    said: str


@dataclass(frozen=True)
class Outgoing:
    """One email as it goes out: the envelope and the message's bytes (CRLF line ends),
    kept as they are so that a message sent again is the very same message."""

    sender: str  # the envelope's sender, a bare address
    recipients: tuple[str, ...]
    message_id: str
    data: bytes


class Mailer(Protocol):
    """Sends one email. Raises MailNotSent when it certainly did not leave, MailInDoubt when
    it may have (the connection failed while the server had it)."""

    sender: str  # the From address ("Name <address>" or a bare address)
    domain: str  # the right-hand side of the Message-IDs it sends

    def send(self, outgoing: Outgoing) -> Delivery: ...


@dataclass(frozen=True)
class TextMessage:
    """One SMS: the number, the text, and a reference that names it (the file, the provider)."""

    to: str
    body: str
    reference: str


class SmsTransport(Protocol):
    def send(self, message: TextMessage) -> Delivery: ...
