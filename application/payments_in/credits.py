"""A credit as read from a bank statement, and a refusal of a bad entry or row."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class Remitted:
    """An invoice the remittance names in a structured block, with its amount if given."""

    number: str
    amount: Decimal | None = None


@dataclass(frozen=True)
class Credit:
    """One booked credit on the creditor's account.

    Its identity (the idempotency key's base) is the statement account and the bank's
    entry reference (`entry_reference`): the same credit read again, from the same file,
    a later statement or its camt.054 notification, has the same key.
    """

    account: str
    entry_reference: str
    amount: Decimal
    currency: str
    booked_on: date
    value_on: date | None
    debtor_name: str
    remittance: str  # the unstructured remittance lines, joined by " "
    references: tuple[str, ...] = ()  # structured creditor references (CdtrRefInf Ref)
    remitted: tuple[Remitted, ...] = ()  # RfrdDocInf numbers with their amounts
    source_file: str = ""
    source_sha256: str = ""
    location: str = ""  # where in the file: "Ntry 3", "Ntry 3 TxDtls 2", "row 7"

    @property
    def entry(self) -> str:
        """The short id people name the credit by (a digest of account and reference)."""
        raw = f"{self.account}\x1f{self.entry_reference}".encode()
        return hashlib.sha256(raw).hexdigest()[:16]

    @property
    def search_text(self) -> str:
        """Everything the remittance says, for finding invoice numbers in it."""
        return " ".join([self.remittance, *self.references,
                         *(r.number for r in self.remitted)])

    def record(self) -> dict[str, Any]:
        return {"entry": self.entry, "account": self.account,
                "entry_reference": self.entry_reference, "amount": str(self.amount),
                "currency": self.currency, "booked_on": self.booked_on.isoformat(),
                "value_on": self.value_on.isoformat() if self.value_on else None,
                "debtor_name": self.debtor_name, "remittance": self.remittance,
                "references": list(self.references),
                "remitted": [{"number": r.number,
                              "amount": None if r.amount is None else str(r.amount)}
                             for r in self.remitted],
                "source_file": self.source_file, "source_sha256": self.source_sha256,
                "location": self.location}

    @classmethod
    def from_record(cls, data: dict[str, Any]) -> Credit:
        return cls(data["account"], data["entry_reference"], Decimal(data["amount"]),
                   data["currency"], date.fromisoformat(data["booked_on"]),
                   date.fromisoformat(data["value_on"]) if data["value_on"] else None,
                   data["debtor_name"], data["remittance"], tuple(data["references"]),
                   tuple(Remitted(r["number"], None if r["amount"] is None
                                  else Decimal(r["amount"])) for r in data["remitted"]),
                   data["source_file"], data["source_sha256"], data["location"])


@dataclass(frozen=True)
class Refusal:
    """A file, entry or row not taken: where it is, which field, and why."""

    file: str
    where: str
    field: str
    reason: str

    def record(self) -> dict[str, str]:
        return {"file": self.file, "where": self.where, "field": self.field,
                "reason": self.reason}

    def line(self) -> str:
        place = f"{self.file}: {self.where}" if self.where else self.file
        return f"{place}: {self.field}: {self.reason}"


@dataclass
class Statement:
    """What one file gave: its credits, the entries it skipped (debits, pending), refusals."""

    file: str
    sha256: str
    credits: list[Credit] = field(default_factory=list)
    skipped: int = 0
    refusals: list[Refusal] = field(default_factory=list)


def sha256_of(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()
