"""The SMTP adapter against a real server on 127.0.0.1, and the file adapters.

What arrived is read back: the headers, both parts, the figures of the account.
"""

from __future__ import annotations

import socket
import time
from datetime import UTC, date, datetime
from email import message_from_bytes, policy
from uuid import UUID

import pytest

from application.mail import FileOutbox, FileSmsOutbox, MailNotSent, Outgoing, TextMessage
from application.mail.levels import ReminderLevel
from application.mail.message import Account, ReminderId, compose
from application.mail.settings import TlsMode
from domain.money import Money
from tests.mail.conftest import LOOPBACK, SENDER, Server, free_port, mailer_at

CASE = UUID("9de99b4e-a097-5736-ae9d-50beb993dc5d")
NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def gbp(amount: str) -> Money:
    return Money.of(amount, "GBP")


ACCOUNT = Account("Demo Creditor Ltd", "INV-77", "Harbour Lights Cafe Ltd", date(2026, 1, 1),
                  date(2026, 1, 31), 29, gbp("1200.00"), gbp("40.00"), gbp("200.00"),
                  gbp("0.00"), gbp("1040.00"), ("bank_transfer", "cheque"))


def outgoing(level: ReminderLevel = ReminderLevel.FIRM, to: str = "ap@harbour.example",
             day: date = date(2026, 3, 1)) -> Outgoing:
    reminder = ReminderId(CASE, level, day)
    message = compose(reminder, ACCOUNT, sender=SENDER, domain="creditor.example",
                      recipient=to, now=NOW)
    return Outgoing("accounts@creditor.example", (to,), reminder.message_id(
        "creditor.example"), message.as_bytes())


class TestOverSmtp:
    def test_what_arrives_has_the_headers_both_parts_and_the_account(
            self, smtp_server: Server):
        delivery = smtp_server.mailer().send(outgoing())
        [envelope] = smtp_server.sink.envelopes
        assert (envelope.mail_from, envelope.rcpt_tos) == ("accounts@creditor.example",
                                                           ["ap@harbour.example"])
        [message] = smtp_server.messages
        assert message["From"] == SENDER and message["To"] == "ap@harbour.example"
        assert message["Subject"] == "Second reminder: invoice INV-77 is 29 days overdue"
        assert message["Message-ID"] == f"<20260301.firm.{CASE.hex}@creditor.example>"
        assert message["Date"] == "Sun, 01 Mar 2026 09:00:00 +0000"
        text = message.get_body(("plain",)).get_content()
        html = message.get_body(("html",)).get_content()
        for part in (text, html):
            for figure in ("INV-77", "GBP 1,200.00", "GBP 40.00", "GBP 200.00",
                           "GBP 1,040.00", "31 January 2026", "8 March 2026"):
                assert figure in part
            assert "By bank transfer, quoting the invoice number" in part
            assert "By cheque payable to Demo Creditor Ltd" in part
        assert "Days overdue        29" in text
        assert "<th scope=\"row\"" in html and "Days overdue" in html
        assert delivery.said == f"sent via SMTP to {LOOPBACK}:{smtp_server.port} " \
                                "(250 2.0.0 queued as 1)"

    def test_a_closed_port_fails_at_once_saying_so(self):
        closed = free_port()
        with pytest.raises(MailNotSent) as failed:
            mailer_at(closed).send(outgoing())
        assert failed.value.message == (f"could not connect to {LOOPBACK}:{closed} "
                                        "(connection refused); nothing was sent or recorded")

    def test_a_server_that_never_answers_fails_within_the_connect_timeout(self):
        with socket.socket() as silent:  # listens, but never says a word
            silent.bind((LOOPBACK, 0))
            silent.listen()
            mailer = mailer_at(silent.getsockname()[1], connect_timeout=0.5)
            started = time.monotonic()
            with pytest.raises(MailNotSent, match=r"no answer within 0\.5 seconds"):
                mailer.send(outgoing())
            assert time.monotonic() - started < 3

    def test_starttls_then_sign_in(self, starttls_server):
        server, trust = starttls_server
        mailer = server.mailer(trust, tls=TlsMode.STARTTLS, user="ann", password="s3cret")
        mailer.send(outgoing())
        assert len(server.messages) == 1

    def test_implicit_tls(self, tls_server):
        server, trust = tls_server
        server.mailer(trust, tls=TlsMode.TLS).send(outgoing())
        assert server.messages[0]["Message-ID"] == outgoing().message_id

    def test_a_wrong_password_is_refused_naming_the_user_setting(self, starttls_server):
        server, trust = starttls_server
        mailer = server.mailer(trust, tls=TlsMode.STARTTLS, user="ann", password="wrong")
        with pytest.raises(MailNotSent, match="refused the sign-in") as failed:
            mailer.send(outgoing())
        assert failed.value.field == "ARREARS_SMTP_USER" and server.messages == []

    def test_a_certificate_not_trusted_stops_before_anything_is_sent(self, starttls_server):
        server, _ = starttls_server
        mailer = server.mailer(tls=TlsMode.STARTTLS, user="ann", password="s3cret")
        with pytest.raises(MailNotSent, match="could not start TLS"):
            mailer.send(outgoing())
        assert server.messages == []


class TestTheFileOutbox:
    def test_each_message_is_a_parseable_eml_file_named_after_its_message_id(self, tmp_path):
        delivery = FileOutbox(tmp_path / "outbox").send(outgoing())
        path = tmp_path / "outbox" / f"20260301.firm.{CASE.hex}@creditor.example.eml"
        assert delivery.where == str(path)
        assert delivery.said == f"written to {path}, no SMTP host configured"
        message = message_from_bytes(path.read_bytes(), policy=policy.default)
        assert message["Subject"] == "Second reminder: invoice INV-77 is 29 days overdue"
        assert "GBP 1,040.00" in message.get_body(("plain",)).get_content()
        assert "GBP 1,040.00" in message.get_body(("html",)).get_content()

    def test_the_same_reminder_written_again_is_still_one_file(self, tmp_path):
        outbox = FileOutbox(tmp_path)
        outbox.send(outgoing())
        outbox.send(outgoing())
        outbox.send(outgoing(ReminderLevel.FINAL))
        assert len(list(tmp_path.glob("*.eml"))) == 2
        assert not list(tmp_path.glob("*.partial"))

    def test_an_outbox_that_cannot_be_written_sends_nothing(self, tmp_path):
        (tmp_path / "blocked").write_text("a file where the folder would be")
        with pytest.raises(MailNotSent, match="could not write") as failed:
            FileOutbox(tmp_path / "blocked").send(outgoing())
        assert failed.value.field == "outbox"

    def test_an_sms_is_a_text_file_under_sms(self, tmp_path):
        delivery = FileSmsOutbox(tmp_path / "sms").send(
            TextMessage("+44 7700 900001", "Invoice INV-77: GBP 1,040.00 is overdue.",
                        "reminder:INV-77:after_due:2026-03-01"))
        text = (tmp_path / "sms" / "reminder_INV-77_after_due_2026-03-01.txt").read_text()
        assert text.startswith("To: +44 7700 900001\n")
        assert "GBP 1,040.00 is overdue" in text
        assert "no SMS provider configured" in delivery.said
