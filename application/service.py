"""The case service: `handle(command)` runs every command. Lock, load, run, save.

A command may come with an idempotency key (`application.idempotency`): the key is saved
with the events, and the same request sent again is answered without running it twice.

Persistence follows ARREARS_DATABASE_URL (see `application.settings`). The clock is passed
in; every event's recorded-at time comes from it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any, ClassVar, cast
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import IntegrityError, JSONTranscoder

from application.clock import Clock, SystemClock
from application.commands import CaseCommand, Command, OpenCase, Recorded
from application.errors import (
    CaseAlreadyOpen,
    CaseNotFound,
    ConcurrentWrite,
    IdempotencyKeyReused,
)
from application.idempotency import KEY_FIELD, SAVE_KEYWORD, Claim, IdempotentRecorder
from application.records import case_record, event_record
from application.settings import DEFAULT_CREDITOR, database_url, eventsourcing_env
from application.transcodings import register_all
from domain.case import DebtCase, case_id_for
from domain.errors import DomainError
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

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        register_all(transcoder)

    # -- commands ---------------------------------------------------------------------------

    def handle(self, command: Command, idempotency_key: str | None = None, *,
               before_save: Callable[[], None] | None = None) -> Recorded:
        """The one way in: run a command, store its events, say which versions it stored.

        A case command locks the case (in this process), brings the cached case up to date,
        runs the command on it and saves; nothing is stored when the case refuses it.

        With an idempotency key, the key is stored in the events' transaction; a command
        sent again under a stored key is not run: the first one's `Recorded` is returned
        (with `repeated` set), and a different command under that key is refused.
        `before_save` runs once the case has accepted the command, just before its events
        are saved (an attachment's bytes are stored there); if it fails, nothing is saved.
        """
        if not isinstance(command, OpenCase | CaseCommand):
            raise TypeError(f"not a command: {command!r}")
        claim = None if idempotency_key is None else Claim.of(command, idempotency_key)
        try:
            if isinstance(command, OpenCase):
                return self._earlier(claim) or self._open(command, claim)
            return self._run(command, claim, before_save)
        except IdempotencyKeyReused:
            raise
        except DomainError:
            # The same request may have been stored meanwhile by another process, after our
            # look-up: then the save collided (ConcurrentWrite), or the command, run on the
            # case as it now stands, was refused (the case already open, paid, closed...).
            if earlier := self._earlier(claim):
                return earlier
            raise

    def _run(self, command: CaseCommand, claim: Claim | None,
             before_save: Callable[[], None] | None = None) -> Recorded:
        case_id = command.case_id
        with self._locks[case_id.int % len(self._locks)]:
            if earlier := self._earlier(claim):
                return earlier
            case = self._cached(case_id)
            before = case.version
            try:
                command.run(case, self._stamp(command.actor, command.occurred_on))
                recorded = Recorded(case_id, case.invoice_number, before + 1, case.version)
                if before_save is not None:
                    before_save()
                self._save(case, claim, recorded)
            except BaseException:
                self._forget(case_id)  # the cached copy may hold unsaved events
                raise
            return recorded

    def _open(self, command: OpenCase, claim: Claim | None) -> Recorded:
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
        recorded = Recorded(case.id, case.invoice_number, 1, case.version)
        self._save(case, claim, recorded)
        return recorded

    def _earlier(self, claim: Claim | None) -> Recorded | None:
        """What the claim's key stored before, if it did; refused if for another command."""
        if claim is None:
            return None
        found = cast(IdempotentRecorder, self.recorder).find_key(claim.key)
        if found is None:
            return None
        if found.fingerprint != claim.fingerprint:
            raise IdempotencyKeyReused(
                "this idempotency key was already used for a different request (another "
                "command, case or body); nothing was stored: use a new key for a new request",
                KEY_FIELD)
        return found.recorded

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

    def _save(self, case: DebtCase, claim: Claim | None, recorded: Recorded) -> None:
        """Store the case's new events, and the claim's key with them (one transaction)."""
        keyed = {} if claim is None else {SAVE_KEYWORD: claim.record(recorded, self.clock.now())}
        try:
            self.save(case, **keyed)
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
