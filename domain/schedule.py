"""The escalation schedule's marks on a case: the steps it took, the tasks it set.

The ladder itself (which step when) is the policy's, in `application.schedule`; the case
only records that a step was taken (once) and which steps were passed over, and keeps its
tasks. A task is done when an event of one of its actions is recorded on the case (a call
logged for a call task): the command that records that event also records `TaskDone`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING

from domain import events as ev
from domain.errors import InvalidValue, RuleBroken
from domain.rules import check_not_before, check_text, optional_text
from domain.tasks import Task, TaskAction, check_step_name
from domain.values import Stamp, choice

if TYPE_CHECKING:
    from domain.case import DebtCase

# The event that each action records: recording it does an open task that names the action.
DONE_BY: dict[TaskAction, type[ev.CaseEvent]] = {
    TaskAction.SEND_REMINDER: ev.ReminderSent,
    TaskAction.LOG_CALL: ev.CallLogged,
    TaskAction.APPLY_PENALTY: ev.PenaltyApplied,
    TaskAction.ISSUE_DEMAND: ev.DemandIssued,
    TaskAction.REFER_TO_MEDIATION: ev.MediationReferred,
    TaskAction.ASSIGN_AGENCY: ev.CollectionAgencyAssigned,
    TaskAction.REFER_TO_COUNSEL: ev.LegalReferral,
    TaskAction.FILE_BANKRUPTCY_CLAIM: ev.BankruptcyClaimFiled,
    TaskAction.RECORD_PAYMENT: ev.PaymentReceived,
}
MAX_PREFILLED = 20


class ScheduleCommands:
    """Mixed into `DebtCase`: what the schedule records, and the case's tasks."""

    def take_step(self: DebtCase, *, step: str, policy: str, day: int,
                  skipped: Sequence[str] = (), note: str = "", stamp: Stamp) -> None:
        """Mark a step of the policy as taken (each step once per case), and the steps
        passed over before it; `note` says what the step found (nothing to claim...)."""
        stamp = self._check_open(stamp)
        step = check_step_name(step)
        passed = [check_step_name(name, "skipped") for name in skipped]
        for name in (step, *passed):
            if name in self.schedule_steps:
                raise RuleBroken(f"the schedule already passed step '{name}' on this case",
                                 "step")
        if step in passed or len(set(passed)) < len(passed):
            raise InvalidValue("a step is taken or skipped once", "skipped")
        self._record(ev.ScheduleStepTaken, stamp, step=step, policy=check_text(policy, "policy"),
                     day=int(day), skipped=passed, entered=not self.schedule_steps,
                     note=optional_text(note, "basis"))

    def create_task(self: DebtCase, *, step: str, what: str, due_on: date,
                    actions: Sequence[str], prefill: Mapping[str, str] | None = None,
                    stamp: Stamp) -> None:
        """Set a task for a person: what to do, by when, and the commands that do it."""
        stamp = self._check_open(stamp)
        step = check_step_name(step)
        if any(task.step == step for task in self.tasks):
            raise RuleBroken(f"the case already has a task for step '{step}'", "step")
        check_not_before(due_on, stamp.occurred_on, "due_on", "the day the task is set")
        words = [choice(TaskAction, action, "actions").value for action in actions]
        if not words:
            raise InvalidValue("a task needs at least one action", "actions")
        self._record(ev.TaskCreated, stamp, step=step, what=check_text(what, "what"),
                     due_on=due_on, actions=words, prefill=_prefill(prefill or {}))

    def complete_task(self: DebtCase, *, step: str, notes: str, stamp: Stamp) -> None:
        """Mark a task done that was done otherwise (or decided against), saying how."""
        stamp = self._check_open(stamp)
        if self._open_task(step) is None:
            raise RuleBroken(f"the case has no open task for step '{step}'", "step")
        self._record(ev.TaskDone, stamp, step=step, done_by="",
                     notes=check_text(notes, "notes"))

    def open_tasks(self: DebtCase) -> list[Task]:
        return [task for task in self.tasks if task.is_open]

    def _open_task(self: DebtCase, step: str) -> Task | None:
        return next((task for task in self.open_tasks() if task.step == step), None)

    def _finish_tasks_done_by(self: DebtCase, event_class: type[ev.CaseEvent],
                              stamp: Stamp) -> None:
        """After an event: record each open task it does as done (decided here, once)."""
        for task in self.open_tasks():
            if any(DONE_BY[TaskAction(action)] is event_class for action in task.actions):
                self.trigger_event(ev.TaskDone, timestamp=stamp.recorded_at, actor=stamp.actor,
                                   occurred_on=stamp.occurred_on, step=task.step,
                                   done_by=event_class.__name__, notes="")


def _prefill(values: Mapping[str, str]) -> dict[str, str]:
    """What a task's form opens with: a few short texts by field name."""
    if len(values) > MAX_PREFILLED:
        raise InvalidValue(f"at most {MAX_PREFILLED} prefilled fields", "prefill")
    return {check_text(name, "prefill"): optional_text(value, "prefill")
            for name, value in values.items()}
