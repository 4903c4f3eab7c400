"""The case service: one method per command. Load the case, command it, save, return ids.

Persistence follows ARREARS_DATABASE_URL (see `application.settings`). The clock is passed
in; every event's recorded-at time comes from it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date
from typing import Any, ClassVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import IntegrityError, JSONTranscoder

from application.clock import Clock, SystemClock
from application.errors import CaseAlreadyOpen, CaseNotFound, ConcurrentWrite
from application.records import case_record, event_record
from application.settings import DEFAULT_CREDITOR, database_url, eventsourcing_env
from application.transcodings import register_all
from domain.case import DebtCase, case_id_for
from domain.events import CaseEvent
from domain.values import Stamp

# Every command of a case, by its method name on DebtCase (and on CaseService).
COMMANDS = (
    "record_delivery", "send_reminder", "log_call", "promise_payment", "record_payment",
    "apply_penalty", "waive_penalty", "raise_dispute", "resolve_dispute", "place_hold",
    "lift_hold", "acknowledge_debt", "withdraw_service", "issue_demand", "agree_payment_plan",
    "agree_settlement", "refer_to_mediation", "conclude_mediation", "refer_to_counsel",
    "assign_agency", "file_bankruptcy_claim", "write_off", "add_note",
)


class CaseService(Application[UUID]):
    """Opens and works debt cases; the only writer of the event store."""

    name = "arrears"
    # A snapshot every 100 events: a long case is rebuilt from its latest snapshot.
    snapshotting_intervals: ClassVar[dict[type[Any], int]] = {DebtCase: 100}

    def __init__(self, url: str | None = None, *, clock: Clock | None = None,
                 create_table: bool = True, creditor: str = DEFAULT_CREDITOR) -> None:
        self.url = url or database_url()
        self.clock = clock or SystemClock()
        self.default_creditor = creditor or DEFAULT_CREDITOR
        # Commands on one case in this process run one at a time (striped locks); commands
        # from other processes are caught by the store as a concurrent write.
        self._locks = [threading.Lock() for _ in range(64)]
        super().__init__(env=eventsourcing_env(self.url, create_table))

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        register_all(transcoder)

    # -- commands ---------------------------------------------------------------------------

    def open_case(self, *, actor: str, occurred_on: date | None = None, **fields: Any) -> UUID:
        """Open a case for an invoice (see `DebtCase.open` for the fields)."""
        creditor = fields.get("creditor") or self.default_creditor
        invoice_number = fields.get("invoice_number") or ""
        if self._exists(case_id_for(creditor, invoice_number)):
            raise CaseAlreadyOpen(f"{creditor} already has a case for invoice {invoice_number}",
                                  "invoice_number")
        fields["creditor"] = creditor
        case = DebtCase.open(stamp=self._stamp(actor, occurred_on), **fields)
        self._save(case)
        return case.id

    def execute(self, case_id: UUID, command: str, *, actor: str,
                occurred_on: date | None = None, **fields: Any) -> int:
        """Run one of COMMANDS on a case; return the case's new version."""
        if command not in COMMANDS:
            raise ValueError(f"unknown command {command!r}")
        with self._locks[case_id.int % len(self._locks)]:
            case = self._cached(case_id)
            try:
                getattr(case, command)(stamp=self._stamp(actor, occurred_on), **fields)
                self._save(case)
            except BaseException:
                self._forget(case_id)  # the cached copy may hold unsaved events
                raise
            return case.version

    def _cached(self, case_id: UUID) -> DebtCase:
        """The cached case itself (no copy): only `execute` uses it, under the case's lock."""
        try:
            return self.repository.get(case_id, deepcopy_from_cache=False)
        except AggregateNotFoundError:
            raise CaseNotFound(f"no case with id {case_id}", "case") from None

    def _forget(self, case_id: UUID) -> None:
        if self.repository.cache is not None:
            try:
                self.repository.cache.get(case_id, evict=True)
            except KeyError:
                pass

    def _stamp(self, actor: str, occurred_on: date | None) -> Stamp:
        now = self.clock.now()
        return Stamp(actor=actor, occurred_on=occurred_on or now.date(), recorded_at=now)

    def _save(self, case: DebtCase) -> None:
        try:
            self.save(case)
        except IntegrityError:
            raise ConcurrentWrite(
                "the case was changed by someone else meanwhile; reload it and try again",
                "case") from None

    # -- reading ----------------------------------------------------------------------------

    def load(self, case_id: UUID) -> DebtCase:
        """A copy of the case, as stored now (changing it changes nothing stored)."""
        try:
            return self.repository.get(case_id)
        except AggregateNotFoundError:
            raise CaseNotFound(f"no case with id {case_id}", "case") from None

    def _exists(self, case_id: UUID) -> bool:
        return bool(list(self.recorder.select_events(case_id, limit=1)))

    def resolve(self, reference: str, creditor: str = "") -> UUID:
        """A case named by its id or by its invoice number (for the given creditor)."""
        text = (reference or "").strip()
        try:
            case_id = UUID(text)
        except ValueError:
            case_id = case_id_for(creditor or self.default_creditor, text)
        if not self._exists(case_id):
            raise CaseNotFound(f"no case '{text}'", "case")
        return case_id

    def currency(self, case_id: UUID) -> str:
        """The case's currency (amounts typed by people are in it), without copying the case."""
        with self._locks[case_id.int % len(self._locks)]:
            return self._cached(case_id).currency

    def case(self, case_id: UUID, on: date | None = None) -> dict[str, Any]:
        """The case as plain data, seen on a day (default today)."""
        return case_record(self.load(case_id), on or self.clock.today())

    def history(self, case_id: UUID) -> list[dict[str, Any]]:
        """Every event of the case, in the order it was recorded."""
        events = list(self.case_events(case_id))
        if not events:
            raise CaseNotFound(f"no case with id {case_id}", "case")
        return [event_record(e) for e in events]

    def case_events(self, case_id: UUID) -> Iterator[CaseEvent]:
        for stored in self.recorder.select_events(case_id):
            yield self.mapper.to_domain_event(stored)
