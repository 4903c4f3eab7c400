"""`arrears send-reminder` and `arrears reminders`: the email goes (or is written to the
outbox, saying so), is recorded once, and a send left in doubt waits for a person."""

from __future__ import annotations

import json
from datetime import date
from email import message_from_bytes, policy
from pathlib import Path

import pytest

from application.clock import FixedClock
from application.mail import FileOutbox, send_reminder
from application.service import CaseService
from tests.mail.conftest import (  # noqa: F401 (smtp_server: a fixture)
    LOOPBACK,
    CrashAfterSending,
    free_port,
    smtp_server,
)

TODAY = date(2026, 3, 1)


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run in tmp_path, so that var/outbox/ is the test's own."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def mailed_case(open_case) -> str:
    """GBP 1,200.00, due 2026-01-31: 29 days overdue today (2026-03-01)."""
    return open_case("--debtor-email", "ap@harbour.example", "--payment-method",
                     "bank_transfer")


def by_smtp(env: dict, port: int) -> None:
    env.update(ARREARS_SMTP_HOST=LOOPBACK, ARREARS_SMTP_PORT=str(port),
               ARREARS_SMTP_TLS="none", ARREARS_MAIL_FROM="Accounts <ar@creditor.example>")


class TestWithoutAnSmtpHost:
    def test_the_email_is_written_to_the_outbox_and_the_command_says_so(
            self, arrears, mailed_case, in_tmp, last_event):
        result = arrears("send-reminder", mailed_case)
        assert result.exit_code == 0, result.stderr
        assert result.stdout.startswith(
            f"Sent: after_due reminder for invoice {mailed_case} to ap@harbour.example, "
            "written to var/outbox/20260301.after_due.")
        assert result.stdout.rstrip().endswith("@localhost.eml, no SMTP host configured.")
        [eml] = (in_tmp / "var" / "outbox").glob("*.eml")
        message = message_from_bytes(eml.read_bytes(), policy=policy.default)
        assert message["Subject"] == f"Overdue: invoice {mailed_case}, GBP 1,200.00 outstanding"
        event = last_event(mailed_case)
        assert event["type"] == "ReminderSent"
        assert event["data"]["message_reference"] == message["Message-ID"]

    def test_sent_again_the_same_day_it_is_not_sent_twice(self, arrears, ok, mailed_case,
                                                           in_tmp, timeline):
        first = ok("send-reminder", mailed_case, "--level", "firm")
        again = ok("send-reminder", mailed_case, "--level", "firm")
        assert (first["outcome"], again["outcome"]) == ("sent", "already_sent")
        assert again["message_id"] == first["message_id"]
        assert [e["type"] for e in timeline(mailed_case)].count("ReminderSent") == 1
        assert arrears("send-reminder", mailed_case, "--level", "firm").stdout.startswith(
            "Already sent today: firm reminder")

    def test_a_level_that_does_not_fit_the_day_is_refused(self, arrears, mailed_case, in_tmp):
        result = arrears("send-reminder", mailed_case, "--level", "on_due")
        assert result.exit_code == 1
        assert result.stderr == ("error: --level: an on_due reminder is sent on the due date "
                                 "(2026-01-31)\n")
        assert not (in_tmp / "var").exists()


class TestOverSmtp:
    def test_the_reminder_arrives_at_the_server(self, arrears, env, mailed_case, in_tmp,
                                               smtp_server):  # noqa: F811
        by_smtp(env, smtp_server.port)
        result = arrears("send-reminder", mailed_case, "--actor", "priya.shah", "--json")
        assert result.exit_code == 0, result.stderr
        sent = json.loads(result.stdout)
        [message] = smtp_server.messages
        assert message["Message-ID"] == sent["message_id"]
        assert message["From"] == "Accounts <ar@creditor.example>"
        assert sent["delivered"].startswith(f"sent via SMTP to {LOOPBACK}:{smtp_server.port}")

    def test_an_unreachable_server_is_one_line_and_nothing_is_recorded(
            self, arrears, env, mailed_case, in_tmp, timeline):
        by_smtp(env, free_port())
        result = arrears("send-reminder", mailed_case)
        assert result.exit_code == 1
        assert result.stderr.startswith(f"error: ARREARS_SMTP_HOST: could not connect to "
                                        f"{LOOPBACK}:")
        assert "nothing was sent or recorded" in result.stderr
        assert "ReminderSent" not in [e["type"] for e in timeline(mailed_case)]

    def test_a_bad_setting_is_named(self, arrears, env, mailed_case, in_tmp):
        by_smtp(env, 25)
        env["ARREARS_SMTP_TLS"] = "ssl"
        result = arrears("send-reminder", mailed_case)
        assert result.exit_code == 2
        assert result.stderr == ("error: ARREARS_SMTP_TLS: 'ssl' is not one of: none, "
                                 "starttls, tls\n")


class TestPendingReminders:
    def test_none_pending_says_so(self, arrears, ok, in_tmp):
        assert arrears("reminders", "pending").stdout == \
            "No reminder is waiting to be resolved.\n"
        assert ok("reminders", "pending") == []

    def test_resolve_needs_to_be_told_how(self, arrears, in_tmp):
        result = arrears("reminders", "resolve", "reminder:x:firm:2026-03-01")
        assert result.exit_code == 2
        assert result.stderr == "error: --sent: give one of --sent, --resend or --drop\n"

    def test_an_unknown_key_is_refused(self, arrears, in_tmp):
        result = arrears("reminders", "resolve", "reminder:x:firm:2026-03-01", "--sent")
        assert result.exit_code == 2
        assert "no unresolved reminder 'reminder:x:firm:2026-03-01'" in result.stderr


class TestAnInterruptedRun:
    @pytest.fixture
    def key(self, env, mailed_case, in_tmp) -> str:
        """A run that died after the outbox took the message, before it was recorded."""
        service = CaseService(env["ARREARS_DATABASE_URL"], clock=FixedClock.on(TODAY))
        try:
            case_id = service.resolve(mailed_case)
            with pytest.raises(RuntimeError):
                send_reminder(service, CrashAfterSending(FileOutbox()), case_id, "after_due",
                              "schedule", TODAY)
        finally:
            service.close()
        return f"reminder:{case_id}:after_due:2026-03-01"

    def test_it_is_listed_with_what_to_do(self, arrears, ok, key):
        [row] = ok("reminders", "pending")
        assert (row["key"], row["state"]) == (key, "sending")
        assert f"arrears reminders resolve {key} --sent, --resend or --drop" in row["advice"]
        assert arrears("reminders", "pending").stdout.startswith(f"{key}  sending\n")

    def test_the_case_gets_no_new_reminder_until_it_is_resolved(self, arrears, mailed_case,
                                                                key, timeline):
        refused = arrears("send-reminder", mailed_case)
        assert refused.exit_code == 1
        assert "may or may not have been sent" in refused.stderr
        resolved = arrears("reminders", "resolve", key, "--sent", "--actor", "priya.shah")
        assert resolved.exit_code == 0, resolved.stderr
        assert resolved.stdout.startswith("Recorded: after_due reminder")
        assert [e["type"] for e in timeline(mailed_case)].count("ReminderSent") == 1
        assert arrears("reminders", "pending").stdout.startswith("No reminder")
