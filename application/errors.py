"""Application errors: what a command can fail with besides a broken domain rule."""

from __future__ import annotations

from domain.errors import DomainError


class CaseNotFound(DomainError):
    """No case has that id or invoice number."""


class CaseAlreadyOpen(DomainError):
    """The creditor already has a case for that invoice number."""


class ConcurrentWrite(DomainError):
    """Someone else changed the case first; nothing of this command was stored."""
