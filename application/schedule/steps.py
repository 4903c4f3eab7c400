"""What each kind of step does on a case: the commands it runs and a line saying so.

An automatic step runs the step's own command(s) (a reminder, the penalties of a claim, the
demand); a task step sets a task whose form opens prefilled. In a preview (`live` false)
nothing is sent or rendered: the reminder and the letter are only described.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from application.commands import CaseCommand, IssueDemand, SendReminder
from application.schedule.commands import SetTask
from application.schedule.demands import demand_terms
from application.schedule.hooks import (
    SCHEDULE_ACTOR,
    InterestClaim,
    InterestClaimer,
    JurisdictionOf,
    LetterRenderer,
    ReminderSender,
)
from application.schedule.interest import fitted
from application.schedule.policy import Step, StepKind
from domain.case import DebtCase
from domain.events import CaseEvent
from domain.values import CallDirection

History = Callable[[], Sequence[CaseEvent]]


@dataclass(frozen=True)
class Work:
    """A step's commands (run after the step is marked taken) and what they do, in words."""

    commands: tuple[CaseCommand, ...]
    description: str
    note: str = ""


@dataclass(frozen=True)
class StepWork:
    """Builds each step's work with the hooks it needs."""

    reminders: ReminderSender
    interest: InterestClaimer
    letters: LetterRenderer
    jurisdiction: JurisdictionOf

    def work(self, case: DebtCase, step: Step, today: date, key: str, history: History,
             live: bool) -> Work:
        if step.is_task:
            return self._task(case, step, today, history)
        if step.kind is StepKind.REMINDER:
            sent = (self.reminders.send(case, step, today, key) if live
                    else SendReminder(case_id=case.id, actor=SCHEDULE_ACTOR, occurred_on=today,
                                      channel=step.channel))
            return Work((sent,), self.reminders.describe(case, step, today))
        if step.kind is StepKind.CLAIM_INTEREST:  # the penalties carry the basis, if any
            claim = self._claim(case, today, history)
            commands = (claim.command,) if claim.command is not None else claim.penalties
            return Work(commands, _claim_words(claim),
                        "" if claim.penalties else fitted(claim.note))
        return self._demand(case, step, today, key, live)

    def _claim(self, case: DebtCase, today: date, history: History) -> InterestClaim:
        return self.interest.claim(case, history(), self.jurisdiction(case), today)

    def _demand(self, case: DebtCase, step: Step, today: date, key: str, live: bool) -> Work:
        terms = demand_terms(step, case.debtor.kind, self.jurisdiction(case), today)
        demand = IssueDemand(case_id=case.id, actor=SCHEDULE_ACTOR, occurred_on=today,
                             deadline=terms.deadline, consequences=terms.consequences)
        if live:
            demand = self.letters.render(case, demand, terms.letter, key)
        words = terms.letter.value.replace("_", " ")
        return Work((demand,), f"{words} for {case.outstanding}, deadline "
                               f"{terms.deadline.isoformat()}", terms.note)

    def _task(self, case: DebtCase, step: Step, today: date, history: History) -> Work:
        due_on = today + timedelta(days=step.within_days)
        what, prefill = step.task_what, self._prefill(case, step, today, history)
        task = SetTask(case_id=case.id, actor=SCHEDULE_ACTOR, occurred_on=today,
                       step=step.name, what=what, due_on=due_on,
                       actions=tuple(a.value for a in step.task_actions),
                       prefill=tuple(sorted(prefill.items())))
        return Work((task,), f"task: {what} (due {due_on.isoformat()})")

    def _prefill(self, case: DebtCase, step: Step, today: date,
                 history: History) -> dict[str, str]:
        """What the task's form opens with."""
        if step.kind is StepKind.REMINDER:
            return {"channel": step.channel.value}
        if step.kind is StepKind.CALL:
            return {"direction": CallDirection.OUTBOUND.value}
        if step.kind is StepKind.DEMAND:
            terms = demand_terms(step, case.debtor.kind, self.jurisdiction(case), today)
            return {"deadline": terms.deadline.isoformat(), "consequences": terms.consequences}
        if step.kind is StepKind.CLAIM_INTEREST:
            return _penalty_form(self._claim(case, today, history))
        return {}


def _claim_words(claim: InterestClaim) -> str:
    if not claim.penalties:
        return "nothing to claim"
    return "claim " + ", ".join(f"{p.kind.value.replace('_', ' ')} {p.amount}"
                                for p in claim.penalties)


def _penalty_form(claim: InterestClaim) -> dict[str, str]:
    """The penalty form for the claim's first kind: its total, period, rate and basis."""
    if not claim.penalties:
        return {}
    first = claim.penalties[0]
    same = [p for p in claim.penalties if p.kind is first.kind]
    form = {"kind": first.kind.value, "amount": str(sum(p.amount for p in same)),
            "basis": first.basis}
    starts = [p.period_start for p in same if p.period_start is not None]
    ends = [p.period_end for p in same if p.period_end is not None]
    if starts and ends:
        form |= {"period_start": min(starts).isoformat(), "period_end": max(ends).isoformat()}
    if len({p.rate for p in same}) == 1 and first.rate is not None:
        form["rate"] = str(first.rate)
    return form
