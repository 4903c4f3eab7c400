"""Sending a reminder now: at least once, recorded with its Message-ID, never twice by itself.

Each test runs on SQLite and on PostgreSQL (the outbox table lives with the events), against
a real SMTP server on 127.0.0.1. Today is 2026-01-01; the case fell due on 2025-12-01.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from application.commands import PlaceHold
from application.mail import (
    MailInDoubt,
    MailNotSent,
    ReminderLevel,
    ReminderPending,
    Resolution,
    SendOutcome,
    pending_reminders,
    resolve,
    send_reminder,
)
from application.mail.ledger import State
from domain.errors import InvalidValue, RuleBroken
from domain.money import Money
from domain.values import Debtor, PaymentTerms
from tests.commands import execute, open_case
from tests.mail.conftest import LOOPBACK, CrashAfterSending, free_port, mailer_at

TODAY = date(2026, 1, 1)
EMAIL = "ap@harbour.example"


@pytest.fixture
def case_id(service):
    """GBP 1,200.00 invoice INV-77, due 2025-12-01 (31 days overdue), 200.00 paid."""
    case = open_case(service, occurred_on=date(2025, 11, 1), invoice_number="INV-77",
                     debtor=Debtor("Harbour Lights Cafe Ltd", "business", EMAIL),
                     amount=Money.of("1200.00", "GBP"), issue_date=date(2025, 11, 1),
                     due_date=date(2025, 12, 1),
                     terms=PaymentTerms(payment_methods=("bank_transfer", "card")))
    execute(service, case, "record_payment", occurred_on=date(2025, 12, 10),
            amount=Decimal("200.00"), method="bank_transfer")
    return case


def reminders(service, case_id):
    return [e for e in service.history(case_id) if e["type"] == "ReminderSent"]


class TestSendingNow:
    def test_the_reminder_arrives_and_is_recorded_with_its_message_id(
            self, service, case_id, smtp_server):
        sent = send_reminder(service, smtp_server.mailer(), case_id, ReminderLevel.FIRM,
                             "ann", TODAY)
        [message] = smtp_server.messages
        assert message["Message-ID"] == sent.message_id
        assert sent.message_id == f"<20260101.firm.{case_id.hex}@creditor.example>"
        [event] = reminders(service, case_id)
        assert event["data"] == {"channel": "email", "timing": "after_due", "recipient": EMAIL,
                                 "message_reference": sent.message_id, "letter_sha256": ""}
        assert event["actor"] == "ann" and event["occurred_on"] == "2026-01-01"
        assert sent.outcome is SendOutcome.SENT and sent.version == event["version"]
        assert sent.said.startswith("Sent: firm reminder for invoice INV-77 to "
                                    f"{EMAIL}, sent via SMTP to {LOOPBACK}:")

    def test_sent_twice_the_same_day_it_goes_once(self, service, case_id, smtp_server):
        mailer = smtp_server.mailer()
        first = send_reminder(service, mailer, case_id, "after_due", "ann", TODAY)
        again = send_reminder(service, mailer, case_id, "after_due", "schedule", TODAY)
        assert len(smtp_server.messages) == 1
        assert len(reminders(service, case_id)) == 1
        assert again.outcome is SendOutcome.ALREADY_SENT
        assert (again.message_id, again.version) == (first.message_id, first.version)
        assert again.said.startswith("Already sent today:")

    def test_a_new_process_the_same_day_does_not_send_it_again(
            self, service, make_service, case_id, smtp_server):
        send_reminder(service, smtp_server.mailer(), case_id, "after_due", "ann", TODAY)
        later = send_reminder(make_service(), smtp_server.mailer(), case_id, "after_due",
                              "ann", TODAY)
        assert later.outcome is SendOutcome.ALREADY_SENT
        assert len(smtp_server.messages) == 1

    def test_another_level_is_another_message(self, service, case_id, smtp_server):
        mailer = smtp_server.mailer()
        send_reminder(service, mailer, case_id, "after_due", "ann", TODAY)
        send_reminder(service, mailer, case_id, "final", "ann", TODAY)
        ids = [m["Message-ID"] for m in smtp_server.messages]
        assert len(set(ids)) == 2 and len(reminders(service, case_id)) == 2


class TestAnInterruptedSend:
    def test_a_crash_after_the_smtp_send_is_reported_next_time_and_not_sent_again(
            self, service, make_service, case_id, smtp_server):
        with pytest.raises(RuntimeError):
            send_reminder(service, CrashAfterSending(smtp_server.mailer()), case_id,
                          "after_due", "schedule", TODAY)
        next_run = make_service()  # another process, the next day's run or a person
        with pytest.raises(ReminderPending) as refused:
            send_reminder(next_run, smtp_server.mailer(), case_id, "after_due", "schedule",
                          TODAY)
        assert "may or may not have been sent" in refused.value.message
        assert f"arrears reminders resolve reminder:{case_id}:after_due:2026-01-01" \
            in refused.value.message
        assert len(smtp_server.messages) == 1  # not sent again
        assert reminders(next_run, case_id) == []  # and not recorded as if it surely went
        [pending] = pending_reminders(next_run)
        assert (pending.state, pending.invoice_number) == (State.SENDING, "INV-77")

    def test_an_unresolved_reminder_holds_back_the_next_one_of_the_case(
            self, service, case_id, smtp_server, clock):
        with pytest.raises(RuntimeError):
            send_reminder(service, CrashAfterSending(smtp_server.mailer()), case_id,
                          "after_due", "schedule", TODAY)
        clock.advance(days=7)
        with pytest.raises(ReminderPending):
            send_reminder(service, smtp_server.mailer(), case_id, "firm", "schedule",
                          date(2026, 1, 8))
        assert len(smtp_server.messages) == 1

    def test_a_crash_after_the_server_took_it_but_before_the_record_records_it_later(
            self, service, make_service, case_id, smtp_server, monkeypatch):
        def die(*args, **kwargs):
            raise RuntimeError("the process died before the event was stored")

        monkeypatch.setattr(service, "handle", die)
        with pytest.raises(RuntimeError):
            send_reminder(service, smtp_server.mailer(), case_id, "after_due", "ann", TODAY)
        [pending] = pending_reminders(make_service())
        assert pending.state is State.SENT
        later = send_reminder(make_service(), smtp_server.mailer(), case_id, "after_due",
                              "ann", TODAY)
        assert later.outcome is SendOutcome.RECORDED_LATE
        assert len(smtp_server.messages) == 1
        fresh = make_service()
        assert [e["data"]["message_reference"] for e in reminders(fresh, case_id)] == \
            [later.message_id]
        assert pending_reminders(fresh) == []

    def test_a_connection_lost_while_the_server_had_the_message_is_in_doubt(
            self, service, case_id, smtp_server):
        smtp_server.sink.behaviour.stall_after_data = 1.5
        with pytest.raises(MailInDoubt) as doubt:
            send_reminder(service, smtp_server.mailer(send_timeout=0.3), case_id,
                          "after_due", "ann", TODAY)
        assert "it may have been delivered" in doubt.value.message
        [pending] = pending_reminders(service)
        assert pending.state is State.SENDING
        assert reminders(service, case_id) == []


class TestResolvingByHand:
    @pytest.fixture
    def in_doubt(self, service, case_id, smtp_server):
        with pytest.raises(RuntimeError):
            send_reminder(service, CrashAfterSending(smtp_server.mailer()), case_id,
                          "after_due", "schedule", TODAY)
        return pending_reminders(service)[0]

    def test_confirmed_sent_it_is_recorded_without_sending(
            self, service, case_id, smtp_server, in_doubt):
        done = resolve(service, smtp_server.mailer(), in_doubt.key, Resolution.SENT, "priya")
        assert done is not None and done.outcome is SendOutcome.RECORDED_LATE
        assert len(smtp_server.messages) == 1
        [event] = reminders(service, case_id)
        assert event["data"]["message_reference"] == in_doubt.message_id
        assert event["actor"] == "schedule"  # the reminder's; the ledger keeps who confirmed
        assert pending_reminders(service) == []

    def test_resent_it_is_the_very_same_message(self, service, case_id, smtp_server,
                                                in_doubt):
        resolve(service, smtp_server.mailer(), in_doubt.key, "resend", "priya")
        first, second = smtp_server.messages
        assert first["Message-ID"] == second["Message-ID"] == in_doubt.message_id
        assert first.get_body(("plain",)).get_content() == \
            second.get_body(("plain",)).get_content()
        assert len(reminders(service, case_id)) == 1

    def test_dropped_it_leaves_a_note_and_frees_the_case(self, service, case_id, smtp_server,
                                                         in_doubt):
        assert resolve(service, smtp_server.mailer(), in_doubt.key, "drop", "priya") is None
        assert reminders(service, case_id) == []
        note = service.history(case_id)[-1]
        assert note["type"] == "NoteAdded" and "dropped from the outbox by priya" in \
            note["data"]["text"]
        again = send_reminder(service, smtp_server.mailer(), case_id, "after_due", "ann",
                              TODAY)
        assert again.outcome is SendOutcome.SENT

    def test_a_reminder_known_sent_is_not_resent(self, service, case_id, smtp_server,
                                                 monkeypatch):
        monkeypatch.setattr(service, "handle", lambda *a, **k: 1 / 0)
        with pytest.raises(ZeroDivisionError):
            send_reminder(service, smtp_server.mailer(), case_id, "after_due", "ann", TODAY)
        monkeypatch.undo()
        [row] = pending_reminders(service)
        with pytest.raises(ReminderPending, match="rather than send it twice"):
            resolve(service, smtp_server.mailer(), row.key, "resend", "priya")
        assert len(smtp_server.messages) == 1


class TestNothingSentNorRecorded:
    def test_when_the_smtp_server_is_unreachable_within_the_timeout(
            self, service, case_id):
        closed = mailer_at(free_port(), connect_timeout=2)
        with pytest.raises(MailNotSent) as failed:
            send_reminder(service, closed, case_id, "after_due", "ann", TODAY)
        assert failed.value.field == "ARREARS_SMTP_HOST"
        assert "connection refused" in failed.value.message
        assert "nothing was sent or recorded" in failed.value.message
        assert reminders(service, case_id) == [] and pending_reminders(service) == []

    def test_when_the_server_refuses_the_recipient(self, service, case_id, smtp_server):
        smtp_server.sink.behaviour.refuse_recipient = True
        with pytest.raises(MailNotSent, match="550 5.1.1 no such mailbox here"):
            send_reminder(service, smtp_server.mailer(), case_id, "after_due", "ann", TODAY)
        assert pending_reminders(service) == []
        smtp_server.sink.behaviour.refuse_recipient = False
        send_reminder(service, smtp_server.mailer(), case_id, "after_due", "ann", TODAY)
        assert len(smtp_server.messages) == 1  # a failure that surely sent nothing may retry

    def test_when_the_case_is_on_hold(self, service, case_id, smtp_server):
        service.handle(PlaceHold(case_id=case_id, actor="ann", reason="Checking the order"))
        with pytest.raises(RuleBroken, match="on hold"):
            send_reminder(service, smtp_server.mailer(), case_id, "after_due", "ann", TODAY)
        assert smtp_server.messages == [] and pending_reminders(service) == []

    def test_when_the_level_does_not_fit_the_day(self, service, case_id, smtp_server):
        with pytest.raises(RuleBroken, match=r"before the due date \(2025-12-01\)") as e:
            send_reminder(service, smtp_server.mailer(), case_id, "before_due", "ann", TODAY)
        assert e.value.field == "level"
        assert smtp_server.messages == []

    def test_when_the_level_is_not_a_level(self, service, case_id, smtp_server):
        with pytest.raises(InvalidValue, match="'stern' is not one of: before_due, on_due"):
            send_reminder(service, smtp_server.mailer(), case_id, "stern", "ann", TODAY)

    def test_when_the_debtor_has_no_email_address(self, service, smtp_server):
        case = open_case(service, occurred_on=date(2025, 11, 1), invoice_number="INV-78",
                         debtor=Debtor("No Mail Ltd"), amount=Money.of("10.00", "GBP"),
                         issue_date=date(2025, 11, 1), due_date=date(2025, 12, 1))
        with pytest.raises(RuleBroken, match="the debtor has no email address"):
            send_reminder(service, smtp_server.mailer(), case, "after_due", "ann", TODAY)
        sent = send_reminder(service, smtp_server.mailer(), case, "after_due", "ann", TODAY,
                             recipient="accounts@nomail.example")
        assert smtp_server.messages[0]["To"] == "accounts@nomail.example" == sent.recipient

