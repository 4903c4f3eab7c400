"""The credits table: every credit an import has seen, in the events' database.

    planned   matched; its parts (case, amount) written before they are recorded
    recorded  every part recorded as RecordPayment, under the credit's keys
    queued    in the review queue, with the reason (unmatched, ambiguous, overpaying...)
    assigned  a person recorded it on cases (`payments assign`)
    not_ours  a person marked it as not ours, with a reason

A credit seen again (the same statement twice, its camt.054 notification and later its
camt.053) finds its row and records nothing twice; a row left at `planned` by a crash is
recorded on the next import under the same keys (the service answers a part already
stored as repeated). Like the reminder outbox (application/mail/ledger.py).
"""

from __future__ import annotations

import json
import weakref
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from eventsourcing.application import Application

from application.payments_in.credits import Credit
from application.sidetable import SideTable

TABLE = "bank_credits"
_COLUMNS = ("entry", "credit", "state", "reason", "detail", "plan", "assigned", "resolved_by",
            "note", "seen_at", "updated_at")


class State(StrEnum):
    PLANNED = "planned"
    RECORDED = "recorded"
    QUEUED = "queued"
    ASSIGNED = "assigned"
    NOT_OURS = "not_ours"


@dataclass(frozen=True)
class Share:
    """A part of a credit put on one case."""

    case_id: str
    invoice_number: str
    amount: Decimal

    def record(self) -> dict[str, str]:
        return {"case_id": self.case_id, "invoice_number": self.invoice_number,
                "amount": str(self.amount)}


def _shares(text: str) -> tuple[Share, ...]:
    return tuple(Share(s["case_id"], s["invoice_number"], Decimal(s["amount"]))
                 for s in json.loads(text))


@dataclass(frozen=True)
class CreditRow:
    credit: Credit
    state: State
    seen_at: datetime
    reason: str = ""
    detail: str = ""
    plan: tuple[Share, ...] = ()
    assigned: tuple[Share, ...] = ()  # shares a person recorded from the queue
    resolved_by: str = ""
    note: str = ""
    updated_at: datetime | None = field(default=None)

    @property
    def entry(self) -> str:
        return self.credit.entry

    @property
    def unassigned(self) -> Decimal:
        """What of the credit no person has put on a case yet."""
        return self.credit.amount - sum((s.amount for s in self.assigned), Decimal(0))

    def values(self) -> tuple[Any, ...]:
        return (self.entry, json.dumps(self.credit.record()), self.state.value, self.reason,
                self.detail, json.dumps([s.record() for s in self.plan]),
                json.dumps([s.record() for s in self.assigned]), self.resolved_by,
                self.note, self.seen_at.isoformat(),
                (self.updated_at or self.seen_at).isoformat())

    @classmethod
    def from_row(cls, row: Any) -> CreditRow:
        return cls(Credit.from_record(json.loads(row["credit"])), State(row["state"]),
                   datetime.fromisoformat(row["seen_at"]), row["reason"], row["detail"],
                   _shares(row["plan"]), _shares(row["assigned"]), row["resolved_by"],
                   row["note"], datetime.fromisoformat(row["updated_at"]))

    def record(self) -> dict[str, Any]:
        return {**self.credit.record(), "state": self.state.value, "reason": self.reason,
                "detail": self.detail, "plan": [s.record() for s in self.plan],
                "assigned": [s.record() for s in self.assigned],
                "unassigned": str(self.unassigned), "resolved_by": self.resolved_by,
                "note": self.note, "seen_at": self.seen_at.isoformat()}


class Credits(SideTable):
    """The credits table, through the event store's own connections."""

    def __init__(self, app: Application[Any]) -> None:
        super().__init__(app, TABLE)
        self._run(f"CREATE TABLE IF NOT EXISTS {self.table} ("
                  "entry TEXT PRIMARY KEY, credit TEXT NOT NULL, state TEXT NOT NULL, "
                  "reason TEXT NOT NULL, detail TEXT NOT NULL, plan TEXT NOT NULL, "
                  "assigned TEXT NOT NULL, resolved_by TEXT NOT NULL, note TEXT NOT NULL, "
                  "seen_at TEXT NOT NULL, updated_at TEXT NOT NULL)")
        self._run(f"CREATE INDEX IF NOT EXISTS {TABLE}_by_state ON {self.table} "
                  "(state, seen_at)")

    def add(self, row: CreditRow) -> bool:
        """Write a new credit's row; False if its entry is there already."""
        marks = ",".join("?" * len(_COLUMNS))
        return bool(self._run(
            f"INSERT INTO {self.table} ({', '.join(_COLUMNS)}) VALUES ({marks}) "
            "ON CONFLICT (entry) DO NOTHING RETURNING entry", row.values(), fetch=True))

    def get(self, entry: str) -> CreditRow | None:
        rows = self._select("WHERE entry = ?", (entry.strip().lower(),))
        return rows[0] if rows else None

    def in_state(self, *states: State) -> list[CreditRow]:
        marks = ",".join("?" * len(states))
        return self._select(f"WHERE state IN ({marks}) ORDER BY seen_at, entry",
                            tuple(s.value for s in states))

    def _select(self, where: str, params: tuple[Any, ...]) -> list[CreditRow]:
        rows = self._run(f"SELECT {', '.join(_COLUMNS)} FROM {self.table} {where}", params,
                         fetch=True)
        return [CreditRow.from_row(row) for row in rows]

    def update(self, row: CreditRow, at: datetime, **changes: Any) -> CreditRow:
        new = replace(row, updated_at=at, **changes)
        values = dict(zip(_COLUMNS, new.values(), strict=True))
        sets = ", ".join(f"{c} = ?" for c in _COLUMNS[1:])
        self._run(f"UPDATE {self.table} SET {sets} WHERE entry = ?",
                  (*(values[c] for c in _COLUMNS[1:]), row.entry))
        return new


_TABLES: weakref.WeakKeyDictionary[Application[Any], Credits] = weakref.WeakKeyDictionary()


def credits_of(app: Application[Any]) -> Credits:
    """The credits table of this service's event store (made on first use)."""
    if app not in _TABLES:
        _TABLES[app] = Credits(app)
    return _TABLES[app]
