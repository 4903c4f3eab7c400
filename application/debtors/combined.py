"""One reminder for a debtor's several invoices on one day (docs/adr/0025).

The message lists every invoice it reminds of, at the most advanced level among them (a
firm reminder and a first one make one firm reminder). It has one outbox row, keyed by the
debtor and the day: a run that dies after sending finds the row next time and records the
cases' reminders against it without sending again (docs/adr/0021); a row left in doubt is
refused, for a person.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from html import escape
from uuid import UUID, uuid5

from application.commands import SendReminder
from application.mail import Mailer, MailNotSent, ReminderLevel, ReminderPending
from application.mail.ledger import OutboxRow, State, ledger_of
from application.mail.message import POLICY, Account, sender_for
from application.mail.render import long_date
from application.mail.sending import in_doubt, not_recorded, settle, stored_message
from application.service import CaseService
from domain.case import DebtCase
from domain.debtors import debtor_key
from domain.money import Money
from domain.values import Channel, Stamp

LEVEL_ORDER = tuple(ReminderLevel)  # before_due < on_due < after_due < firm < final
NAMESPACE = UUID("5d0a4c8e-4a4b-4f0e-9d43-0d6c3b7d2a11")


@dataclass(frozen=True)
class Reminded:
    """One case of the message, at the level its own step would have sent."""

    case: DebtCase
    level: ReminderLevel


def most_advanced(levels: list[ReminderLevel]) -> ReminderLevel:
    return max(levels, key=LEVEL_ORDER.index)


def combined_key(debtor: str, day: date) -> str:
    """The outbox row's key: one combined reminder per debtor and day."""
    return f"reminder:debtor:{debtor}:{day.isoformat()}"


def combined_message_id(debtor: str, day: date, domain: str) -> str:
    return f"<{day:%Y%m%d}.debtor.{uuid5(NAMESPACE, debtor).hex}@{domain}>"


def send_combined(service: CaseService, mailer: Mailer, reminded: list[Reminded], actor: str,
                  today: date) -> OutboxRow:
    """Send the one message (once) and return its row; the caller records each case."""
    first = reminded[0].case
    key = debtor_key(first.debtor)
    ledger = ledger_of(service)
    row = ledger.get(combined_key(key, today))
    if row is None:
        _check_none_pending(service, reminded, combined_key(key, today))
        row = _prepare(service, mailer, reminded, key, actor, today)
        if ledger.begin(row):
            try:
                delivery = mailer.send(stored_message(mailer, row))
            except MailNotSent:
                ledger.remove(row)
                raise
            row = ledger.mark_sent(row, delivery.said, service.clock.now())
        else:
            row = ledger.get(row.key) or row
    if row.state is State.SENDING:
        raise ReminderPending(in_doubt(row), "reminder")
    return row


def _check_none_pending(service: CaseService, reminded: list[Reminded], key: str) -> None:
    """An earlier reminder of any of the cases unresolved: nothing is sent (ADR 21)."""
    ledger = ledger_of(service)
    for r in reminded:
        for row in settle(service, ledger, r.case.id):
            if row.key != key:
                raise ReminderPending(in_doubt(row) if row.state is State.SENDING else
                                      not_recorded(row), "reminder")


def reminder_command(case: DebtCase, row: OutboxRow, actor: str, today: date) -> SendReminder:
    """The case's own ReminderSent, pointing at the one message."""
    return SendReminder(case_id=case.id, actor=actor, occurred_on=today, channel=Channel.EMAIL,
                        recipient=row.recipient, message_reference=row.message_id)


def _prepare(service: CaseService, mailer: Mailer, reminded: list[Reminded], key: str,
             actor: str, today: date) -> OutboxRow:
    level = most_advanced([r.level for r in reminded])
    first = reminded[0].case
    now = service.clock.now()
    to = first.debtor.email
    row = OutboxRow(combined_key(key, today), first.id,
                    ", ".join(r.case.invoice_number for r in reminded), level.value, today,
                    actor, to, combined_message_id(key, today, mailer.domain), "",
                    State.SENDING, now)
    for r in reminded:  # each case would accept its reminder (nothing stored)
        reminder_command(r.case, row, actor, today).run(r.case, Stamp(actor, today, now))
    accounts = [Account.of(r.case, today) for r in reminded]
    message = compose_combined(accounts, level, today, sender=mailer.sender, recipient=to,
                               message_id=row.message_id, key=row.key, now=now)
    return replace(row, message=message.as_bytes().decode())


SUBJECTS = {ReminderLevel.BEFORE_DUE: "Invoices falling due", ReminderLevel.ON_DUE:
            "Invoices due today", ReminderLevel.AFTER_DUE: "Overdue invoices",
            ReminderLevel.FIRM: "Second reminder: overdue invoices",
            ReminderLevel.FINAL: "Final reminder: overdue invoices"}


def compose_combined(accounts: list[Account], level: ReminderLevel, today: date, *,
                     sender: str, recipient: str, message_id: str, key: str,
                     now: object) -> EmailMessage:
    """The one message: every invoice with its due date, days overdue and outstanding."""
    first = accounts[0]
    lines = [f"Dear {first.debtor_name},", "",
             f"The following {len(accounts)} invoices from {first.creditor} are unpaid:", ""]
    lines += [f"  {invoice_line(a, today)}" for a in accounts]
    lines += ["", "Outstanding in total: " + totals_words(accounts), ""]
    pay_within = level.pay_within_days
    if pay_within is not None:
        lines += [f"Please pay by {long_date(today + timedelta(days=pay_within))}.", ""]
    lines += ["Please pay, or reply to this email if you dispute any of them or cannot pay "
              "in full.", "", "Yours sincerely,", first.creditor]
    message = EmailMessage(policy=POLICY)
    message["From"] = sender_for(sender, first.creditor)
    message["To"] = recipient
    message["Subject"] = f"{SUBJECTS[level]}: {len(accounts)} invoices"
    message["Date"] = format_datetime(now)  # type: ignore[arg-type]
    message["Message-ID"] = message_id
    message["X-Arrears-Reminder"] = key
    text = "\n".join(lines) + "\n"
    message.set_content(text)
    message.add_alternative("<html><body>" + "".join(
        f"<p>{escape(line)}</p>" if line.strip() else "" for line in lines)
        + "</body></html>", subtype="html")
    return message


def invoice_line(account: Account, today: date) -> str:
    days = account.days_overdue
    when = (f"{days} day{'s' if days != 1 else ''} overdue" if account.due_date < today
            else "due today" if account.due_date == today
            else f"due on {account.due_date.isoformat()}")
    return (f"Invoice {account.invoice_number}, due {account.due_date.isoformat()} ({when}): "
            f"{account.outstanding} outstanding")


def totals_words(accounts: list[Account]) -> str:
    """Per currency, never added across currencies."""
    totals: dict[str, Money] = {}
    for a in accounts:
        c = a.outstanding.currency
        totals[c] = totals[c] + a.outstanding if c in totals else a.outstanding
    return ", ".join(str(t) for _, t in sorted(totals.items()))
