"""The escalation schedule (features/schedule/escalation_schedule.feature).

The schedule works on the scenario's store with its read models, on the scenario's clock,
moved to each day it runs (a run records what happens that day).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from uuid import UUID

import pytest
from pytest_bdd import given, scenarios, then, when

from application.clock import FixedClock
from application.letters import LetterWriter, install_letters
from application.mail import FileSmsOutbox, Mailer
from application.readmodels.database import make_engine, readmodel_url
from application.readmodels.projector import Projector
from application.readmodels.queries import CaseViews
from application.schedule.engine import Hooks, Schedule
from application.schedule.messages import MessageSender
from application.schedule.policies import Policies
from application.schedule.report import RunReport
from application.service import CaseService
from domain.money import Money
from domain.values import Debtor
from features.conftest import ACTOR, CREDITOR, step
from tests.commands import open_case
from tests.letters.reading import text_of
from tests.mail.conftest import Server
from tests.pdf import pdf_problem, require_pdf

scenarios("schedule/escalation_schedule.feature")


class Runs:
    """The schedule over the scenario's cases, and the reports of its runs, in order."""

    def __init__(self, service: CaseService, clock: FixedClock, mailer: Mailer,
                 sms: FileSmsOutbox, letters: LetterWriter | None = None) -> None:
        self.service = service
        self.clock = clock
        self.letters = letters
        self.engine = make_engine(readmodel_url(service.url))
        self.projector = Projector(service, self.engine)
        sender = MessageSender(service, mailer, sms)
        hooks = (Hooks(reminders=sender, letters=letters) if letters is not None
                 else Hooks(reminders=sender))
        self.schedule = Schedule(service, CaseViews(self.engine, clock), Policies(), hooks)
        self.reports: list[RunReport] = []

    def on(self, day: date) -> RunReport:
        self.clock.current = datetime(day.year, day.month, day.day, 9, tzinfo=UTC)
        self.projector.catch_up()
        self.reports.append(self.schedule.run(day))
        return self.reports[-1]

    def every_day(self, first: date, last: date) -> None:
        while first <= last:
            self.on(first)
            first += timedelta(days=1)


@pytest.fixture
def runs(service: CaseService, clock: FixedClock, smtp_server: Server, tmp_path: Path,
         pytestconfig: pytest.Config) -> Iterator[Runs]:
    """The schedule as `arrears schedule run` wires it: email to a real SMTP server; the
    demands get their letters where PDFs can be made here."""
    letters = (None if pdf_problem(pytestconfig)
               else install_letters(service, {}, letters=tmp_path / "letters"))
    found = Runs(service, clock, smtp_server.mailer(), FileSmsOutbox(tmp_path / "sms"),
                 letters)
    yield found
    found.engine.dispose()


def events_of(service: CaseService, case_id: UUID, kind: str) -> list[dict]:
    return [e for e in service.history(case_id) if e["type"] == kind]


# -- Given ---------------------------------------------------------------------------------

@given(step("{debtor}, an individual in England and Wales, owes us {amount:Money} on invoice "
            "{number} issued on {issued:Date} and due on {due:Date}"), target_fixture="case_id")
def an_individuals_unpaid_invoice(service: CaseService, debtor: str, amount: Money,
                                  number: str, issued: date, due: date) -> UUID:
    """A consumer's debt (the schedule's default law is England and Wales)."""
    open_case(service, actor=ACTOR, occurred_on=issued, creditor=CREDITOR,
              invoice_number=number, debtor=Debtor(debtor, kind="individual"), amount=amount,
              issue_date=issued, due_date=due)
    return service.resolve(number)


@given(step("{debtor}, whose accounts email is {email}, owes us {amount:Money} on invoice "
            "{number} issued on {issued:Date} and due on {due:Date}"), target_fixture="case_id")
def an_unpaid_invoice_by_email(service: CaseService, debtor: str, email: str, amount: Money,
                               number: str, issued: date, due: date) -> UUID:
    """A business debtor the schedule can email."""
    open_case(service, actor=ACTOR, occurred_on=issued, creditor=CREDITOR,
              invoice_number=number, debtor=Debtor(debtor, email=email), amount=amount,
              issue_date=issued, due_date=due)
    return service.resolve(number)


