"""What an import did (or, with --dry-run, would do): created, unchanged, updated, refused."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Outcome(StrEnum):
    CREATED = "created"
    UNCHANGED = "unchanged"
    UPDATED = "updated"
    REFUSED = "refused"


@dataclass(frozen=True)
class Entry:
    """One row's fate: where it came from, which case, what happened (or why not)."""

    outcome: Outcome
    file: str
    where: str
    invoice_number: str = ""
    creditor: str = ""
    case_id: str = ""
    what: str = ""
    field: str = ""
    reason: str = ""

    def as_dict(self) -> dict[str, str]:
        data = {"file": self.file, "where": self.where, "invoice_number": self.invoice_number,
                "creditor": self.creditor, "case_id": self.case_id, "what": self.what}
        if self.outcome == Outcome.REFUSED:
            data.update(field=self.field, reason=self.reason)
        return data

    @property
    def line(self) -> str:
        head = f"{self.file}, {self.where}"
        if self.outcome == Outcome.REFUSED:
            return f"{head}, {self.field}: {self.reason}"
        return f"{head}: {self.invoice_number} {self.what}".rstrip()


@dataclass
class Summary:
    """Every entry in file order; `stored` is False for a dry run or a refused
    all-or-nothing import (then nothing was stored)."""

    entries: list[Entry] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    tasks: list[Entry] = field(default_factory=list)
    files: list[dict[str, str]] = field(default_factory=list)
    dry_run: bool = False
    stored: bool = True

    def of(self, outcome: Outcome) -> list[Entry]:
        return [e for e in self.entries if e.outcome == outcome]

    @property
    def refused(self) -> list[Entry]:
        return self.of(Outcome.REFUSED)

    def counts(self) -> dict[str, int]:
        return {o.value: len(self.of(o)) for o in Outcome}

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {o.value: [e.as_dict() for e in self.of(o)] for o in Outcome}
        data.update(tasks=[e.as_dict() for e in self.tasks], warnings=list(self.warnings),
                    files=list(self.files), counts=self.counts(), dry_run=self.dry_run,
                    stored=self.stored)
        return data
