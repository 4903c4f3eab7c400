"""Contact with the debtor: delivery, reminders, calls, notes, acknowledgment, service."""

from __future__ import annotations

from decimal import Decimal

import click

from application.commands import (
    AcknowledgeDebt,
    AddNote,
    LogCall,
    RecordDelivery,
    SendReminder,
    WithdrawService,
)
from cli.casecommand import Fields, case_command
from cli.options import amount, text, vocabulary
from cli.params import TextOf
from domain.values import CallDirection, CallOutcome, Channel, DeliveryMethod


@case_command("deliver", RecordDelivery)
@vocabulary("--method", DeliveryMethod, "How the invoice reached the debtor.")
@text("--proof", "Proof of delivery, e.g. a tracking number or read receipt.")
def deliver(method: str, proof: str) -> Fields:
    """Record how the debtor received the invoice."""
    return {"method": method, "proof": proof}


@case_command("remind", SendReminder)
@vocabulary("--channel", Channel, "How the reminder was sent.", default="email")
@text("--recipient", "Address or number used; default the debtor's for the channel.")
@text("--message-reference", "Reference of the message sent.")
def remind(channel: str, recipient: str, message_reference: str) -> Fields:
    """Record a reminder sent.

    Its timing (before, on or after the due date) follows from --on. To send a
    reminder email now (and record it), use `arrears send-reminder`. By post
    (--channel letter), the reminder letter is rendered as PDF and kept; the event
    records its letter_sha256 (`arrears letter CASE --version N --out FILE.pdf`).
    """
    return {"channel": channel, "recipient": recipient, "message_reference": message_reference}


@case_command("log-call", LogCall)
@vocabulary("--outcome", CallOutcome, "What came of the call.")
@vocabulary("--direction", CallDirection, "Who called whom.", default="outbound")
@text("--person", "Who was spoken to.")
@text("--notes", "What was said.")
def log_call(outcome: str, direction: str, person: str, notes: str) -> Fields:
    """Record a phone call with the debtor.

    A promise made on the call is recorded with `arrears promise`.
    """
    return {"outcome": outcome, "direction": direction, "person": person, "notes": notes}


@case_command("note", AddNote)
@click.argument("text", type=TextOf("text", required=True))
def note(text: str) -> Fields:
    """Add a note TEXT to the case.

    Notes may be added at any time, even to a paid, settled or written-off case.
    """
    return {"text": text}


@case_command("acknowledge", AcknowledgeDebt)
@text("--document", "The debtor's written acknowledgment, e.g. 'email of 3 March'.",
      required=True)
@amount("The amount acknowledged, if the document names one.", required=False)
def acknowledge(document: str, amount: Decimal | None) -> Fields:
    """Record that the debtor admitted the debt in writing.

    In England and Wales this restarts the limitation period.
    """
    return {"document": document, "amount": amount}


@case_command("withdraw-service", WithdrawService)
@text("--service", "The service stopped, e.g. 'hosting account suspended'.", required=True)
def withdraw_service(service: str) -> Fields:
    """Record that a service to the debtor was stopped."""
    return {"service": service}


COMMANDS = [deliver, remind, log_call, note, acknowledge, withdraw_service]
