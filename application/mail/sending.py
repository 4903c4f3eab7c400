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
from domain.events import ReminderSent
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
    row, fresh = _send(service, mailer, ledger, reminder, actor, recipient)
    if not fresh:  # another process began the same reminder meanwhile
        return _again(service, ledger, row)
    return record(service, ledger, row, SendOutcome.SENT)


def dispatch(service: CaseService, mailer: Mailer, case_id: UUID, level: ReminderLevel | str,
             actor: str, today: date, *, recipient: str = "") -> OutboxRow:
    """Send the reminder email once and return its outbox row, leaving the recording to the
    caller (the schedule records it with the step it takes): a row already sent under the
    same key is returned as it is, never sent again; one in doubt is refused.

    A `sent` row counts as recorded once the case holds a ReminderSent with its Message-ID
    (`settle`), whoever recorded it."""
    reminder = ReminderId(case_id, choice(ReminderLevel, level, "level"), today)
    ledger = ledger_of(service)
    row = ledger.get(reminder.key)
    if row is None:
        row, _ = _send(service, mailer, ledger, reminder, actor, recipient)
    if row.state is State.SENDING:
        raise ReminderPending(in_doubt(row), "reminder")
    return row


def _send(service: CaseService, mailer: Mailer, ledger: Ledger, reminder: ReminderId,
          actor: str, recipient: str) -> tuple[OutboxRow, bool]:
    """The row of the reminder, sent now (True) or begun meanwhile by another (False)."""
    _check_none_pending(service, ledger, reminder.case_id)
    row = _prepare(service, mailer, reminder, actor, recipient)
    if not ledger.begin(row):
        return ledger.get(reminder.key) or row, False
    try:
        delivery = mailer.send(stored_message(mailer, row))
    except MailNotSent:
        ledger.remove(row)  # it certainly did not leave: as if never tried
        raise
    # Anything else (MailInDoubt, a crash) leaves the row at `sending`: reported next time.
    return ledger.mark_sent(row, delivery.said, service.clock.now()), True


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
    """Store ReminderSent under the row's key (once, whoever asks), and mark the row; a
    reminder the case already holds (the schedule recorded it) is not recorded again."""
    version = recorded_version(service, row)
    if version is None:
        recorded = service.handle(_command(row), idempotency_key=row.key)
        version = recorded.version
        if recorded.repeated and outcome is SendOutcome.RECORDED_LATE:
            outcome = SendOutcome.ALREADY_SENT
    elif outcome is SendOutcome.RECORDED_LATE:
        outcome = SendOutcome.ALREADY_SENT
    ledger.mark_recorded(row)
    return SentReminder(row.key, row.case_id, row.invoice_number, row.level, row.day,
                        row.recipient, row.message_id, row.delivered, outcome, version)


def recorded_version(service: CaseService, row: OutboxRow) -> int | None:
    """The version of the case's ReminderSent carrying the row's Message-ID, if any."""
    for event in service.case_events(row.case_id):
        if isinstance(event, ReminderSent) and event.message_reference == row.message_id:
            return event.originator_version
    return None


def settle(service: CaseService, ledger: Ledger, case_id: UUID | None = None
           ) -> list[OutboxRow]:
    """The rows still unresolved, once every `sent` row whose ReminderSent the case holds
    is marked recorded (the log is what says a reminder was recorded)."""
    left = []
    for row in ledger.unresolved(case_id):
        if row.state is State.SENT and recorded_version(service, row) is not None:
            ledger.mark_recorded(row)
        else:
            left.append(row)
    return left


def _again(service: CaseService, ledger: Ledger, row: OutboxRow) -> SentReminder:
    """The same reminder asked for again: never sent twice."""
    if row.state is State.SENDING:
        raise ReminderPending(in_doubt(row), "reminder")
    outcome = (SendOutcome.ALREADY_SENT if row.state is State.RECORDED
               else SendOutcome.RECORDED_LATE)
    return record(service, ledger, row, outcome)


def _check_none_pending(service: CaseService, ledger: Ledger, case_id: UUID) -> None:
    for row in settle(service, ledger, case_id):
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
