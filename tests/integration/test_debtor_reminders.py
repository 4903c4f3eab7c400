"""One reminder per debtor: a run that would send one debtor several email reminders on one
day sends one message listing every invoice, at the most advanced level among them; each case
records its own step and ReminderSent with that message's Message-ID. Read on a real SMTP
server on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from uuid import UUID

import pytest

from application.clock import FixedClock
from application.mail import pending_reminders
from application.service import CaseService
from domain.money import Money
from domain.values import Debtor
from tests.builders import random_ref
from tests.commands import open_case
from tests.integration.test_schedule_sending import Crash, DiesBeforeSaving, Run
from tests.mail.conftest import CrashAfterSending

DAY = date(2026, 3, 10)  # the day of the run


@pytest.fixture
def run(service: CaseService, clock: FixedClock, tmp_path: Path) -> Iterator[Run]:
    world = Run(service, clock, tmp_path)
    yield world
    world.engine.dispose()


def case_of(run: Run, due: date, *, name: str = "Harbour Ltd", email: str = "ap@harbour.example",
            creditor: str = "Acme Ltd", currency: str = "GBP", amount: str = "1200.00",
            tax_id: str = "") -> UUID:
    run.clock.current = datetime.combine(DAY, time(8), tzinfo=UTC)
    return open_case(run.service, occurred_on=due - timedelta(days=30), creditor=creditor,
                     invoice_number=random_ref(), debtor=Debtor(name, email=email, tax_id=tax_id),
                     amount=Money.of(amount, currency), issue_date=due - timedelta(days=30),
                     due_date=due)


def invoice_of(run: Run, case_id: UUID) -> str:
    return run.service.load(case_id).invoice_number


class TestOneMessage:
    def test_three_reminders_to_one_debtor_go_as_one_message_at_the_firmest_level(
            self, run, smtp_server):
        # 7 days overdue: the default policy's firm "reminder-overdue"; due today: the on-due
        # reminder; due in 3 days: the courtesy note. One message, at the firm level.
        firm, on_due, before = (case_of(run, DAY - timedelta(days=7)), case_of(run, DAY),
                                case_of(run, DAY + timedelta(days=3)))
        report = run.on(DAY, smtp_server.mailer())
        assert sorted(a.step for a in report.taken) == [
            "reminder-before-due", "reminder-on-due", "reminder-overdue"]
        [message] = smtp_server.messages
        assert message["To"] == "ap@harbour.example"
        assert message["Subject"] == "Second reminder: overdue invoices: 3 invoices"
        body = message.get_body(("plain",)).get_content()
        for case_id in (firm, on_due, before):
            assert f"Invoice {invoice_of(run, case_id)}" in body
        assert "7 days overdue" in body and "due today" in body
        assert "GBP 3,600.00" in body  # 3 × 1,200.00, one currency
        for case_id in (firm, on_due, before):
            [reminder] = run.reminders(case_id)
            assert reminder["data"]["message_reference"] == message["Message-ID"]
        assert pending_reminders(run.service) == []

    def test_the_debtor_is_recognised_by_tax_id_across_names(self, run, smtp_server):
        case_of(run, DAY - timedelta(days=7), name="Harbour Ltd", tax_id="GB 123 4567 89")
        case_of(run, DAY - timedelta(days=7), name="Harbour Limited", tax_id="GB123456789")
        run.on(DAY, smtp_server.mailer())
        assert len(smtp_server.messages) == 1

    def test_one_debtor_at_two_addresses_gets_one_message_at_each(self, run, smtp_server):
        case_of(run, DAY - timedelta(days=7), tax_id="GB123456789")
        case_of(run, DAY - timedelta(days=7), email="accounts@harbour.example",
                tax_id="GB123456789")
        run.on(DAY, smtp_server.mailer())
        assert sorted(m["To"] for m in smtp_server.messages) == [
            "accounts@harbour.example", "ap@harbour.example"]

    def test_other_debtors_and_other_creditors_get_their_own(self, run, smtp_server):
        case_of(run, DAY - timedelta(days=7))
        case_of(run, DAY - timedelta(days=7), creditor="Bright plc")
        case_of(run, DAY - timedelta(days=7), name="Nordic AS", email="ap@nordic.example")
        run.on(DAY, smtp_server.mailer())
        assert len(smtp_server.messages) == 3

    def test_currencies_are_totalled_apart(self, run, smtp_server):
        case_of(run, DAY - timedelta(days=7), currency="EUR", amount="100.00")
        case_of(run, DAY - timedelta(days=7), currency="JPY", amount="5000")
        run.on(DAY, smtp_server.mailer())
        body = smtp_server.messages[0].get_body(("plain",)).get_content()
        assert "EUR 100.00, JPY 5,000" in body

    def test_twice_on_one_day_sends_one_message(self, run, smtp_server):
        cases = [case_of(run, DAY - timedelta(days=7)) for _ in range(2)]
        run.on(DAY, smtp_server.mailer())
        again = run.on(DAY, smtp_server.mailer())
        assert again.taken == [] and len(smtp_server.messages) == 1
        assert all(len(run.reminders(c)) == 1 for c in cases)

    def test_a_crash_after_the_send_records_next_run_without_sending_again(
            self, run, smtp_server):
        cases = [case_of(run, DAY - timedelta(days=7)) for _ in range(2)]
        with pytest.raises(Crash):
            run.on(DAY, smtp_server.mailer(), service=DiesBeforeSaving(run.service))
        assert len(smtp_server.messages) == 1
        report = run.on(DAY, smtp_server.mailer())
        assert len(report.taken) == 2 and len(smtp_server.messages) == 1
        ids = {run.reminders(c)[0]["data"]["message_reference"] for c in cases}
        assert ids == {smtp_server.messages[0]["Message-ID"]}
        assert pending_reminders(run.service) == []

    def test_a_message_left_in_doubt_sends_nothing_and_reports_every_case(
            self, run, smtp_server):
        cases = [case_of(run, DAY - timedelta(days=7)) for _ in range(2)]
        with pytest.raises(RuntimeError):
            run.on(DAY, CrashAfterSending(smtp_server.mailer()))
        report = run.on(DAY, smtp_server.mailer())
        assert report.taken == [] and len(report.errors) == 2
        assert all("may or may not have been sent" in e.error for e in report.errors)
        assert len(smtp_server.messages) == 1
        assert all(run.reminders(c) == [] for c in cases)
