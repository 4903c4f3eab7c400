"""Reminders left unresolved by an interrupted run: listed, then resolved by a person.

A person checks (the mailbox's sent folder, the SMTP server's log, the debtor) and says:
  sent    it did go: record ReminderSent, send nothing
  resend  it did not go (or cannot be known): send the very same message, then record it
  drop    record no reminder; a note on the case says it was dropped, and by whom
"""

from __future__ import annotations

from enum import StrEnum

from application.commands import AddNote
from application.mail.errors import ReminderPending
from application.mail.ledger import OutboxRow, State, ledger_of
from application.mail.ports import Mailer
from application.mail.sending import (
    SendOutcome,
    SentReminder,
    in_doubt,
    not_recorded,
    record,
    settle,
    stored_message,
)
from application.service import CaseService
from domain.errors import InvalidValue


class Resolution(StrEnum):
    SENT = "sent"
    RESEND = "resend"
    DROP = "drop"


def pending_reminders(service: CaseService) -> list[OutboxRow]:
    """Every reminder begun but not recorded, oldest first (for `reminders pending` and the
    schedule's summary); `advice(row)` says what to do with one."""
    return settle(service, ledger_of(service))


def advice(row: OutboxRow) -> str:
    return in_doubt(row) if row.state is State.SENDING else not_recorded(row)


def resolve(service: CaseService, mailer: Mailer, key: str, resolution: Resolution | str,
            actor: str) -> SentReminder | None:
    """Resolve the unrecorded reminder `key` as a person confirmed (None when dropped)."""
    ledger = ledger_of(service)
    row = ledger.get(key)
    if row is None or row.state is State.RECORDED:
        raise InvalidValue(f"no unresolved reminder '{key}' (arrears reminders pending lists "
                           "them)", "key")
    how = Resolution(resolution)
    if how is Resolution.DROP:
        service.handle(AddNote(case_id=row.case_id, actor=actor, text=(
            f"Email reminder {row.message_id} ({row.level}, {row.day.isoformat()}) was not "
            f"recorded as sent: dropped from the outbox by {actor}.")))
        ledger.remove(row)
        return None
    if how is Resolution.RESEND:
        if row.state is not State.SENDING:
            raise ReminderPending(f"the reminder {key} was sent ({row.delivered}); record it "
                                  "with --sent rather than send it twice", "reminder")
        # If this fails too, the row stays as it was: still in doubt from the first try.
        delivery = mailer.send(stored_message(mailer, row))
        row = ledger.mark_sent(row, delivery.said, service.clock.now(), resolved_by=actor)
    elif row.state is State.SENDING:
        row = ledger.mark_sent(row, f"confirmed sent by {actor}", service.clock.now(),
                               resolved_by=actor)
    return record(service, ledger, row, SendOutcome.RECORDED_LATE)
