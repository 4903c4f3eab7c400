"""A policy: the escalation ladder, as values. Read from a TOML file by `policyfile`.

Each step is taken on the day `day` counts from its anchor: the invoice's due date
(negative: before it), or the demand's deadline (`after = "deadline"`, 1: the day after).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from application.wording import plural
from domain.tasks import TaskAction
from domain.values import Channel


class StepKind(StrEnum):
    REMINDER = "reminder"
    CALL = "call"
    CLAIM_INTEREST = "claim_interest"
    DEMAND = "demand"
    REFERRAL = "referral"


class Mode(StrEnum):
    AUTOMATIC = "automatic"  # the engine records the step's events (actor `schedule`)
    TASK = "task"  # the engine sets a task for a person


class Anchor(StrEnum):
    DUE = "due"  # days from the invoice's due date
    DEADLINE = "deadline"  # days after the demand's deadline


class ReminderTemplate(StrEnum):
    """Which reminder text the sender uses (the email templates carry these names)."""

    BEFORE_DUE = "before_due"
    ON_DUE = "on_due"
    AFTER_DUE = "after_due"
    FIRM = "firm"
    FINAL = "final"


class Referral(StrEnum):
    """Where a referral task may send the case: each is a button opening its form."""

    MEDIATION = "mediation"
    AGENCY = "agency"
    COUNSEL = "counsel"


REFERRAL_ACTIONS = {Referral.MEDIATION: TaskAction.REFER_TO_MEDIATION,
                    Referral.AGENCY: TaskAction.ASSIGN_AGENCY,
                    Referral.COUNSEL: TaskAction.REFER_TO_COUNSEL}
# The modes each kind of step allows; the first is its default.
MODES = {StepKind.REMINDER: (Mode.AUTOMATIC, Mode.TASK),
         StepKind.CALL: (Mode.TASK,),
         StepKind.CLAIM_INTEREST: (Mode.AUTOMATIC, Mode.TASK),
         StepKind.DEMAND: (Mode.AUTOMATIC, Mode.TASK),
         StepKind.REFERRAL: (Mode.TASK,)}
# What a task of each kind asks for, when the policy does not say.
TASK_WHAT = {StepKind.REMINDER: "Send a reminder",
             StepKind.CALL: "Call the debtor about the overdue invoice",
             StepKind.CLAIM_INTEREST: "Claim statutory interest and compensation",
             StepKind.DEMAND: "Issue the formal demand",
             StepKind.REFERRAL: "The demand's deadline has passed: consider mediation, a "
                                "collection agency or counsel"}
TASK_ACTIONS = {StepKind.REMINDER: (TaskAction.SEND_REMINDER,),
                StepKind.CALL: (TaskAction.LOG_CALL,),
                StepKind.CLAIM_INTEREST: (TaskAction.APPLY_PENALTY,),
                StepKind.DEMAND: (TaskAction.ISSUE_DEMAND,)}


@dataclass(frozen=True)
class Step:
    """One rung of the ladder. Fields a kind does not use keep their defaults."""

    name: str
    kind: StepKind
    day: int
    anchor: Anchor = Anchor.DUE
    mode: Mode = Mode.AUTOMATIC
    catch_up: bool = False  # taken even when the case comes to the ladder after its day
    what: str = ""  # a task's instruction
    within_days: int = 0  # a task is due this many days after it is set
    channel: Channel = Channel.EMAIL  # reminder
    template: ReminderTemplate | None = None  # reminder; None: by the day (before/on/after)
    deadline_days: int = 0  # demand: days to pay (a letter of claim gives at least 30)
    consequences: str = ""  # demand
    refer_to: tuple[Referral, ...] = ()  # referral

    @property
    def is_task(self) -> bool:
        return self.mode is Mode.TASK

    @property
    def task_what(self) -> str:
        return self.what or TASK_WHAT[self.kind]

    @property
    def task_actions(self) -> tuple[TaskAction, ...]:
        if self.kind is StepKind.REFERRAL:
            return tuple(REFERRAL_ACTIONS[r] for r in self.refer_to or tuple(Referral))
        return TASK_ACTIONS[self.kind]

    @property
    def reminder_template(self) -> ReminderTemplate:
        if self.template is not None:
            return self.template
        if self.day < 0:
            return ReminderTemplate.BEFORE_DUE
        return ReminderTemplate.ON_DUE if self.day == 0 else ReminderTemplate.AFTER_DUE

    def when(self) -> str:
        """'3 days before the due date', 'on the due date', '1 day after the deadline'."""
        if self.anchor is Anchor.DEADLINE:
            return f"{plural(self.day, 'day')} after the demand's deadline"
        if self.day == 0:
            return "on the due date"
        side = "before" if self.day < 0 else "after"
        return f"{plural(abs(self.day), 'day')} {side} the due date"


@dataclass(frozen=True)
class Pause:
    """Which cases the schedule leaves alone besides those it always leaves alone: disputed,
    on hold, on a payment plan in good standing (a case refuses reminders and demands then).
    """

    promise_to_pay: bool = True  # a promise to pay whose date has not passed


@dataclass(frozen=True)
class Policy:
    name: str
    steps: tuple[Step, ...]
    pause: Pause = Pause()
    source: str = ""  # the file it was read from

    def step(self, name: str) -> Step:
        return next(step for step in self.steps if step.name == name)
