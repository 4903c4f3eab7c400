"""The schedule run: apply every due step of each creditor's policy to every open case, once.

The case summaries (read models) say which cases may have a step due, without loading
every case; each of those is then loaded and decided on again from its events, which is
what counts. Each step is one command (`TakeStep`: the mark and what the step does) under
the idempotency key `schedule:<case>:<step>:<day>`, so a run repeated on the same day, in
this process or another, records nothing the second time; on a later day the case itself
says the step was passed.

A debtor on hold (`application.debtors.holds`) has every case paused ("debtor_hold"). The
email reminders a run would send one debtor on one day wait until every case is looked at,
then go as one message (`application.schedule.grouping`, docs/adr/0025), each case recording
its own step and ReminderSent pointing at it; a debtor with one such reminder gets it as
before.

A preview decides the same way and tries each step on a copy of the case (so a refusal shows,
and a demand after a claim is for the amount with the claim), and stores nothing: no message
is sent, no letter rendered.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from functools import cache
from uuid import UUID

from application.debtors.holds import holds_of
from application.errors import IdempotencyKeyReused
from application.readmodels.queries import CaseViews
from application.schedule.commands import TakeStep
from application.schedule.grouping import DEBTOR_HOLD, Waiting, grouped_sender
from application.schedule.hooks import (
    SCHEDULE_ACTOR,
    InterestClaimer,
    JurisdictionOf,
    LetterRenderer,
    NoLetters,
    RecordOnlySender,
    ReminderSender,
    StepFailed,
    case_jurisdiction,
)
from application.schedule.interest import StatutoryInterestClaimer
from application.schedule.ladder import (
    WORKING,
    Due,
    due_steps,
    standing_of,
    standing_of_row,
)
from application.schedule.policies import Policies
from application.schedule.policy import Policy
from application.schedule.report import Action, RunReport
from application.schedule.steps import StepWork, Work
from application.service import CaseService
from domain.case import DebtCase
from domain.debtors import debtor_key
from domain.errors import DomainError
from domain.events import CaseEvent
from domain.values import Stamp

Progress = Callable[[int], None]


@dataclass(frozen=True)
class Hooks:
    """The ports the engine uses (`application.schedule.hooks`), defaults unless given."""

    reminders: ReminderSender = field(default_factory=RecordOnlySender)
    interest: InterestClaimer = field(default_factory=StatutoryInterestClaimer)
    letters: LetterRenderer = field(default_factory=NoLetters)
    jurisdiction: JurisdictionOf = case_jurisdiction


def step_key(case_id: UUID, step: str, today: date) -> str:
    """The idempotency key of a step taken on a case on a day."""
    return f"schedule:{case_id}:{step}:{today.isoformat()}"


class Schedule:
    """Runs (or previews) the policies over the open cases for one day."""

    def __init__(self, service: CaseService, views: CaseViews, policies: Policies,
                 hooks: Hooks | None = None) -> None:
        self.service = service
        self.views = views
        self.policies = policies
        hooks = hooks or Hooks()
        self.work = StepWork(hooks.reminders, hooks.interest, hooks.letters, hooks.jurisdiction)
        self._held: dict[str, object] = {}
        self._waiting: Waiting | None = None

    def candidates(self, today: date) -> list[dict]:
        """The summaries of the open cases the schedule works (not referred, not closed)."""
        return [row for row in self.views.open_cases(today) if row["stage"] in WORKING]

    def run(self, today: date, rows: list[dict] | None = None,
            progress: Progress | None = None) -> RunReport:
        """Take every step due today; what was done, paused, repeated or refused.

        `rows`: the candidates, if already asked for (to size a progress bar); `progress`
        is called with 1 after each case.
        """
        return self._go(today, True, rows, progress)

    def preview(self, today: date, rows: list[dict] | None = None,
                progress: Progress | None = None) -> RunReport:
        """What a run today would do; nothing is stored, sent or rendered."""
        return self._go(today, False, rows, progress)

    def _go(self, today: date, live: bool, rows: list[dict] | None,
            progress: Progress | None) -> RunReport:
        self.policies.check()
        rows = self.candidates(today) if rows is None else rows
        report = RunReport(today, recorded=live, cases=len(rows))
        self._held = holds_of(self.service).active(today)
        self._waiting = Waiting() if grouped_sender(self.work.reminders) else None
        for row in rows:
            self._row(row, today, live, report)
            if progress is not None:
                progress(1)
        self._send_waiting(today, live, report)
        return report

    def _send_waiting(self, today: date, live: bool, report: RunReport) -> None:
        """The email reminders held back: one message per debtor (`grouping`)."""
        waiting, self._waiting = self._waiting, None
        sender = grouped_sender(self.work.reminders)
        if waiting is None or sender is None:
            return
        for group in waiting.groups():
            sent = sender.send_group(group, today, live)
            if isinstance(sent, StepFailed):
                for w in group:
                    report.failed(w.case, w.dues[0].step.name, sent)
                continue
            for w, work in zip(group, sent.works, strict=True):
                self._steps(w.case, w.policy, w.dues, today, live, report, work)
            sender.finish(group, sent)

    def _row(self, row: dict, today: date, live: bool, report: RunReport) -> None:
        policy = self.policies.for_creditor(row["creditor"])
        standing = standing_of_row(row, policy.pause, today)
        if row["debtor_key"] in self._held:
            report.paused[DEBTOR_HOLD] += 1
        elif standing.paused is not None:
            report.paused[standing.paused.value] += 1
        elif due_steps(policy, standing, today):
            self._case(UUID(row["case_id"]), policy, today, live, report)

    def _case(self, case_id: UUID, policy: Policy, today: date, live: bool,
              report: RunReport) -> None:
        """Decide again on the case itself, then take its due steps in order."""
        case = self.service.load(case_id)
        standing = standing_of(case, policy.pause, today)
        if debtor_key(case.debtor) in self._held:
            report.paused[DEBTOR_HOLD] += 1
            return
        if standing.paused is not None:
            report.paused[standing.paused.value] += 1
            return
        self._steps(case, policy, due_steps(policy, standing, today), today, live, report)

    def _steps(self, case: DebtCase, policy: Policy, dues: Sequence[Due], today: date,
               live: bool, report: RunReport, sent: Work | None = None) -> None:
        """Take the due steps in order (the first with its reminder `sent` already, if
        given); an email reminder to wait for the debtor's others stops here for now."""
        case_id = case.id
        history = cache(lambda: tuple(self._events(case_id)))
        for index, due in enumerate(dues):
            if self._waiting is not None and self._waiting.holds(case, policy, dues[index:]):
                return  # taken with the debtor's other reminders, at the end of the run
            try:
                action = self._step(case, policy, due, today, live, history, sent)
            except (DomainError, StepFailed) as error:
                report.failed(case, due.step.name, error)
                return  # the later steps wait for this one
            sent = None
            report.add(action)
            if live:  # the next step works on the case as stored now
                case = self.service.load(case_id)
                history.cache_clear()

    def _step(self, case: DebtCase, policy: Policy, due: Due, today: date, live: bool,
              history: Callable[[], Sequence[CaseEvent]], sent: Work | None = None) -> Action:
        step = due.step
        key = step_key(case.id, step.name, today)
        work = sent or self.work.work(case, step, today, key, history, live)
        action = Action.of(case, step, due.skipped, work.description, work.note)
        command = TakeStep(case_id=case.id, actor=SCHEDULE_ACTOR, occurred_on=today,
                           step=step.name, policy=policy.name, day=(today - case.due_date).days,
                           skipped=due.skipped, note=work.note, then=work.commands)
        if not live:  # tried on the loaded copy of the case, never saved
            command.run(case, self._preview_stamp(today))
            return action
        try:
            recorded = self.service.handle(command, idempotency_key=key)
        except IdempotencyKeyReused:
            return action.again()  # another run took this step today, with other details
        return action.again() if recorded.repeated else action

    def _preview_stamp(self, today: date) -> Stamp:
        """A stamp for trying a step on a copy: a later day is previewed as if it had come."""
        now = self.service.clock.now()
        at = max(now, datetime.combine(today, time(9), tzinfo=UTC))
        return Stamp(SCHEDULE_ACTOR, today, at)

    def _events(self, case_id: UUID) -> Iterator[CaseEvent]:
        return self.service.case_events(case_id)