@given(step("the schedule ran every day from {first:Date} to {last:Date}"))
def the_schedule_ran_daily(runs: Runs, first: date, last: date) -> None:
    """The daily runs so far: reminders, the call task, the interest claim."""
    runs.every_day(first, last)


# -- When ----------------------------------------------------------------------------------

@when(step("the schedule runs on {day:Date}"))
@when(step("the schedule runs again on {day:Date}"))
def the_schedule_runs(runs: Runs, day: date) -> None:
    """One run of the schedule for that day."""
    runs.on(day)


@when(step("the schedule runs every day from {first:Date} to {last:Date}"))
def the_schedule_runs_daily(runs: Runs, first: date, last: date) -> None:
    """A run every day, as the nightly job would."""
    runs.every_day(first, last)


# -- Then ----------------------------------------------------------------------------------

@then(step('the schedule took the step "{name}"'))
def it_took_the_step(runs: Runs, name: str) -> None:
    """The last run took that step (and nothing was refused)."""
    assert [a.step for a in runs.reports[-1].taken][-1] == name
    assert runs.reports[-1].errors == []


@then(step("the case has {count:d} reminder sent on {day:Date}"))
def reminders_sent(service: CaseService, case_id: UUID, count: int, day: date) -> None:
    """Reminders recorded that day."""
    sent = [e for e in events_of(service, case_id, "ReminderSent")
            if e["occurred_on"] == day.isoformat()]
    assert len(sent) == count


@then(step("{count:d} email reminder about {number} arrived at {email}"))
def emails_arrived(smtp_server: Server, count: int, number: str, email: str) -> None:
    """What the SMTP server received."""
    about = [m for m in smtp_server.messages
             if m["To"] == email and number in m.get_body(("plain",)).get_content()]
    assert len(about) == count == len(smtp_server.messages)


@then("the second run took no step")
def nothing_the_second_time(runs: Runs) -> None:
    """The same day again: nothing new."""
    first, second = runs.reports[-2:]
    assert [a.step for a in first.taken] == ["reminder-overdue"]
    assert second.taken == []


@then("every run left the case alone as disputed")
def paused_every_time(runs: Runs) -> None:
    """Each run counted the case as paused, for its dispute."""
    assert runs.reports and all(r.paused == {"disputed": 1} for r in runs.reports)


@then("the demand is a letter of claim under the Pre-Action Protocol for Debt Claims")
def a_letter_of_claim(service: CaseService, case_id: UUID) -> None:
    """The demand names the protocol and the reply form; the step says why."""
    [demand] = events_of(service, case_id, "DemandIssued")
    consequences = demand["data"]["consequences"]
    assert "letter of claim under the Pre-Action Protocol for Debt Claims" in consequences
    assert "within 30 days" in consequences and "Reply Form" in consequences
    mark = events_of(service, case_id, "ScheduleStepTaken")[-1]
    assert mark["data"]["note"].startswith("A letter of claim under the Pre-Action Protocol")


@then("its PDF gives 30 days to reply")
def its_letter_gives_30_days(runs: Runs, service: CaseService, case_id: UUID,
                             pytestconfig: pytest.Config) -> None:
    """The demand's letter, read back from the store: a letter of claim with the Reply Form,
    the 30 days and the day to reply by (the demand's deadline)."""
    require_pdf(pytestconfig)
    assert runs.letters is not None
    [demand] = events_of(service, case_id, "DemandIssued")
    record, pdf = runs.letters.letter(case_id, demand["version"])
    assert hashlib.sha256(pdf).hexdigest() == demand["data"]["letter_sha256"]
    text = text_of(pdf)
    assert "Letter of claim" in text and "Reply Form" in text
    deadline = date.fromisoformat(demand["data"]["deadline"])
    assert f"You have 30 days from the date of this letter to reply: please reply by " \
           f"{deadline.day} {deadline:%B %Y}" in text
