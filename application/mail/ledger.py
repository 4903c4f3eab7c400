"""The reminder outbox: one durable row per reminder (case, level, day), in the events'
database, written before the message goes out.

    sending   written before the message is handed to the server
    sent      the server (or the file outbox) took it; ReminderSent not yet stored
    recorded  ReminderSent stored, under the row's key as its idempotency key

A row left at `sending` by a crash is in doubt (the server may have the message): it is
reported, and sent again only when a person says so. A row at `sent` is recorded without
sending again. See docs/adr/0021.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from eventsourcing.application import Application

from application.sidetable import SideTable

TABLE = "reminder_outbox"
_COLUMNS = ("reminder_key", "case_id", "invoice_number", "level", "day", "actor", "recipient",
            "message_id", "message", "state", "started_at", "sent_at", "delivered",
            "resolved_by")


class State(StrEnum):
    SENDING = "sending"
    SENT = "sent"
    RECORDED = "recorded"


@dataclass(frozen=True)
class OutboxRow:
    key: str
    case_id: UUID
    invoice_number: str
    level: str
    day: date
    actor: str
    recipient: str
    message_id: str
    message: str  # the message as sent (7-bit text), kept for a resend of the very same
    state: State
    started_at: datetime
    sent_at: datetime | None = None
    delivered: str = ""  # what the mailer said: "sent via SMTP to ...", "written to ..."
    resolved_by: str = ""  # who confirmed a reminder that was in doubt

    def values(self) -> tuple[Any, ...]:
        return (self.key, str(self.case_id), self.invoice_number, self.level,
                self.day.isoformat(), self.actor, self.recipient, self.message_id,
                self.message, self.state.value, self.started_at.isoformat(),
                None if self.sent_at is None else self.sent_at.isoformat(), self.delivered,
                self.resolved_by)

    @classmethod
    def from_row(cls, row: Any) -> OutboxRow:
        sent_at = row["sent_at"]
        return cls(row["reminder_key"], UUID(row["case_id"]), row["invoice_number"],
                   row["level"], date.fromisoformat(row["day"]), row["actor"],
                   row["recipient"], row["message_id"], row["message"], State(row["state"]),
                   datetime.fromisoformat(row["started_at"]),
                   None if sent_at is None else datetime.fromisoformat(sent_at),
                   row["delivered"], row["resolved_by"])


class Ledger(SideTable):
    """The outbox table, through the event store's own connections (SQLite or PostgreSQL)."""

    def __init__(self, app: Application[Any]) -> None:
        super().__init__(app, TABLE)
        self._run(f"CREATE TABLE IF NOT EXISTS {self.table} ("
                  "reminder_key TEXT PRIMARY KEY, case_id TEXT NOT NULL, "
                  "invoice_number TEXT NOT NULL, level TEXT NOT NULL, day TEXT NOT NULL, "
                  "actor TEXT NOT NULL, recipient TEXT NOT NULL, message_id TEXT NOT NULL, "
                  "message TEXT NOT NULL, state TEXT NOT NULL, started_at TEXT NOT NULL, "
                  "sent_at TEXT, delivered TEXT NOT NULL, resolved_by TEXT NOT NULL)")
        self._run(f"CREATE INDEX IF NOT EXISTS {TABLE}_by_case ON {self.table} "
                  "(case_id, state)")

    def begin(self, row: OutboxRow) -> bool:
        """Write the row at `sending`; False if a row with its key is there already."""
        marks = ",".join("?" * len(_COLUMNS))
        return bool(self._run(
            f"INSERT INTO {self.table} ({', '.join(_COLUMNS)}) VALUES ({marks}) "
            "ON CONFLICT (reminder_key) DO NOTHING RETURNING reminder_key",
            row.values(), fetch=True))

    def get(self, key: str) -> OutboxRow | None:
        rows = self._select("WHERE reminder_key = ?", (key,))
        return rows[0] if rows else None

    def unresolved(self, case_id: UUID | None = None) -> list[OutboxRow]:
        """Rows not yet recorded (of one case, or all), oldest first."""
        where, params = "WHERE state <> ?", (State.RECORDED.value,)
        if case_id is not None:
            where, params = where + " AND case_id = ?", (*params, str(case_id))
        return self._select(where + " ORDER BY started_at, reminder_key", params)

    def _select(self, where: str, params: tuple[Any, ...]) -> list[OutboxRow]:
        rows = self._run(f"SELECT {', '.join(_COLUMNS)} FROM {self.table} {where}", params,
                         fetch=True)
        return [OutboxRow.from_row(row) for row in rows]

    def mark_sent(self, row: OutboxRow, delivered: str, at: datetime,
                  resolved_by: str = "") -> OutboxRow:
        sent = replace(row, state=State.SENT, delivered=delivered, sent_at=at,
                       resolved_by=resolved_by or row.resolved_by)
        self._run(f"UPDATE {self.table} SET state = ?, delivered = ?, sent_at = ?, "
                  "resolved_by = ? WHERE reminder_key = ?",
                  (sent.state.value, delivered, at.isoformat(), sent.resolved_by, row.key))
        return sent

    def mark_recorded(self, row: OutboxRow) -> None:
        self._run(f"UPDATE {self.table} SET state = ? WHERE reminder_key = ?",
                  (State.RECORDED.value, row.key))

    def remove(self, row: OutboxRow) -> None:
        self._run(f"DELETE FROM {self.table} WHERE reminder_key = ?", (row.key,))


_LEDGERS: weakref.WeakKeyDictionary[Application[Any], Ledger] = weakref.WeakKeyDictionary()


def ledger_of(app: Application[Any]) -> Ledger:
    """The outbox of this service's event store (its table made on first use)."""
    if app not in _LEDGERS:
        _LEDGERS[app] = Ledger(app)
    return _LEDGERS[app]
