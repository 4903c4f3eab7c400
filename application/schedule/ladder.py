"""Which steps of a policy are due on a case today: pure decisions over a case's standing.

A step is pending once its day has come and the case has not passed it. Of the pending
steps that apply to the case as it stands (a reminder only before a demand, the demand
only once...), the last is the step for the case's age: it is taken, and so are the
`catch_up` steps before it; every other pending step before it is passed over for good.
So a case that comes to the schedule late, or back from a pause late, starts where its age
puts it, and the earlier messages are never sent after the fact.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from application.schedule.policy import Anchor, Pause, Policy, Step, StepKind
from domain.case import DebtCase
from domain.values import Stage

BEFORE_DEMAND = frozenset({Stage.OPEN, Stage.OVERDUE, Stage.REMINDED})
# The stages in which the creditor still works the case; once it is referred (mediation,
# counsel, agency) or in insolvency the schedule leaves it to the people who have it.
WORKING = BEFORE_DEMAND | {Stage.DEMANDED}


class PauseReason(StrEnum):
    DISPUTED = "disputed"
    ON_HOLD = "on hold"
    PAYMENT_PLAN = "payment plan"
    PROMISE_TO_PAY = "promise to pay"
    SETTLEMENT = "settlement agreed"


@dataclass(frozen=True)
class Standing:
    """What the ladder needs to know of a case on a day."""

    due_date: date
    stage: Stage
    demand_deadline: date | None
    passed: frozenset[str]
    paused: PauseReason | None = None

    def day(self, today: date) -> int:
        """Days from the due date (negative before it)."""
        return (today - self.due_date).days


@dataclass(frozen=True)
class Due:
    """A step to take today, and the steps passed over just before it."""

    step: Step
    skipped: tuple[str, ...] = ()


def pause_reason(pause: Pause, *, disputed: bool, held: bool, hold_reason: str,
                 next_promised_date: date | None, today: date,
                 settle_by: date | None = None) -> PauseReason | None:
    """Why the case is left alone today (held: on hold that day), or None.

    Disputed and held cases (a plan in good standing holds a case) always pause: the case
    refuses reminders and demands while on hold. So does a settlement agreed (or an offer
    accepted) up to its pay-by day: chasing the whole debt would go back on the agreement.
    A promise not yet due pauses it if the policy says so."""
    if disputed:
        return PauseReason.DISPUTED
    if held:
        return PauseReason.PAYMENT_PLAN if hold_reason == "plan" else PauseReason.ON_HOLD
    if settle_by is not None and settle_by >= today:
        return PauseReason.SETTLEMENT
    if next_promised_date is not None and next_promised_date >= today and pause.promise_to_pay:
        return PauseReason.PROMISE_TO_PAY
    return None


def standing_of(case: DebtCase, pause: Pause, today: date) -> Standing:
    """A case's standing, from the case itself (what the schedule acts on)."""
    reason = pause_reason(pause, disputed=case.disputed, held=case.is_on_hold(today),
                          hold_reason=case.hold_reason,
                          next_promised_date=case.next_promised_date, today=today,
                          settle_by=case.settle_by)
    return Standing(case.due_date, case.stage_on(today), case.demand_deadline,
                    frozenset(case.schedule_steps), reason)


def standing_of_row(row: dict, pause: Pause, today: date) -> Standing:
    """A case's standing from its summary row as seen today (`CaseViews`): to find the
    cases worth loading without loading every case. (The row does not carry an agreed
    settlement: that pause is found once the case is loaded, by `standing_of`.)"""
    held = bool(row["on_hold"])
    reason = pause_reason(pause, disputed=held and row["hold_reason"] == "dispute", held=held,
                          hold_reason=row["hold_reason"],
                          next_promised_date=row["next_promised_date"], today=today)
    return Standing(row["due_date"], Stage(row["stage"]), row["demand_deadline"],
                    frozenset(row["schedule_steps"].split()), reason)


def step_day(step: Step, standing: Standing) -> date | None:
    """The day a step falls on for this case; None for a step after a deadline not set."""
    if step.anchor is Anchor.DEADLINE:
        if standing.demand_deadline is None:
            return None
        return standing.demand_deadline + timedelta(days=step.day)
    return standing.due_date + timedelta(days=step.day)


APPLIES: dict[StepKind, Callable[[Standing], bool]] = {
    StepKind.REMINDER: lambda s: s.stage in BEFORE_DEMAND,
    StepKind.CALL: lambda s: s.stage in WORKING,
    StepKind.CLAIM_INTEREST: lambda s: s.stage in WORKING,
    StepKind.DEMAND: lambda s: s.stage in BEFORE_DEMAND and s.demand_deadline is None,
    StepKind.REFERRAL: lambda s: s.stage == Stage.DEMANDED,
}


def due_steps(policy: Policy, standing: Standing, today: date) -> tuple[Due, ...]:
    """The steps to take today, in the policy's order (none while the case is paused)."""
    if standing.paused is not None:
        return ()
    pending = [s for s in policy.steps if s.name not in standing.passed
               and (day := step_day(s, standing)) is not None and day <= today]
    applying = [s for s in pending if APPLIES[s.kind](standing)]
    if not applying:
        return ()
    latest = applying[-1]
    taken = {s.name for s in applying[:-1] if s.catch_up} | {latest.name}
    due, skipped = [], []
    for step in pending[:pending.index(latest) + 1]:
        if step.name in taken:
            due.append(Due(step, tuple(skipped)))
            skipped = []
        else:
            skipped.append(step.name)
    return tuple(due)
