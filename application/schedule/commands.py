"""The schedule's commands: take a step of the policy (with what it does), set a task, mark a
task done. They are values like `application.commands`, run by `CaseService.handle`, but
not forms of the web or the API: the schedule builds them (and `arrears tasks done`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from application.commands import CaseCommand
from domain.case import DebtCase
from domain.values import Stamp


@dataclass(frozen=True, kw_only=True)
class SetTask(CaseCommand):
    """A task for a person: what, by when, the commands that do it, what their forms hold."""

    step: str
    what: str
    due_on: date
    actions: tuple[str, ...]
    prefill: tuple[tuple[str, str], ...] = ()

    def run(self, case: DebtCase, stamp: Stamp) -> None:
        case.create_task(step=self.step, what=self.what, due_on=self.due_on,
                         actions=self.actions, prefill=dict(self.prefill), stamp=stamp)


@dataclass(frozen=True, kw_only=True)
class TakeStep(CaseCommand):
    """Take one step of a policy: mark it taken (and the steps passed over), then run what
    it does, each with this command's stamp, all saved together (or nothing)."""

    step: str
    policy: str
    day: int
    skipped: tuple[str, ...] = ()
    note: str = ""
    then: tuple[CaseCommand, ...] = ()

    def run(self, case: DebtCase, stamp: Stamp) -> None:
        case.take_step(step=self.step, policy=self.policy, day=self.day, skipped=self.skipped,
                       note=self.note, stamp=stamp)
        for command in self.then:
            command.run(case, stamp)


@dataclass(frozen=True, kw_only=True)
class CompleteTask(CaseCommand):
    """Mark a task done that was done some other way, or decided against, saying how."""

    step: str
    notes: str

    def run(self, case: DebtCase, stamp: Stamp) -> None:
        case.complete_task(step=self.step, notes=self.notes, stamp=stamp)
