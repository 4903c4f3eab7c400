"""The schedule sends its reminders: email through a real SMTP server on loopback, once
however often it runs, never twice after a crash between the send and the record; SMS to
the file transport; a debtor with no email address becomes a task for a person."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from uuid import UUID

import pytest

from application.clock import FixedClock
from application.mail import FileSmsOutbox, pending_reminders
from application.readmodels.database import make_engine, readmodel_url
from application.readmodels.projector import Projector
from application.readmodels.queries import CaseViews
from application.schedule.commands import TakeStep
from application.schedule.engine import Hooks, Schedule
from application.schedule.messages import MessageSender
from application.schedule.policies import Policies
from application.schedule.report import RunReport
from application.service import CaseService
from domain.money import Money
from domain.values import Debtor
from tests.builders import random_ref
from tests.commands import open_case
from tests.mail.conftest import CrashAfterSending

ISSUED, DUE = date(2026, 1, 1), date(2026, 1, 31)
OVERDUE_STEP = DUE + timedelta(days=7)  # the default policy's "reminder-overdue"


class Crash(Exception):
    """The process died here."""


class DiesBeforeSaving:
    """The store as seen by a process killed after the email left, before the step saved."""

    def __init__(self, service: CaseService) -> None:
        self.service = service

    def __getattr__(self, name: str):  # noqa: ANN204
        return getattr(self.service, name)

    def handle(self, command, idempotency_key=None, **options):  # noqa: ANN001, ANN201
        if isinstance(command, TakeStep):
            raise Crash("killed before the step was saved")
        return self.service.handle(command, idempotency_key=idempotency_key, **options)


class Run:
    def __init__(self, service: CaseService, clock: FixedClock, tmp_path: Path) -> None:
        self.service, self.clock = service, clock
        self.engine = make_engine(readmodel_url(service.url))
        self.projector = Projector(service, self.engine)
        self.sms = FileSmsOutbox(tmp_path / "sms")

    def open(self, **debtor: str) -> UUID:
        return open_case(self.service, occurred_on=ISSUED, creditor="Acme Ltd",
                         invoice_number=random_ref(),
                         debtor=Debtor("Harbour Ltd", **debtor),
                         amount=Money.of("1200.00", "GBP"), issue_date=ISSUED, due_date=DUE)

    def on(self, day: date, mailer, service=None, policies: Policies | None = None  # noqa: ANN001
           ) -> RunReport:
        self.clock.current = datetime(day.year, day.month, day.day, 9, tzinfo=UTC)
        self.projector.catch_up()
        sender = MessageSender(service or self.service, mailer, self.sms)
        schedule = Schedule(service or self.service, CaseViews(self.engine, self.clock),
                            policies or Policies(), Hooks(reminders=sender))
        return schedule.run(day)

    def reminders(self, case_id: UUID) -> list[dict]:
        return [e for e in self.service.history(case_id) if e["type"] == "ReminderSent"]


@pytest.fixture
def run(service: CaseService, clock: FixedClock, tmp_path: Path) -> Iterator[Run]:
    world = Run(service, clock, tmp_path)
    yield world
    world.engine.dispose()


class TestByEmail:
    def test_the_reminder_arrives_and_its_message_id_is_recorded(self, run, smtp_server):
        case_id = run.open(email="ap@harbour.example")
        report = run.on(OVERDUE_STEP, smtp_server.mailer())
        assert [a.step for a in report.taken] == ["reminder-overdue"]
        [message] = smtp_server.messages
        assert message["To"] == "ap@harbour.example"
        assert "7 days" in message.get_body(("plain",)).get_content()
        [reminder] = run.reminders(case_id)
        assert reminder["actor"] == "schedule"
        assert reminder["data"]["message_reference"] == message["Message-ID"]
        assert reminder["data"]["channel"] == "email"

    def test_twice_on_one_day_sends_one_email(self, run, smtp_server):
        case_id = run.open(email="ap@harbour.example")
        run.on(OVERDUE_STEP, smtp_server.mailer())
        again = run.on(OVERDUE_STEP, smtp_server.mailer())
        assert again.taken == []
        assert len(smtp_server.messages) == 1 and len(run.reminders(case_id)) == 1
        assert pending_reminders(run.service) == []

    def test_a_crash_after_the_send_is_recorded_next_run_and_not_sent_again(
            self, run, smtp_server):
        case_id = run.open(email="ap@harbour.example")
        with pytest.raises(Crash):
            run.on(OVERDUE_STEP, smtp_server.mailer(), service=DiesBeforeSaving(run.service))
        assert len(smtp_server.messages) == 1 and run.reminders(case_id) == []
        report = run.on(OVERDUE_STEP, smtp_server.mailer())
        assert [a.step for a in report.taken] == ["reminder-overdue"]
        assert len(smtp_server.messages) == 1  # not sent twice
        [reminder] = run.reminders(case_id)
        assert reminder["data"]["message_reference"] == smtp_server.messages[0]["Message-ID"]
        assert pending_reminders(run.service) == []  # the log says it was recorded

    def test_a_send_left_in_doubt_is_reported_and_nothing_goes(self, run, smtp_server):
        case_id = run.open(email="ap@harbour.example")
        with pytest.raises(RuntimeError):
            run.on(OVERDUE_STEP, CrashAfterSending(smtp_server.mailer()))
        report = run.on(OVERDUE_STEP, smtp_server.mailer())
        assert report.taken == []
        [failure] = report.errors
        assert "may or may not have been sent" in failure.error
        assert len(smtp_server.messages) == 1 and run.reminders(case_id) == []
        [row] = pending_reminders(run.service)
        assert row.case_id == case_id

    def test_a_debtor_without_an_email_address_gets_a_task_not_a_silent_reminder(
            self, run, smtp_server):
        case_id = run.open()
        report = run.on(OVERDUE_STEP, smtp_server.mailer())
        assert smtp_server.messages == [] and run.reminders(case_id) == []
        [task] = [e for e in run.service.history(case_id) if e["type"] == "TaskCreated"]
        assert "no email address" in task["data"]["what"]
        assert task["data"]["prefill"] == {"channel": "letter"}
        assert [a.description for a in report.taken] == [
            "task: no email address for the debtor: send the reminder another way "
            "(firm reminder)"]


class TestBySms:
    def test_an_sms_step_writes_the_text_and_records_its_reference(self, run, tmp_path):
        policy_dir = tmp_path / "policies"
        policy_dir.mkdir()
        (policy_dir / "default.toml").write_text(
            'name = "sms"\n[[step]]\nname = "text-overdue"\nkind = "reminder"\nday = 7\n'
            'channel = "sms"\n')
        case_id = run.open(phone="+44 7700 900123")
        run.on(OVERDUE_STEP, None, policies=Policies(policy_dir))
        [written] = (tmp_path / "sms").glob("*.txt")
        text = written.read_text()
        assert "To: +44 7700 900123" in text and "7 days overdue" in text
        [reminder] = run.reminders(case_id)
        assert reminder["data"]["channel"] == "sms"
        reference = reminder["data"]["message_reference"]
        assert reference == f"schedule:{case_id}:text-overdue:{OVERDUE_STEP.isoformat()}"
        assert f"Reference: {reference}" in text
