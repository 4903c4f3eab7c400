"""Reminder wording from Jinja templates (package data in templates/).

`levels/LEVEL.txt` holds each level's words once, as macros (subject, opening, closing);
`reminder.txt` and `reminder.html` lay them out with the account and how to pay. Plain text
is never escaped; the HTML is (autoescape), so a debtor's name cannot inject markup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from application.mail.levels import ReminderLevel
from application.wording import plural
from domain.money import Money

if TYPE_CHECKING:
    from application.mail.message import Account

PAYMENT_METHODS = {
    "bank_transfer": "by bank transfer, quoting the invoice number as the reference",
    "card": "by card: call us and we take the payment over the phone",
    "cheque": "by cheque payable to {creditor}, with the invoice number on the back",
    "cash": "in cash, at our office, against a receipt",
    "other": "in another way agreed with us: reply to this email",
}


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def long_date(day: date) -> str:
    """31 January 2026 (English month names, whatever the machine's locale)."""
    months = ("January February March April May June July August September October "
              "November December").split()
    return f"{day.day} {months[day.month - 1]} {day.year}"


def paragraphs(text: str) -> list[str]:
    """Blocks of text separated by blank lines, each joined into one line."""
    return [" ".join(block.split()) for block in re.split(r"\n\s*\n", text) if block.strip()]


def how_to_pay(methods: tuple[str, ...], creditor: str) -> list[str]:
    """One line per payment method the case's terms name (none: reply to arrange it)."""
    if not methods:
        return ["Please reply to this email to arrange payment."]
    lines = [PAYMENT_METHODS[m].format(creditor=creditor) for m in methods]
    return [line[0].upper() + line[1:] + "." for line in lines]


def account_lines(account: Account) -> list[tuple[str, str]]:
    """The account as label and figure, the same in the text and the HTML."""
    lines = [("Invoice", f"{account.invoice_number}, issued {long_date(account.issue_date)}"),
             ("Amount", str(account.invoice_amount))]
    if account.penalties.is_positive:
        lines.append(("Interest and fees", str(account.penalties)))
    lines.append(("Paid", str(account.paid)))
    if account.credited.is_positive:
        lines.append(("Credited", str(account.credited)))
    lines += [("Outstanding", str(account.outstanding)),
              ("Due date", long_date(account.due_date))]
    if account.days_overdue > 0:
        lines.append(("Days overdue", str(account.days_overdue)))
    return lines


@cache
def environment() -> Environment:
    env = Environment(loader=PackageLoader("application.mail", "templates"),
                      autoescape=select_autoescape(["html"]), undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters.update(long_date=long_date, paragraphs=paragraphs, money=Money.__str__,
                       plural=plural)
    env.globals.update(how_to_pay=how_to_pay, account_lines=account_lines)
    return env


def render(level: ReminderLevel, **context: Any) -> Rendered:
    """The reminder of this level: subject, plain text and HTML, from the same words."""
    env = environment()
    words = env.get_template(f"levels/{level}.txt").make_module(context)
    subject = " ".join(str(words.subject()).split())  # type: ignore[attr-defined]
    values = {**context, "words": words, "subject": subject}
    return Rendered(subject, env.get_template("reminder.txt").render(values),
                    env.get_template("reminder.html").render(values))
