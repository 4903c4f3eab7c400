"""The case service: `handle(command)` runs every command. Lock, load, run, save.

A command may come with an idempotency key (`application.idempotency`): the key is saved
with the events, and the same request sent again is answered without running it twice.

Every load checks the case's hash chain (`application.evidence`): a case whose stored
events no longer match their hashes raises ChainBroken and is not loaded, whether it is read
from the start, from a sealed snapshot or fast-forwarded in the cache.

Saves of concurrent commands are group-committed (`application.groupcommit`, ADR 35): they
share one transaction and one commit, each refused alone; `handle_many` saves a batch of
commands in one transaction the same way.

Persistence follows ARREARS_DATABASE_URL (see `application.settings`). The clock is passed
in; every event's recorded-at time comes from it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any, ClassVar, cast
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application, ProcessingEvent
from eventsourcing.persistence import (
    EventStore,
    IntegrityError,
    JSONTranscoder,
    OperationalError,
    Recording,
)
from eventsourcing.postgres import PostgresDatastore

from application.clock import Clock, SystemClock
from application.commandlog import logged
from application.commands import CaseCommand, Command, NamesUser, OpenCase, Recorded
from application.errors import (
    CaseAlreadyOpen,
    CaseNotFound,
    ConcurrentWrite,
    IdempotencyKeyReused,
)
from application.evidence.chain import Canonicalizer, ChainedEvent, chained
from application.evidence.keys import InstallationKey, installation_key
from application.evidence.parallel import InParallel
from application.evidence.store import (
    ChainedEventStore,
    Heads,
    SealedSnapshotStore,
    SnapshotChecks,
)
from application.idempotency import KEY_FIELD, SAVE_KEYWORD, Claim
from application.recorders import PostgresSnapshotRecorder, Recorder, SQLiteSnapshotRecorder
from application.recorders.postgres import lost_in_pipeline
from application.records import case_record, event_record
from application.settings import (
    AGGREGATE_CACHE_MAXSIZE,
    DEFAULT_CREDITOR,
    SettingsError,
    database_url,
    default_jurisdiction,
    eventsourcing_env,
    key_dir,
)
from application.transcodings import register_all
from application.users.accounts import Accounts
from application.users.directory import DIRECTORY_ID
from application.workers import jobs_for
from domain.case import DebtCase, case_id_for
from domain.errors import DomainError
from domain.events import CaseEvent
from domain.law import Jurisdiction
from domain.values import Stamp

log = logging.getLogger(__name__)


class CaseService(Application[UUID]):
    """Opens and works debt cases; the only writer of the event store."""

    name = "arrears"
    # A snapshot every 100 events: a long case is rebuilt from its latest snapshot.
    snapshotting_intervals: ClassVar[dict[type[Any], int]] = {DebtCase: 100}

    def __init__(self, url: str | None = None, *, clock: Clock | None = None,
                 create_table: bool = True, creditor: str = DEFAULT_CREDITOR,
                 key_directory: Path | None = None,
                 jurisdiction: Jurisdiction | None = None) -> None:
        self.url = url or database_url()
        self.key_dir = key_directory or key_dir(self.url)
        self._key: InstallationKey | None = None
        # The chain heads this process verified or wrote last (for fast-forwarded loads).
        self.heads = Heads(cases=4 * AGGREGATE_CACHE_MAXSIZE)
        self.clock = clock or SystemClock()
        self.default_creditor = creditor or DEFAULT_CREDITOR
        self.default_jurisdiction = jurisdiction or default_jurisdiction()
        # Commands on one case in this process run one at a time (striped locks); commands
        # from other processes are caught by the store as a concurrent write.
        self._locks = [threading.Lock() for _ in range(64)]
        # Runs on the case, under its lock, before a command does: returns the command to
        # run (the letters render theirs here: `application.letters.install_letters`).
        self.prepare: Callable[[DebtCase, CaseCommand], CaseCommand] = _as_asked
        super().__init__(env=eventsourcing_env(self.url, create_table))
        self.users = Accounts(self)  # the user directory lives in the same store (ADR 17)

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        register_all(transcoder)

    # -- the chain --------------------------------------------------------------------------

    def construct_recorder(self) -> Recorder:
        recorder = cast(Recorder, super().construct_recorder())
        recorder.canonical = Canonicalizer(self.mapper)
        return recorder

    def construct_event_store(self) -> EventStore[UUID]:
        return ChainedEventStore(self.mapper, self.recorder, self.heads)

    def construct_snapshot_store(self) -> EventStore[UUID]:
        datastore = self.factory.datastore  # type: ignore[attr-defined]
        # The table the library would use: stored_snapshots, or NAME_snapshots on PostgreSQL.
        recorder = (PostgresSnapshotRecorder(datastore, events_table_name=f"{self.name}_snapshots")
                    if isinstance(datastore, PostgresDatastore)
                    else SQLiteSnapshotRecorder(datastore))
        if self.factory.env_create_table():  # type: ignore[attr-defined]
            recorder.create_table()
        return SealedSnapshotStore(self.mapper, recorder, self.heads, self._snapshot_key)

    @property
    def chain_recorder(self) -> Recorder:
        """The recorder, with the chain's queries (heads, seals, checkpoints)."""
        return cast(Recorder, self.recorder)

    def snapshot_check(self) -> Callable[[UUID, dict[int, bytes]], tuple[int, str] | None] | None:
        """What `verify` calls to check a case's sealed snapshots (None without snapshots)."""
        return SnapshotChecks(self.snapshots) if isinstance(self.snapshots, SealedSnapshotStore) \
            else None

    def verify_ranges(self, jobs: int | None = None) -> InParallel | None:
        """How `verify` spreads over processes (ADR 43): `jobs` workers, by default one per
        core for a big store; None when this process checks alone."""
        count = jobs_for(jobs, self.recorder.max_notification_id() or 0, self.url)
        return InParallel(self.opener(), count) if count > 1 else None

    def opener(self) -> Callable[[], CaseService]:
        """How a worker process opens this store (picklable: `application.workers`)."""
        return partial(CaseService, self.url, create_table=False, key_directory=self.key_dir)

    def signing_key(self) -> InstallationKey:
        """The installation's key (made in the key directory on first use)."""
        if self._key is None:
            self._key = installation_key(self.key_dir)
        return self._key

    def _snapshot_key(self) -> tuple[str, bytes] | None:
        """The key sealing snapshots, or None (no snapshots) when the key cannot be had."""
        try:
            key = self.signing_key()
        except (SettingsError, OSError, ValueError) as error:
            log.warning("snapshots are not used: the signing key cannot be read (%s)", error)
            return None
        return key.key_id, key.snapshot_key()

    # -- commands ---------------------------------------------------------------------------

    @logged  # one line per command on the `arrears.command` log (application.commandlog)
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
        if isinstance(command, NamesUser) and command.user:
            command = replace(command, user=self.users.check_counsel(command.user))
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

    def handle_many(self, commands: Sequence[Command],
                    keys: Sequence[str | None] | None = None) -> list[Recorded | DomainError]:
        """Run the commands in order and save them in one transaction (`application.batch`):
        each command's `Recorded`, or the DomainError refusing it alone. A command refused
        at its save (someone changed the case meanwhile) is refused with ConcurrentWrite and
        its neighbours are stored; a later command on the same case is refused with it.
        Idempotency keys (one per command, or None) work as in `handle`."""
        from application.batch import Batch

        return Batch(self).handle(commands, keys)

    def _run(self, command: CaseCommand, claim: Claim | None,
             before_save: Callable[[], None] | None = None) -> Recorded:
        case_id = command.case_id
        with self._locks[case_id.int % len(self._locks)]:
            if earlier := self._earlier(claim):
                return earlier
            case = self._cached(case_id)
            before = case.version
            try:
                command = self.prepare(case, command)
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
        case = self._new_case(command)
        recorded = Recorded(case.id, case.invoice_number, 1, case.version)
        try:
            self._save(case, claim, recorded)
        except ConcurrentWrite:  # opened by another process since the look-up above
            raise CaseAlreadyOpen.of(command.creditor or self.default_creditor,
                                     command.invoice_number) from None
        return recorded

    def _new_case(self, command: OpenCase, *, exists: Callable[[UUID], bool] | None = None
                  ) -> DebtCase:
        """The case the command opens (not saved), refused if it is open already."""
        creditor = command.creditor or self.default_creditor
        if (exists or self._exists)(case_id_for(creditor, command.invoice_number)):
            raise CaseAlreadyOpen.of(creditor, command.invoice_number)
        return DebtCase.open(
            creditor=creditor, invoice_number=command.invoice_number, debtor=command.debtor,
            amount=command.amount, issue_date=command.issue_date, due_date=command.due_date,
            terms=command.terms, contract_reference=command.contract_reference,
            jurisdiction=command.jurisdiction or self.default_jurisdiction,
            stamp=self._stamp(command.actor, command.occurred_on or command.issue_date))

    def _earlier(self, claim: Claim | None) -> Recorded | None:
        """What the claim's key stored before, if it did; refused if for another command."""
        if claim is None:
            return None
        found = self.chain_recorder.find_key(claim.key)
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

    def save(self, *objs: Any, **kwargs: Any) -> list[Recording[UUID]]:
        """The library's `save`; one case is collected without `ProcessingEvent.collect_events`,
        whose two runtime Protocol checks (typing's isinstance, uncached on Python 3.11) cost
        more than the rest of the collecting."""
        if len(objs) != 1 or type(objs[0]) is not DebtCase:
            return super().save(*objs, **kwargs)
        case = objs[0]
        processing: ProcessingEvent[UUID] = ProcessingEvent()
        processing.events = list(case.collect_events())
        processing.aggregates = {case.id: case}
        processing.saved_kwargs = kwargs
        recordings = self._record(processing)
        self._take_snapshots(processing)
        self._notify(recordings)
        self.notify(processing.events)  # what the library's save calls (deprecated there)
        return recordings

    def _save(self, case: DebtCase, claim: Claim | None, recorded: Recorded) -> None:
        """Store the case's new events, and the claim's key with them (one transaction)."""
        keyed = {} if claim is None else {SAVE_KEYWORD: claim.record(recorded, self.clock.now())}
        try:
            self.save(case, **keyed)
        except IntegrityError:
            raise ConcurrentWrite.on_case() from None
        except OperationalError as error:
            if not lost_in_pipeline(error):  # psycopg's pipeline hides the unique violation
                raise
            raise ConcurrentWrite.on_case() from None

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

    def case(self, case_id: UUID, on: date | None = None) -> dict[str, Any]:
        """The case as plain data, seen on a day (default today)."""
        return case_record(self.load(case_id), on or self.clock.today())

    def history(self, case_id: UUID) -> list[dict[str, Any]]:
        """Every event of the case, in the order it was recorded."""
        events = list(self.case_events(case_id))
        if not events:
            raise CaseNotFound(f"no case with id {case_id}", "case")
        return [event_record(e) for e in events]

    def case_chain(self, case_id: UUID) -> list[ChainedEvent]:
        """The case's events as canonical bytes with their chain hashes, checked first
        (ChainBroken if the chain breaks); the last hash is the case's head."""
        stored, head = cast(ChainedEventStore, self.events).verified(case_id)
        if not stored:
            raise CaseNotFound(f"no case with id {case_id}", "case")
        made = chained(stored, self.chain_recorder.canonical.bytes_of)
        assert made[-1].hash == head.hash
        return made

    def case_events(self, case_id: UUID) -> Iterator[CaseEvent]:
        """The case's events as stored, its chain checked first (ChainBroken if it breaks)."""
        yield from cast(Iterator[CaseEvent], self.events.get(case_id))


def _as_asked(case: DebtCase, command: CaseCommand) -> CaseCommand:
    """The default `prepare`: the command as it was asked."""
    return command
