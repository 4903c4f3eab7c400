"""Application errors: what a command can fail with besides a broken domain rule."""

from __future__ import annotations

from domain.errors import DomainError, InvalidValue


class CaseNotFound(DomainError):
    """No case has that id or invoice number."""


class CaseAlreadyOpen(DomainError):
    """The creditor already has a case for that invoice number."""

    @classmethod
    def of(cls, creditor: str, invoice_number: str) -> CaseAlreadyOpen:
        return cls(f"{creditor} already has a case for invoice {invoice_number}",
                   "invoice_number")


class ConcurrentWrite(DomainError):
    """Someone else changed the case first; nothing of this command was stored."""

    MESSAGE = "the case was changed by someone else meanwhile; reload it and try again"

    @classmethod
    def on_case(cls) -> ConcurrentWrite:
        return cls(cls.MESSAGE, "case")


class FollowsRefused(ConcurrentWrite):
    """In a batch (`CaseService.handle_many`), an earlier command on the same case was
    refused, and this one would have built on it; nothing of this command was stored."""

    MESSAGE = ("an earlier command on this case in the batch was refused; nothing of this "
               "one was stored")


class InvalidIdempotencyKey(InvalidValue):
    """An idempotency key too short, too long or with characters outside the rule."""


class IdempotencyKeyReused(DomainError):
    """The idempotency key already names another request; nothing of this one was stored."""


class EvidenceError(DomainError):
    """The stored history of a case cannot be relied on; the case is not loaded."""


class ChainBroken(EvidenceError):
    """A case's events no longer hash to the chain stored with them (tampering or loss)."""

    def __init__(self, case_id: object, version: int, reason: str) -> None:
        super().__init__(f"case {case_id}: the chain breaks at version {version} ({reason})",
                         "case")
        self.case_id = case_id
        self.version = version
        self.reason = reason


class ChainUnsealed(EvidenceError):
    """The case's events predate tamper evidence and `arrears chain init` has not sealed them."""

    def __init__(self, case_id: object) -> None:
        super().__init__(f"case {case_id}: its events were stored before tamper evidence and "
                         "are not sealed; run `arrears chain init` once", "case")
        self.case_id = case_id
