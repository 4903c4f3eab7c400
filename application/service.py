"""The case service: `handle(command)` runs every command. Lock, load, run, save.

Persistence follows ARREARS_DATABASE_URL (see `application.settings`). The clock is passed
in; every event's recorded-at time comes from it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from typing import Any, ClassVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import IntegrityError, JSONTranscoder

from application.clock import Clock, SystemClock
from application.commands import CaseCommand, Command, NamesUser, OpenCase, Recorded
from application.errors import CaseAlreadyOpen, CaseNotFound, ConcurrentWrite
from application.records import case_record, event_record
from application.settings import DEFAULT_CREDITOR, database_url, eventsourcing_env
from application.transcodings import register_all
from application.users.accounts import Accounts
from application.users.directory import DIRECTORY_ID
from domain.case import DebtCase, case_id_for
from domain.events import CaseEvent
from domain.values import Stamp


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
        self.users = Accounts(self)  # the user directory lives in the same store (ADR 17)

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        register_all(transcoder)

    # -- commands ---------------------------------------------------------------------------

    def handle(self, command: Command) -> Recorded:
        """The one way in: run a command, store its events, say which versions it stored.

        A case command locks the case (in this process), brings the cached case up to date,
        runs the command on it and saves; nothing is stored when the case refuses it.
        """
        if isinstance(command, OpenCase):
            return self._open(command)
        if not isinstance(command, CaseCommand):
            raise TypeError(f"not a command: {command!r}")
        if isinstance(command, NamesUser) and command.user:
            command = replace(command, user=self.users.check_counsel(command.user))
        case_id = command.case_id
        with self._locks[case_id.int % len(self._locks)]:
            case = self._cached(case_id)
            before = case.version
            try:
                command.run(case, self._stamp(command.actor, command.occurred_on))
                self._save(case)
            except BaseException:
                self._forget(case_id)  # the cached copy may hold unsaved events
                raise
            return Recorded(case_id, case.invoice_number, before + 1, case.version)

    def _open(self, command: OpenCase) -> Recorded:
        """Open a case; its business date defaults to the invoice's issue date."""
        creditor = command.creditor or self.default_creditor
        if self._exists(case_id_for(creditor, command.invoice_number)):
            raise CaseAlreadyOpen(
                f"{creditor} already has a case for invoice {command.invoice_number}",
                "invoice_number")
        case = DebtCase.open(
            creditor=creditor, invoice_number=command.invoice_number, debtor=command.debtor,
            amount=command.amount, issue_date=command.issue_date, due_date=command.due_date,
            terms=command.terms, contract_reference=command.contract_reference,
            stamp=self._stamp(command.actor, command.occurred_on or command.issue_date))
        self._save(case)
        return Recorded(case.id, case.invoice_number, 1, case.version)

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
        if case_id == DIRECTORY_ID:  # the users' aggregate is no case
            return False
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
