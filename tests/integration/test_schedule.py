"""The schedule run over real stores (SQLite, then PostgreSQL): a timeline of days on a fixed
clock, idempotent runs, pauses, late cases, previews, tasks and the hooks."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from uuid import UUID

import pytest

from application.clock import FixedClock
from application.commands import IssueDemand, SendReminder
from application.readmodels.database import make_engine, readmodel_url
from application.readmodels.projector import Projector
from application.readmodels.queries import CaseViews
from application.schedule.engine import Hooks, Schedule, step_key
from application.schedule.hooks import SCHEDULE_ACTOR, LetterKind, StepFailed
from application.schedule.policies import Policies
from application.schedule.policy import Step
from application.schedule.report import RunReport
from application.schedule.tasks import TaskViews
from application.service import CaseService
from domain.case import DebtCase
from domain.law import Jurisdiction
from domain.money import Money
from domain.values import Debtor, Instalment
from tests.builders import random_ref
from tests.commands import execute, open_case

ISSUED, DUE = date(2026, 1, 1), date(2026, 1, 31)


def on(offset: int) -> date:
    return DUE + timedelta(days=offset)


@dataclass
class World:
    """One store, its read side and a schedule, on a clock the test moves day by day."""

    service: CaseService
    clock: FixedClock
    projector: Projector
    views: CaseViews
    tasks: TaskViews
    hooks: Hooks | None = None

    def schedule(self, service: CaseService | None = None) -> Schedule:
        return Schedule(service or self.service, self.views, Policies(), self.hooks)

    def to(self, day: date) -> None:
        self.clock.current = datetime(day.year, day.month, day.day, 9, tzinfo=UTC)

    def run(self, day: date, service: CaseService | None = None) -> RunReport:
        self.to(day)
        self.projector.catch_up()
        return self.schedule(service).run(day)

    def every_day(self, first: date, last: date) -> Iterator[RunReport]:
        day = first
        while day <= last:
            yield self.run(day)
            day += timedelta(days=1)

    def open(self, debtor: Debtor | None = None, currency: str = "GBP",
             due: date = DUE) -> UUID:
        return open_case(self.service, occurred_on=ISSUED, creditor="Acme Ltd",
                         invoice_number=random_ref(), debtor=debtor or Debtor("Harbour Ltd"),
                         amount=Money.of("1200.00", currency), issue_date=ISSUED, due_date=due)

    def events(self, case_id: UUID) -> list[dict]:
        return self.service.history(case_id)

    def head(self) -> int:
        return self.service.recorder.max_notification_id() or 0


@pytest.fixture
def world(service: CaseService, clock: FixedClock) -> Iterator[World]:
    engine = make_engine(readmodel_url(service.url))
    yield World(service, clock, Projector(service, engine), CaseViews(engine, clock),
                TaskViews(engine, clock))
    engine.dispose()


def taken(reports: Iterator[RunReport]) -> list[tuple[date, str]]:
    return [(r.today, a.step) for r in reports for a in r.taken]


class TestATimelineOfDays:
    def test_each_step_on_its_day(self, world):
        case_id = world.open()
        assert taken(world.every_day(on(-6), on(40))) == [
            (on(-3), "reminder-before-due"), (on(0), "reminder-on-due"),
            (on(7), "reminder-overdue"), (on(10), "call"), (on(14), "claim-interest"),
            (on(21), "formal-demand"), (on(36), "consider-referral")]
        recorded = [(e["occurred_on"], e["type"]) for e in world.events(case_id)
                    if e["actor"] == SCHEDULE_ACTOR and e["type"] != "ScheduleStepTaken"]
        assert [t for _, t in recorded] == [
            "ReminderSent", "ReminderSent", "ReminderSent", "TaskCreated", "PenaltyApplied",
            "PenaltyApplied", "DemandIssued", "TaskCreated"]
        demand = [e for e in world.events(case_id) if e["type"] == "DemandIssued"][0]
        assert demand["data"]["deadline"] == on(35).isoformat()  # 21 + 14 days

    def test_twice_on_one_day_records_nothing_the_second_time(self, world):
        case_id = world.open()
        first = world.run(on(7))
        head = world.head()
        second = world.run(on(7))
        assert [a.step for a in first.taken] == ["reminder-overdue"]
        assert (second.taken, world.head()) == ([], head)
        assert [e["type"] for e in world.events(case_id)].count("ReminderSent") == 1

    def test_nor_does_another_process_racing_on_the_same_day(self, world, make_service):
        case_id = world.open()
        other = make_service()  # another process's CaseService on the same store
        world.to(on(7))
        world.projector.catch_up()
        racing = world.schedule(other)
        rows, stale = racing.candidates(on(7)), other.load(case_id)  # read before this run
        world.schedule().run(on(7))
        head = world.head()
        other.load = lambda _id: copy.deepcopy(stale)  # type: ignore[method-assign]
        report = racing.run(on(7), rows=rows)
        assert ([a.step for a in report.actions], report.repeated) == (["reminder-overdue"], 1)
        assert report.taken == [] and world.head() == head

    def test_the_next_day_the_case_says_the_step_was_taken(self, world):
        world.open()
        world.run(on(7))
        assert world.run(on(8)).taken == []


class TestPaused:
    def assert_untouched(self, world, case_id, reason):
        before = len(world.events(case_id))
        reports = list(world.every_day(on(3), on(45)))
        assert len(world.events(case_id)) == before
        assert all(r.paused == {reason: 1} for r in reports)

    def test_a_disputed_case(self, world):
        case_id = world.open()
        execute(world.service, case_id, "raise_dispute", occurred_on=ISSUED, reason="damaged")
        self.assert_untouched(world, case_id, "disputed")

    def test_a_case_on_hold(self, world):
        case_id = world.open()
        execute(world.service, case_id, "place_hold", occurred_on=ISSUED, reason="audit")
        self.assert_untouched(world, case_id, "on hold")

    def test_a_payment_plan_in_good_standing(self, world):
        case_id = world.open()
        execute(world.service, case_id, "agree_payment_plan", occurred_on=ISSUED,
                instalments=[Instalment(on(60), Money.of("1200.00", "GBP"))])
        self.assert_untouched(world, case_id, "payment plan")

    def test_a_promise_not_yet_due_then_chased_from_the_day_after(self, world):
        case_id = world.open()
        execute(world.service, case_id, "promise_payment", occurred_on=ISSUED,
                amount=Money.of("1200.00", "GBP"), promised_on=on(12))
        reports = list(world.every_day(on(-5), on(13)))
        assert all(r.paused == {"promise to pay": 1} for r in reports[:-1])
        assert [a.step for a in reports[-1].taken] == ["call"]  # on day 13, the step for it
        first = [e for e in world.events(case_id) if e["type"] == "ScheduleStepTaken"][0]
        assert first["data"]["skipped"] == ["reminder-before-due", "reminder-on-due",
                                            "reminder-overdue"]

    def test_an_agreed_settlement_not_yet_due_then_chased_from_the_day_after(self, world):
        case_id = world.open()
        execute(world.service, case_id, "agree_settlement", occurred_on=ISSUED,
                amount=Money.of("1000.00", "GBP"), pay_by=on(20))
        reports = list(world.every_day(on(-5), on(21)))
        assert all(r.taken == [] for r in reports[:-1])
        assert any(r.paused == {"settlement agreed": 1} for r in reports[:-1])
        assert reports[-1].taken and reports[-1].paused == {}
        steps = [e for e in world.events(case_id) if e["type"] == "ScheduleStepTaken"]
        assert steps and {e["occurred_on"] for e in steps} == {on(21).isoformat()}


class TestLate:
    def test_a_case_entering_25_days_late_starts_at_its_step(self, world):
        case_id = world.open()
        report = world.run(on(25))
        assert [a.step for a in report.taken] == ["claim-interest", "formal-demand"]
        types = [e["type"] for e in world.events(case_id)]
        assert "ReminderSent" not in types and "TaskCreated" not in types
        marks = [e["data"] for e in world.events(case_id) if e["type"] == "ScheduleStepTaken"]
        assert [(m["step"], m["entered"], m["skipped"]) for m in marks] == [
            ("claim-interest", True, ["reminder-before-due", "reminder-on-due",
                                      "reminder-overdue", "call"]),
            ("formal-demand", False, [])]
        assert world.run(on(26)).taken == []  # passed over for good

    def test_the_demand_is_for_the_amount_with_the_claim(self, world):
        case_id = world.open()
        world.run(on(25))
        case = world.service.load(case_id)
        demand = [e for e in world.events(case_id) if e["type"] == "DemandIssued"][0]
        assert demand["data"]["amount"]["amount"] == str(case.outstanding.amount)
        assert case.penalties.is_positive


class TestPreview:
    def test_stores_nothing_and_says_what_a_run_would_do(self, world):
        case_id = world.open()
        world.to(on(25))
        world.projector.catch_up()
        head = world.head()
        preview = world.schedule().preview(on(25))
        assert world.head() == head
        for step in ("claim-interest", "formal-demand"):
            assert world.service.recorder.find_key(step_key(case_id, step, on(25))) is None
        run = world.schedule().run(on(25))
        assert [(a.step, a.description) for a in preview.actions] == \
            [(a.step, a.description) for a in run.actions]
        assert preview.recorded is False and run.recorded is True

    def test_previews_a_later_day(self, world):
        world.open()
        world.projector.catch_up()
        assert [a.step for a in world.schedule().preview(on(10)).actions] == ["call"]


class TestTasks:
    def test_a_task_is_listed_until_its_call_is_logged(self, world):
        case_id = world.open()
        world.run(on(10))
        world.projector.catch_up()
        [task] = world.tasks.open_tasks()
        assert (task["step"], task["due_on"], task["actions"], task["prefill"]) == \
            ("call", on(12), ["log_call"], {"direction": "outbound"})
        assert world.tasks.open_tasks(due_by=on(11)) == []
        world.to(on(11))
        execute(world.service, case_id, "log_call", occurred_on=on(11), outcome="no_answer")
        world.projector.catch_up()
        assert world.tasks.open_tasks() == []
        [done] = world.tasks.of_case(str(case_id))
        assert (done["done_on"], done["done_by"]) == (on(11), "CallLogged")

    def test_the_tasks_of_a_closed_case_are_moot(self, world):
        case_id = world.open()
        world.run(on(10))
        execute(world.service, case_id, "record_payment", occurred_on=on(10),
                amount=Money.of("1200.00", "GBP"))
        # paid 10 days late: closed once the interest accrued is given up (ADR 25)
        execute(world.service, case_id, "waive_interest", occurred_on=on(10),
                reason="goodwill")
        world.projector.catch_up()
        assert world.tasks.open_tasks() == []


class TestErrors:
    def test_one_case_refused_the_others_go_on(self, world):
        # German interest after 30 June 2026 needs a Basiszinssatz the table does not hold
        german = open_case(world.service, occurred_on=ISSUED, creditor="Acme Ltd",
                           invoice_number=random_ref(), debtor=Debtor("Hafen GmbH"),
                           amount=Money.of("1200.00", "EUR"), issue_date=ISSUED,
                           due_date=date(2026, 6, 16), jurisdiction=Jurisdiction.GERMANY)
        pound = world.open(due=date(2026, 6, 16))
        report = world.run(date(2026, 7, 1))
        [error] = report.errors
        assert (error.case_id, error.step) == (str(german), "claim-interest")
        assert "2026-07-01 is after 2026-06-30" in error.error
        assert [a.case_id for a in report.taken] == [str(pound)]

    def test_a_euro_debt_under_english_law_is_claimed_without_the_fixed_sum(self, world):
        euro = world.open(currency="EUR")  # English law's fixed sum is in GBP
        report = world.run(on(14))
        assert report.errors == []
        assert [a.case_id for a in report.taken] == [str(euro)]
        claimed = [e for e in world.events(euro) if e["type"] == "PenaltyApplied"]
        assert [e["data"]["kind"] for e in claimed] == ["statutory_interest"]


class RecordingSender:
    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []

    def describe(self, case: DebtCase, step: Step, today: date) -> str:
        return f"email to {case.debtor.name}"

    def send(self, case: DebtCase, step: Step, today: date, key: str) -> SendReminder:
        if case.debtor.name == "Bounce Ltd":
            raise StepFailed("the mail server refused the recipient")
        self.sent.append((key, step.reminder_template.value))
        return SendReminder(case_id=case.id, actor=SCHEDULE_ACTOR, occurred_on=today,
                            channel=step.channel, message_reference=f"<{len(self.sent)}@mail>")


class RecordingLetters:
    def __init__(self) -> None:
        self.rendered: list[LetterKind] = []

    def render(self, case: DebtCase, demand: IssueDemand, letter: LetterKind,
               key: str) -> IssueDemand:
        self.rendered.append(letter)
        return replace(demand, letter_reference=f"LETTER-{len(self.rendered)}")


class TestHooks:
    def test_the_sender_sends_once_per_key_and_its_message_id_is_recorded(self, world):
        sender = RecordingSender()
        world.hooks = Hooks(reminders=sender)
        case_id = world.open()
        world.run(on(7))
        world.run(on(7))
        assert sender.sent == [(step_key(case_id, "reminder-overdue", on(7)), "firm")]
        reminder = [e for e in world.events(case_id) if e["type"] == "ReminderSent"][0]
        assert reminder["data"]["message_reference"] == "<1@mail>"

    def test_a_failed_send_is_reported_and_retried_the_next_day(self, world):
        world.hooks = Hooks(reminders=RecordingSender())
        bounce = world.open(Debtor("Bounce Ltd"))
        fine = world.open()
        report = world.run(on(7))
        assert [(e.case_id, e.error) for e in report.errors] == \
            [(str(bounce), "the mail server refused the recipient")]
        assert [a.case_id for a in report.taken] == [str(fine)]
        assert [e.case_id for e in world.run(on(8)).errors] == [str(bounce)]

    def test_a_letter_of_claim_for_an_individual_with_its_reference(self, world):
        letters = RecordingLetters()
        world.hooks = Hooks(letters=letters)
        case_id = world.open(Debtor("Jo Bloggs", kind="individual"))
        world.run(on(21))
        demand = [e for e in world.events(case_id) if e["type"] == "DemandIssued"][0]
        assert letters.rendered == [LetterKind.LETTER_OF_CLAIM]
        assert demand["data"]["deadline"] == on(51).isoformat()  # 30 days
        assert demand["data"]["letter_reference"] == "LETTER-1"
        assert "Pre-Action Protocol for Debt Claims" in demand["data"]["consequences"]

    def test_the_jurisdiction_decides_the_letter(self, world):
        world.hooks = Hooks(jurisdiction=lambda case: Jurisdiction.SCOTLAND)
        case_id = world.open(Debtor("Jo Bloggs", kind="individual"))
        world.run(on(21))
        demand = [e for e in world.events(case_id) if e["type"] == "DemandIssued"][0]
        assert demand["data"]["deadline"] == on(35).isoformat()  # the policy's 14 days
