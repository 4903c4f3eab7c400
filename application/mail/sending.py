"""Sending a reminder email now, at least once and never twice by itself (docs/adr/0021).

    1. the reminder (case, level, day) names its key and its Message-ID
    2. an earlier row under the key: recorded → nothing to do; sent → record it (no resend);
       sending → in doubt: refused, for a person to resolve
    3. the command is tried on a copy of the case (closed, on hold... refused before sending)
    4. the outbox row is written at `sending`, then the message goes to the mailer
    5. the row is marked `sent`, then ReminderSent is stored under the same key

The web page, the CLI and the schedule all call `send_reminder`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from email.utils import parseaddr
from enum import StrEnum
from uuid import UUID

from application.commands import SendReminder
from application.mail.errors import MailNotSent, ReminderPending
from application.mail.ledger import Ledger, OutboxRow, State, ledger_of
from application.mail.levels import ReminderLevel, check_level
from application.mail.message import Account, ReminderId, compose
from application.mail.ports import Mailer, Outgoing
from application.service import CaseService
from domain.case import DebtCase
from domain.errors import RuleBroken
from domain.values import Channel, Stamp, check_email, choice


class SendOutcome(StrEnum):
    SENT = "sent"  # sent now, and recorded
    ALREADY_SENT = "already_sent"  # sent and recorded before under the same key: nothing done
    RECORDED_LATE = "recorded_late"  # sent by an interrupted run, recorded now, not resent


@dataclass(frozen=True)
class SentReminder:
    """What became of one reminder: the key, the message and where it went, the event."""

    key: str
    case_id: UUID
    invoice_number: str
    level: str
    day: date
    recipient: str
    message_id: str
    delivered: str  # "sent via SMTP to host:port (250 ...)" or "written to var/outbox/..."
    outcome: SendOutcome
    version: int  # the case's version holding the ReminderSent

    @property
    def said(self) -> str:
        """One line for people."""
        what = f"{self.level} reminder for invoice {self.invoice_number} to {self.recipient}"
        if self.outcome is SendOutcome.ALREADY_SENT:
            return f"Already sent today: {what} ({self.delivered}); nothing was sent again."
        if self.outcome is SendOutcome.RECORDED_LATE:
            return f"Recorded: {what}, {self.delivered} by an earlier run; not sent again."
        return f"Sent: {what}, {self.delivered}."


def send_reminder(service: CaseService, mailer: Mailer, case_id: UUID,
                  level: ReminderLevel | str, actor: str, today: date, *,
                  recipient: str = "") -> SentReminder:
    """Send the case's `level` reminder email for `today` (once), and record it.

    Refused (nothing sent) when the case refuses a reminder, the level does not fit the
    day, the debtor has no email address, or an earlier reminder of the case is unresolved.
    """
    reminder = ReminderId(case_id, choice(ReminderLevel, level, "level"), today)
    ledger = ledger_of(service)
    earlier = ledger.get(reminder.key)
    if earlier is not None:
        return _again(service, ledger, earlier)
    _check_none_pending(ledger, case_id)
    row = _prepare(service, mailer, reminder, actor, recipient)
    if not ledger.begin(row):  # another process began the same reminder meanwhile
        return _again(service, ledger, ledger.get(reminder.key) or row)
    try:
        delivery = mailer.send(stored_message(mailer, row))
    except MailNotSent:
        ledger.remove(row)  # it certainly did not leave: as if never tried
        raise
    # Anything else (MailInDoubt, a crash) leaves the row at `sending`: reported next time.
    sent = ledger.mark_sent(row, delivery.said, service.clock.now())
    return record(service, ledger, sent, SendOutcome.SENT)


def _prepare(service: CaseService, mailer: Mailer, reminder: ReminderId, actor: str,
             recipient: str) -> OutboxRow:
    """The outbox row, its message composed, once the case would accept the reminder."""
    case = service.load(reminder.case_id)  # a copy: trying the command on it stores nothing
    check_level(reminder.level, case.due_date, reminder.day)
    to = _recipient(case, recipient)
    account = Account.of(case, reminder.day)
    row = OutboxRow(reminder.key, case.id, case.invoice_number, reminder.level, reminder.day,
                    actor, to, reminder.message_id(mailer.domain), "", State.SENDING,
                    service.clock.now())
    _command(row).run(case, Stamp(actor, reminder.day, service.clock.now()))
    message = compose(reminder, account, sender=mailer.sender, domain=mailer.domain,
                      recipient=to, now=row.started_at)
    return replace(row, message=message.as_bytes().decode())


def _recipient(case: DebtCase, given: str) -> str:
    address = check_email(given or case.debtor.email, "recipient")
    if not address:
        raise RuleBroken("the debtor has no email address; give one as the recipient",
                         "recipient")
    return address


def stored_message(mailer: Mailer, row: OutboxRow) -> Outgoing:
    """The message exactly as the row keeps it (a resend is the very same message)."""
    return Outgoing(parseaddr(mailer.sender)[1], (row.recipient,), row.message_id,
                    row.message.encode())


def _command(row: OutboxRow) -> SendReminder:
    """The same command every time for one row: its fingerprint matches its key's."""
    return SendReminder(case_id=row.case_id, actor=row.actor, occurred_on=row.day,
                        channel=Channel.EMAIL, recipient=row.recipient,
                        message_reference=row.message_id)


def record(service: CaseService, ledger: Ledger, row: OutboxRow,
           outcome: SendOutcome) -> SentReminder:
    """Store ReminderSent under the row's key (once, whoever asks), and mark the row."""
    recorded = service.handle(_command(row), idempotency_key=row.key)
    ledger.mark_recorded(row)
    if recorded.repeated and outcome is SendOutcome.RECORDED_LATE:
        outcome = SendOutcome.ALREADY_SENT
    return SentReminder(row.key, row.case_id, row.invoice_number, row.level, row.day,
                        row.recipient, row.message_id, row.delivered, outcome,
                        recorded.version)


def _again(service: CaseService, ledger: Ledger, row: OutboxRow) -> SentReminder:
    """The same reminder asked for again: never sent twice."""
    if row.state is State.SENDING:
        raise ReminderPending(in_doubt(row), "reminder")
    outcome = (SendOutcome.ALREADY_SENT if row.state is State.RECORDED
               else SendOutcome.RECORDED_LATE)
    return record(service, ledger, row, outcome)


def _check_none_pending(ledger: Ledger, case_id: UUID) -> None:
    for row in ledger.unresolved(case_id):
        raise ReminderPending(in_doubt(row) if row.state is State.SENDING else
                              not_recorded(row), "reminder")


def in_doubt(row: OutboxRow) -> str:
    return (f"the {row.level} reminder of {row.day.isoformat()} for invoice "
            f"{row.invoice_number} may or may not have been sent (the run sending it was "
            "interrupted, or is still at it); nothing is sent until a person checks and "
            f"resolves it: arrears reminders resolve {row.key} --sent, --resend or --drop")


def not_recorded(row: OutboxRow) -> str:
    return (f"the {row.level} reminder of {row.day.isoformat()} for invoice "
            f"{row.invoice_number} was sent ({row.delivered}) but not recorded: arrears "
            f"reminders resolve {row.key} --sent records it")
