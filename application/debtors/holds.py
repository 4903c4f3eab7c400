"""Where debtor-level holds are kept: an append-only log in the event store's database
(docs/adr/0024). Each row is a fact: a hold placed (reason, end date) or lifted, with who did
it, the day it counts from and when it was recorded. A debtor's hold is their latest row, if
it placed one that still holds on the day asked about.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from datetime import date
from typing import Any

from eventsourcing.application import Application

from application.service import CaseService
from application.sidetable import SideTable
from domain.debtor_holds import DebtorHold, lifted, placed

TABLE = "debtor_hold_log"
_COLUMNS = ("debtor_key", "action", "reason", "until", "actor", "occurred_on", "recorded_at")


@dataclass(frozen=True)
class PlaceDebtorHold:
    debtor: str
    reason: str
    actor: str
    until: date | None = None


@dataclass(frozen=True)
class LiftDebtorHold:
    debtor: str
    actor: str


class DebtorHolds(SideTable):
    """The log, through the event store's own connections (SQLite or PostgreSQL)."""

    def __init__(self, service: CaseService) -> None:
        super().__init__(service, TABLE)
        self.clock = service.clock
        self._run(f"CREATE TABLE IF NOT EXISTS {self.table} (position "
                  + ("BIGSERIAL" if self.postgres else "INTEGER") + " PRIMARY KEY, "
                  "debtor_key TEXT NOT NULL, action TEXT NOT NULL, reason TEXT NOT NULL, "
                  "until TEXT, actor TEXT NOT NULL, occurred_on TEXT NOT NULL, "
                  "recorded_at TEXT NOT NULL)")

    def place(self, command: PlaceDebtorHold, today: date) -> DebtorHold:
        hold = placed(command.debtor, command.reason, command.until, command.actor, today)
        self._append(hold.debtor_key, "placed", hold.reason, hold.until, command.actor, today)
        return hold

    def lift(self, command: LiftDebtorHold, today: date) -> DebtorHold:
        hold = lifted(self.current(command.debtor, today), command.debtor, today)
        self._append(hold.debtor_key, "lifted", "", None, command.actor, today)
        return hold

    def _append(self, key: str, action: str, reason: str, until: date | None, actor: str,
                today: date) -> None:
        marks = ",".join("?" * len(_COLUMNS))
        self._run(f"INSERT INTO {self.table} ({', '.join(_COLUMNS)}) VALUES ({marks})",
                  (key, action, reason, None if until is None else until.isoformat(), actor,
                   today.isoformat(), self.clock.now().isoformat()))

    def current(self, debtor_key: str, today: date) -> DebtorHold | None:
        """The debtor's hold on `today`, if any."""
        return self.active(today, debtor_key).get(debtor_key)

    def active(self, today: date, debtor_key: str | None = None) -> dict[str, DebtorHold]:
        """The holds in force on `today`, by debtor key (of one debtor, or all)."""
        where, params = "", ()
        if debtor_key is not None:
            where, params = "WHERE debtor_key = ? ", (debtor_key,)
        rows = self._run(f"SELECT {', '.join(_COLUMNS)} FROM {self.table} {where}"
                         "ORDER BY position", params, fetch=True)
        latest: dict[str, Any] = {row["debtor_key"]: row for row in rows}
        holds = {key: _hold(row) for key, row in latest.items() if row["action"] == "placed"}
        return {key: hold for key, hold in holds.items() if hold.holds_on(today)}


def _hold(row: Any) -> DebtorHold:
    until = row["until"]
    return DebtorHold(row["debtor_key"], row["reason"],
                      None if until is None else date.fromisoformat(until), row["actor"],
                      date.fromisoformat(row["occurred_on"]))


_HOLDS: weakref.WeakKeyDictionary[Application[Any], DebtorHolds] = weakref.WeakKeyDictionary()


def holds_of(service: CaseService) -> DebtorHolds:
    """The debtor holds of this service's event store (the table made on first use)."""
    if service not in _HOLDS:
        _HOLDS[service] = DebtorHolds(service)
    return _HOLDS[service]
