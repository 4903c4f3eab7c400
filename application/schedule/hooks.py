"""What the schedule asks of the rest of Arrears: ports, wired at the composition root.

- `ReminderSender`: sends a reminder step's message. `build_schedule` wires the mail and SMS
  sender (`application.schedule.messages`); without it, `RecordOnlySender` records the
  reminder only (`SendReminder`, no message sent).
- `InterestClaimer`: what a claim step claims. The default is the case's own claim
  (`ClaimInterest`, by `domain.interest_claims`; `application.schedule.interest`).
- `LetterRenderer`: renders and keeps a demand letter or letter of claim. The default
  renders nothing (the demand is recorded without a letter); `build_schedule` wires the
  app's letters (`application.letters.LetterWriter`) when it has them.
- `JurisdictionOf`: whose law a case is under. The default: the jurisdiction the case was
  opened under (`case_jurisdiction`).

`application.schedule.engine.Hooks` holds one of each, the defaults unless given.
A hook that cannot do its part for one case (the mail server refused) raises `StepFailed`:
the run reports it for that case and goes on with the others.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Protocol

from application.commands import ApplyPenalty, CaseCommand, ClaimInterest, IssueDemand, SendReminder
from application.schedule.policy import Step
from domain.case import DebtCase
from domain.events import CaseEvent
from domain.law import Jurisdiction

SCHEDULE_ACTOR = "schedule"  # the actor of every event the engine records


class StepFailed(Exception):
    """A hook could not do its part for one case; the message says why."""


class LetterKind(StrEnum):
    FORMAL_DEMAND = "formal_demand"
    LETTER_OF_CLAIM = "letter_of_claim"  # Pre-Action Protocol for Debt Claims (E&W)
    REMINDER = "reminder"  # a reminder sent by post (channel letter)


@dataclass(frozen=True)
class InterestClaim:
    """What a claim records, penalty by penalty (none: nothing to claim), a sentence saying
    what or why, and the command that records it (`ClaimInterest`; None: nothing to claim).
    The penalties describe the claim (the step's words, a claim task's form); the command
    records it."""

    penalties: tuple[ApplyPenalty, ...]
    note: str
    command: ClaimInterest | None = None


class ReminderSender(Protocol):
    def describe(self, case: DebtCase, step: Step, today: date) -> str:
        """What the step would send (for the preview); nothing is sent."""
        ...

    def send(self, case: DebtCase, step: Step, today: date, key: str) -> CaseCommand:
        """Send the reminder, at most once per `key` (the step's idempotency key), and
        return the command that records it (its message_reference: the message's id), or
        a task for a person when it cannot be sent this way."""
        ...


class InterestClaimer(Protocol):
    def claim(self, case: DebtCase, history: Sequence[CaseEvent], jurisdiction: Jurisdiction,
              today: date) -> InterestClaim:
        """The interest and fixed sums not yet claimed on the case, up to `today`; pure
        (the preview calls it too). `history`: the case's events, oldest first."""
        ...


class LetterRenderer(Protocol):
    def render(self, case: DebtCase, demand: IssueDemand, letter: LetterKind,
               key: str) -> IssueDemand:
        """Render the letter for `demand` and keep it; return the demand with the letter
        (its letter_sha256, and a letter_reference if it had none)."""
        ...


class JurisdictionOf(Protocol):
    def __call__(self, case: DebtCase) -> Jurisdiction:
        ...


class RecordOnlySender:
    """Records the reminder (`SendReminder`) without sending anything."""

    def describe(self, case: DebtCase, step: Step, today: date) -> str:
        return (f"{step.reminder_template.value.replace('_', ' ')} reminder by "
                f"{step.channel.value}, recorded only (no sender is wired)")

    def send(self, case: DebtCase, step: Step, today: date, key: str) -> SendReminder:
        return SendReminder(case_id=case.id, actor=SCHEDULE_ACTOR, occurred_on=today,
                            channel=step.channel)


class NoLetters:
    """Renders no letter: the demand is recorded without a letter."""

    def render(self, case: DebtCase, demand: IssueDemand, letter: LetterKind,
               key: str) -> IssueDemand:
        return demand


def case_jurisdiction(case: DebtCase) -> Jurisdiction:
    """The jurisdiction the case was opened under (England and Wales for a case opened
    before cases carried one)."""
    return Jurisdiction(case.jurisdiction)
