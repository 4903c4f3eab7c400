"""A reminder as an email: its identity (one per case, level and day), its account figures,
and the message itself, plain text with an HTML alternative."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from uuid import UUID

from application.mail.levels import ReminderLevel
from application.mail.render import render
from domain.case import DebtCase
from domain.limits import REFERENCE
from domain.money import Money

# CRLF line ends and 7-bit transfer encodings: what every SMTP server and mail reader takes.
# Lines up to SMTP's limit (998), so that a Message-ID is never folded onto a line of its own
# (which some readers, Python's among them, then read with a leading space).
POLICY = policy.SMTP.clone(cte_type="7bit", max_line_length=998)


@dataclass(frozen=True)
class ReminderId:
    """One reminder: the case, the level and the day. Sending it again is the same message."""

    case_id: UUID
    level: ReminderLevel
    day: date

    @property
    def key(self) -> str:
        """The idempotency key its ReminderSent is recorded under, and its outbox row's key."""
        return f"reminder:{self.case_id}:{self.level}:{self.day.isoformat()}"

    def message_id(self, domain: str) -> str:
        """Its Message-ID header, recorded as the event's message_reference."""
        return f"<{self.day:%Y%m%d}.{self.level}.{self.case_id.hex}@{domain}>"


# The longest domain a Message-ID may end with and still fit in a message_reference.
MAX_DOMAIN_LENGTH = REFERENCE - len(
    ReminderId(UUID(int=0), max(ReminderLevel, key=len), date(2000, 1, 1)).message_id(""))


@dataclass(frozen=True)
class Account:
    """The figures a reminder states, as the case stands on the day it is sent."""

    creditor: str
    invoice_number: str
    debtor_name: str
    issue_date: date
    due_date: date
    days_overdue: int
    invoice_amount: Money
    penalties: Money  # interest, compensation and fees added
    paid: Money
    credited: Money  # waived or written off
    outstanding: Money
    payment_methods: tuple[str, ...]

    @classmethod
    def of(cls, case: DebtCase, today: date) -> Account:
        return cls(case.creditor, case.invoice_number, case.debtor.name, case.issue_date,
                   case.due_date, case.days_overdue(today), case.invoice_amount.rounded(),
                   case.penalties.rounded(), case.paid.rounded(),
                   (case.waived + case.written_off).rounded(), case.outstanding.rounded(),
                   tuple(case.terms.payment_methods))


def sender_for(sender: str, creditor: str) -> str:
    """The From header: ARREARS_MAIL_FROM, named after the creditor if it names no one."""
    name, address = parseaddr(sender)
    return sender if name else str(Address(display_name=creditor, addr_spec=address))


def compose(reminder: ReminderId, account: Account, *, sender: str, domain: str,
            recipient: str, now: datetime) -> EmailMessage:
    """The reminder's message: headers, the plain text, and the same as HTML."""
    pay_within = reminder.level.pay_within_days
    rendered = render(reminder.level, account=account, today=reminder.day,
                      pay_by=None if pay_within is None else
                      reminder.day + timedelta(days=pay_within))
    message = EmailMessage(policy=POLICY)
    message["From"] = sender_for(sender, account.creditor)
    message["To"] = recipient
    message["Subject"] = rendered.subject
    message["Date"] = format_datetime(now)
    message["Message-ID"] = reminder.message_id(domain)
    message["X-Arrears-Reminder"] = reminder.key
    message.set_content(rendered.text)
    message.add_alternative(rendered.html, subtype="html")
    return message
