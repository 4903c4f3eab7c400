"""One reminder per debtor and day (docs/adr/0025): the email reminder steps a run would take
for one debtor (the same creditor, the same debtor by `domain.debtors.debtor_key`, the same
address) wait until every case is looked at, then go as one message at the most advanced
level among them. Each case still takes its own step and records its own ReminderSent, all
with the one message's Message-ID. A debtor with one such reminder gets it as before.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from application.commands import SendReminder
from application.debtors.combined import (
    Reminded,
    most_advanced,
    reminder_command,
    send_combined,
)
from application.mail import MailNotSent, ReminderPending
from application.mail.ledger import OutboxRow, ledger_of
from application.mail.sending import recorded_version
from application.schedule.hooks import SCHEDULE_ACTOR, ReminderSender, StepFailed
from application.schedule.ladder import Due
from application.schedule.messages import MessageSender, reminder_level
from application.schedule.policy import Policy, StepKind
from application.schedule.steps import Work
from domain.case import DebtCase
from domain.debtors import debtor_key
from domain.errors import DomainError
from domain.values import Channel

DEBTOR_HOLD = "debtor_hold"  # the pause reason of a case whose debtor is on hold


@dataclass(frozen=True)
class Waiter:
    """A case whose next step is an email reminder, with the steps due after it."""

    case: DebtCase
    policy: Policy
    dues: tuple[Due, ...]


@dataclass
class Waiting:
    """The email reminders of a run held back, by creditor, debtor and address."""

    by_debtor: dict[tuple[str, str, str], list[Waiter]] = field(default_factory=dict)

    def holds(self, case: DebtCase, policy: Policy, dues: Sequence[Due]) -> bool:
        """Hold the case back if its next step is an email reminder (True)."""
        step = dues[0].step
        if (step.is_task or step.kind is not StepKind.REMINDER
                or step.channel is not Channel.EMAIL or not case.debtor.email):
            return False
        key = (case.creditor, debtor_key(case.debtor), case.debtor.email.casefold())
        self.by_debtor.setdefault(key, []).append(Waiter(case, policy, tuple(dues)))
        return True

    def groups(self) -> list[list[Waiter]]:
        return list(self.by_debtor.values())


@dataclass(frozen=True)
class Sent:
    """Each case's reminder work (None: sent on its own, as before) and the one row."""

    works: list[Work | None]
    row: OutboxRow | None = None


@dataclass(frozen=True)
class GroupSender:
    """Sends a group's one message through the mailer of the schedule's MessageSender."""

    sender: MessageSender

    def send_group(self, group: list[Waiter], today: date, live: bool) -> Sent | StepFailed:
        if len(group) == 1:
            return Sent([None])
        reminded = [Reminded(w.case, reminder_level(w.case, w.dues[0].step, today))
                    for w in group]
        level = most_advanced([r.level for r in reminded]).value.replace("_", " ")
        words = (f"{level} reminder by email to {group[0].case.debtor.email}, one message "
                 f"for {len(group)} invoices")
        if not live:
            return Sent([Work((SendReminder(case_id=w.case.id, actor=SCHEDULE_ACTOR,
                                            occurred_on=today, channel=Channel.EMAIL),),
                              words) for w in group])
        try:
            row = send_combined(self.sender.service, self.sender.mailer, reminded,
                                SCHEDULE_ACTOR, today)
        except (MailNotSent, ReminderPending, DomainError) as error:
            return StepFailed(str(error))
        return Sent([Work((reminder_command(w.case, row, SCHEDULE_ACTOR, today),), words)
                     for w in group], row)

    def finish(self, group: list[Waiter], sent: Sent) -> None:
        """The one row is recorded once every case of it holds its ReminderSent."""
        service, row = self.sender.service, sent.row
        if row is not None and all(recorded_version(service, _on(row, w)) is not None
                                   for w in group):
            ledger_of(service).mark_recorded(row)


def _on(row: OutboxRow, waiter: Waiter) -> OutboxRow:
    """The row as if it were the waiter's case's (to look for its ReminderSent)."""
    return replace(row, case_id=waiter.case.id)


def grouped_sender(reminders: ReminderSender) -> GroupSender | None:
    """Reminders are grouped only where they are sent as email (not in a record-only run)."""
    return GroupSender(reminders) if isinstance(reminders, MessageSender) else None
