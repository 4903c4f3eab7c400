"""Many commands, one transaction: `CaseService.handle_many` (ADR 35).

An import or a run of the schedule has its commands at hand together. Each command is run
on its case as `handle` runs it (the cases locked, the idempotency key looked up first, the
command refused alone by its case), and the saves of all of them go to the group committer
at once: one transaction, a savepoint per command, one commit. A command refused at its
savepoint (another writer changed the case meanwhile) gets ConcurrentWrite and is forgotten
from the cache; its neighbours are stored. A later command on the same case builds on the
earlier ones: once one is refused (by the case or at its savepoint), the later ones on that
case are refused too (FollowsRefused), as a row of an import or the steps of a case in the
schedule stop at their first refusal.

The outcome of each command is its `Recorded` or the DomainError refusing it, in order.
An error of the database itself (it is away, the disk is full) stores nothing and is raised.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, cast
from uuid import UUID

from eventsourcing.application import ProcessingEvent
from eventsourcing.persistence import IntegrityError, OperationalError

from application.commandlog import log_outcome
from application.commands import CaseCommand, Command, NamesUser, OpenCase, Recorded
from application.errors import CaseAlreadyOpen, ConcurrentWrite, FollowsRefused
from application.evidence.store import ChainedEventStore, Save
from application.groupcommit import Pending
from application.idempotency import SAVE_KEYWORD, Claim
from application.recorders.postgres import lost_in_pipeline
from domain.case import DebtCase, case_id_for
from domain.errors import DomainError

if TYPE_CHECKING:
    from application.service import CaseService

Outcome = Recorded | DomainError


@dataclass
class Step:
    """One command of the batch, and what became of it."""

    command: Command
    claim: Claim | None
    case_id: UUID
    save: Save | None = None
    case: DebtCase | None = None
    outcome: Outcome | None = None
    started: float = 0.0


class Batch:
    """Runs the commands of one `handle_many` call on their cases, then saves them at once."""

    def __init__(self, service: CaseService) -> None:
        self.service = service
        self.cases: dict[UUID, DebtCase] = {}  # the batch's cases, as its commands leave them
        self.last: dict[UUID, Pending] = {}  # each case's last pending save in the batch
        self.refused: set[UUID] = set()  # cases with a command refused in this batch

    def handle(self, commands: Sequence[Command],
               keys: Sequence[str | None] | None = None) -> list[Outcome]:
        steps = [self._step(c, k) for c, k in zip(commands, keys or [None] * len(commands),
                                                   strict=True)]
        stripes = sorted({s.case_id.int % len(self.service._locks) for s in steps})
        with ExitStack() as held:
            for stripe in stripes:  # in order, so two batches never wait on each other
                held.enter_context(self.service._locks[stripe])
            try:
                for step in steps:
                    if step.outcome is None:
                        self._run(step)
                    else:  # refused before it reached its case (its user, its key)
                        self.refused.add(step.case_id)
                saves = [s.save.pending for s in steps if s.save is not None]
                self.service.chain_recorder.committer.submit(saves)
                for step in steps:
                    self._finish(step)
            except BaseException:
                for case_id in self.cases:
                    self.service._forget(case_id)
                raise
        for step in steps:
            log_outcome(self.service, step.command, step.outcome, step.started)
        return [cast(Outcome, s.outcome) for s in steps]

    def _step(self, command: Command, key: str | None) -> Step:
        started = time.perf_counter()
        if not isinstance(command, OpenCase | CaseCommand):
            raise TypeError(f"not a command: {command!r}")
        case_id = command.case_id if isinstance(command, CaseCommand) else case_id_for(
            command.creditor or self.service.default_creditor, command.invoice_number)
        try:
            if isinstance(command, NamesUser) and command.user:
                command = replace(command, user=self.service.users.check_counsel(command.user))
            claim = None if key is None else Claim.of(command, key)
        except DomainError as error:
            return Step(command, None, case_id, outcome=error, started=started)
        return Step(command, claim, case_id, started=started)

    def _run(self, step: Step) -> None:
        """Run the command on its case (nothing saved yet); a refusal is its outcome."""
        try:
            if earlier := self.service._earlier(step.claim):
                step.outcome = earlier
                return
            if step.case_id in self.refused:
                raise FollowsRefused.on_case()
            if isinstance(step.command, OpenCase):
                case = self.service._new_case(step.command, exists=self._exists)
                before = 0
            else:
                case, before = self._command(step.command)
        except DomainError as error:
            step.outcome = error
            self.refused.add(step.case_id)
            return
        self._pending(step, case, before)

    def _command(self, command: CaseCommand) -> tuple[DebtCase, int]:
        case_id = command.case_id
        case = self.cases.get(case_id) or self.service._cached(case_id)
        self.cases[case_id] = case
        before = case.version
        try:
            command = self.service.prepare(case, command)
            command.run(case, self.service._stamp(command.actor, command.occurred_on))
        except BaseException:
            if case.version != before:  # events applied, then refused: the copy is spoilt
                case.collect_events()
                self.service._forget(case_id)
            raise
        return case, before

    def _pending(self, step: Step, case: DebtCase, before: int) -> None:
        recorded = Recorded(case.id, case.invoice_number, before + 1, case.version)
        keyed = {} if step.claim is None else {
            SAVE_KEYWORD: step.claim.record(recorded, self.service.clock.now())}
        events = list(case.collect_events())
        step.save = self._store.prepare(events, after=self.last.get(case.id), **keyed)
        step.case, step.outcome = case, recorded
        self.cases[case.id] = case
        self.last[case.id] = step.save.pending

    def _finish(self, step: Step) -> None:
        if step.save is None:
            return
        try:
            self._store.finish(step.save)
        except (IntegrityError, OperationalError) as error:
            if isinstance(error, OperationalError) and not lost_in_pipeline(error):
                raise
            step.outcome = self._refused(step)
        except DomainError as error:  # the chain under the case is broken
            self.service._forget(step.case_id)
            step.outcome = self._earlier(step) or error
        else:
            self._snapshot(step)

    def _refused(self, step: Step) -> Outcome:
        self.service._forget(step.case_id)
        if earlier := self._earlier(step):
            return earlier
        if step.save is not None and step.save.pending.refused_before() is not None:
            return FollowsRefused.on_case()
        if isinstance(step.command, OpenCase):
            return CaseAlreadyOpen.of(step.command.creditor or self.service.default_creditor,
                                      step.command.invoice_number)
        return ConcurrentWrite.on_case()

    def _earlier(self, step: Step) -> Recorded | None:
        """The same request stored meanwhile (another process, or earlier in this batch)."""
        try:
            return self.service._earlier(step.claim)
        except DomainError:
            return None

    def _snapshot(self, step: Step) -> None:
        assert step.save is not None and step.case is not None
        done: ProcessingEvent[UUID] = ProcessingEvent()
        done.events = list(step.save.domain_events)
        done.aggregates = {step.case_id: step.case}
        self.service._take_snapshots(done)

    def _exists(self, case_id: UUID) -> bool:
        return case_id in self.cases or self.service._exists(case_id)

    @property
    def _store(self) -> ChainedEventStore:
        return cast(ChainedEventStore, self.service.events)
