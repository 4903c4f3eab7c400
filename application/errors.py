"""Application errors: what a command can fail with besides a broken domain rule."""

from __future__ import annotations

from domain.errors import DomainError, InvalidValue


class CaseNotFound(DomainError):
    """No case has that id or invoice number."""


class CaseAlreadyOpen(DomainError):
    """The creditor already has a case for that invoice number."""


class ConcurrentWrite(DomainError):
    """Someone else changed the case first; nothing of this command was stored."""


class InvalidIdempotencyKey(InvalidValue):
    """An idempotency key too short, too long or with characters outside the rule."""


class IdempotencyKeyReused(DomainError):
    """The idempotency key already names another request; nothing of this one was stored."""
