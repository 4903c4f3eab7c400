"""The schedule's reminder sender: a reminder step's email goes through the mailer, at least
once and never twice by itself (`application.mail.dispatch`); an SMS through the SMS
transport; a letter is recorded for the post (its PDF, where letters are rendered, comes
with the reminder's command).

The email is sent before the step is recorded; the step's ReminderSent carries the message's
Message-ID. If the run dies between the two, the outbox row stays `sent` (or `sending`): the
next run sends nothing again (the same row is found) or, in doubt, reports the case for a
person (`arrears reminders pending`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from application.commands import CaseCommand, SendReminder
from application.mail import (
    Mailer,
    MailNotSent,
    ReminderLevel,
    ReminderPending,
    SmsTransport,
    TextMessage,
    dispatch,
    level_for,
)
from application.mail.levels import check_level
from application.schedule.commands import SetTask
from application.schedule.hooks import SCHEDULE_ACTOR, RecordOnlySender, StepFailed
from application.schedule.policy import Step, TaskAction
from application.service import CaseService
from domain.case import DebtCase
from domain.errors import DomainError
from domain.values import Channel


def reminder_level(case: DebtCase, step: Step, today: date) -> ReminderLevel:
    """The step's template, if its wording fits the day; else the level the day gives
    (an on-due step taken a day late says the invoice is overdue)."""
    level = ReminderLevel(step.reminder_template.value)
    try:
        return check_level(level, case.due_date, today)
    except DomainError:
        return level_for(case.due_date, today)


def level_words(case: DebtCase, step: Step, today: date) -> str:
    return reminder_level(case, step, today).value.replace("_", " ")


@dataclass(frozen=True)
class MessageSender:
    """Sends each reminder step by its channel; what cannot go fails that case's step."""

    service: CaseService
    mailer: Mailer
    sms: SmsTransport

    def describe(self, case: DebtCase, step: Step, today: date) -> str:
        level = level_words(case, step, today)
        if step.channel is Channel.EMAIL:
            if not case.debtor.email:
                return f"task: {NO_ADDRESS} ({level} reminder)"
            return f"{level} reminder by email to {case.debtor.email}"
        if step.channel is Channel.SMS:
            return f"{level} reminder by SMS to {case.debtor.phone or 'no phone number'}"
        return RecordOnlySender().describe(case, step, today)

    def send(self, case: DebtCase, step: Step, today: date, key: str) -> CaseCommand:
        if step.channel is Channel.EMAIL:
            return self._email(case, step, today)
        if step.channel is Channel.SMS:
            return self._sms(case, step, today, key)
        return RecordOnlySender().send(case, step, today, key)

    def _email(self, case: DebtCase, step: Step, today: date) -> CaseCommand:
        if not case.debtor.email:
            return no_address_task(case, step, today)
        try:
            row = dispatch(self.service, self.mailer, case.id,
                           reminder_level(case, step, today), SCHEDULE_ACTOR, today)
        except (MailNotSent, ReminderPending) as error:
            raise StepFailed(str(error)) from None
        return SendReminder(case_id=case.id, actor=SCHEDULE_ACTOR, occurred_on=today,
                            channel=Channel.EMAIL, recipient=row.recipient,
                            message_reference=row.message_id)

    def _sms(self, case: DebtCase, step: Step, today: date, key: str) -> SendReminder:
        if not case.debtor.phone:
            raise StepFailed("the debtor has no phone number for an SMS reminder")
        body = (f"{case.creditor}: invoice {case.invoice_number} for "
                f"{case.outstanding.rounded()} is {sms_wording(case, today)}. "
                "Please pay or reply to this message.")
        try:  # the step's key names the message (a provider dedupes a resend by it)
            self.sms.send(TextMessage(case.debtor.phone, body, key))
        except MailNotSent as error:
            raise StepFailed(str(error)) from None
        return SendReminder(case_id=case.id, actor=SCHEDULE_ACTOR, occurred_on=today,
                            channel=Channel.SMS, recipient=case.debtor.phone,
                            message_reference=key)


NO_ADDRESS = "no email address for the debtor: send the reminder another way"


def no_address_task(case: DebtCase, step: Step, today: date) -> SetTask:
    """A person sends what the schedule cannot: a task, its form opening on a letter."""
    return SetTask(case_id=case.id, actor=SCHEDULE_ACTOR, occurred_on=today, step=step.name,
                   what=f"{NO_ADDRESS} ({level_words(case, step, today)} reminder)",
                   due_on=today, actions=(TaskAction.SEND_REMINDER.value,),
                   prefill=(("channel", Channel.LETTER.value),))


def sms_wording(case: DebtCase, today: date) -> str:
    days = case.days_overdue(today)
    if today < case.due_date:
        return f"due on {case.due_date.isoformat()}"
    if days == 0:
        return "due today"
    return f"{days} day{'s' if days != 1 else ''} overdue"
