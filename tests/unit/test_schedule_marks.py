"""What the schedule records on a case: the steps it took (each once), and tasks, done by
recording what they ask for."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import pytest

from domain.errors import CaseClosed, InvalidValue, RuleBroken
from domain.tasks import Task
from tests.builders import day, given, names, open_case, refused, replayed, stamp, step, when
from tests.unit.test_stored_events import decoded


def stepped(case, on: date, name: str, skipped: tuple[str, ...] = ()) -> list:
    return when(case, "take_step", on, step=name, policy="default",
                day=(on - case.due_date).days, skipped=skipped)


def tasked(case, on: date, name: str = "call", actions: tuple[str, ...] = ("log_call",),
           within: int = 2) -> list:
    return when(case, "create_task", on, step=name, what="Call the debtor",
                due_on=day((on - case.due_date).days + within), actions=actions,
                prefill={"direction": "outbound"})


class TestSteps:
    def test_a_step_is_marked_with_its_day_and_policy(self):
        case = given()
        [event] = stepped(case, day(7), "reminder-overdue")
        assert names([event]) == ["ScheduleStepTaken"]
        assert (event.step, event.policy, event.day, event.skipped, event.entered) == \
            ("reminder-overdue", "default", 7, [], True)
        assert case.schedule_steps == ["reminder-overdue"]

    def test_where_a_late_case_entered_is_recorded_once(self):
        case = given()
        [first] = stepped(case, day(25), "claim-interest", ("reminder-on-due", "call"))
        [second] = stepped(case, day(25), "formal-demand")
        assert (first.entered, first.skipped) == (True, ["reminder-on-due", "call"])
        assert (second.entered, second.skipped) == (False, [])
        assert case.schedule_steps == ["reminder-on-due", "call", "claim-interest",
                                       "formal-demand"]

    def test_a_step_is_taken_once(self):
        case = given(None, step("take_step", day(7), step="reminder-overdue", policy="p",
                                day=7))
        with refused(case, RuleBroken, "step",
                     "the schedule already passed step 'reminder-overdue' on this case"):
            stepped(case, day(8), "reminder-overdue")

    def test_a_step_passed_over_is_never_taken(self):
        case = given(None, step("take_step", day(25), step="formal-demand", policy="p",
                                day=25, skipped=["call"]))
        with refused(case, RuleBroken, "step", "already passed step 'call'"):
            stepped(case, day(26), "call")

    def test_a_step_name_is_checked(self):
        with refused(given(), InvalidValue, "step", "lower-case letters"):
            stepped(given(), day(7), "Reminder Overdue")

    def test_not_on_a_closed_case(self):
        case = given(None, step("record_payment", day(0), amount=given().invoice_amount,
                                method="card"))
        with pytest.raises(CaseClosed, match="only notes may be added"):
            stepped(case, day(7), "reminder-overdue")


class TestTasks:
    def test_a_task_is_set_with_its_due_date_and_actions(self):
        case = given()
        [event] = tasked(case, day(10))
        assert (event.step, event.due_on, event.actions, event.prefill) == \
            ("call", day(12), ["log_call"], {"direction": "outbound"})
        assert case.open_tasks() == [Task("call", "Call the debtor", day(12), ("log_call",),
                                          day(10), {"direction": "outbound"})]

    def test_logging_the_call_does_the_call_task(self):
        case = given()
        tasked(case, day(10))
        events = when(case, "log_call", day(11), direction="outbound", outcome="no_answer")
        assert names(events) == ["CallLogged", "TaskDone"]
        assert (events[1].step, events[1].done_by) == ("call", "CallLogged")
        assert case.open_tasks() == []
        assert case.tasks[0].done_on == day(11)

    def test_any_of_its_actions_does_a_referral_task(self):
        case = given(None, step("issue_demand", day(21), deadline=day(35),
                                consequences="court"))
        tasked(case, day(36), "consider-referral",
               ("refer_to_mediation", "assign_agency", "refer_to_counsel"))
        events = when(case, "assign_agency", day(37), agency="Albion Recovery")
        assert names(events) == ["CollectionAgencyAssigned", "TaskDone"]

    def test_other_events_leave_it_open(self):
        case = given()
        tasked(case, day(10))
        assert names(when(case, "add_note", day(11), text="left a voicemail")) == ["NoteAdded"]
        assert len(case.open_tasks()) == 1

    def test_a_call_before_the_task_does_not_do_it(self):
        case = given(None, step("log_call", day(9), direction="outbound", outcome="no_answer"))
        tasked(case, day(10))
        assert len(case.open_tasks()) == 1

    def test_marked_done_by_a_person_saying_how(self):
        case = given()
        tasked(case, day(10))
        [event] = when(case, "complete_task", day(11), step="call",
                       notes="spoke at the trade fair")
        assert (event.done_by, event.notes) == ("", "spoke at the trade fair")
        with refused(case, RuleBroken, "step", "the case has no open task for step 'call'"):
            when(case, "complete_task", day(12), step="call", notes="again")

    def test_one_task_per_step(self):
        case = given()
        tasked(case, day(10))
        with refused(case, RuleBroken, "step", "already has a task for step 'call'"):
            tasked(case, day(11))

    def test_an_unknown_action_is_refused(self):
        with refused(given(), InvalidValue, "actions", "'fax' is not one of"):
            tasked(given(), day(10), actions=("fax",))

    def test_due_no_earlier_than_set(self):
        with refused(given(), InvalidValue, "due_on", "before the day the task is set"):
            tasked(given(), day(10), within=-1)

    def test_replay_gives_the_same_steps_and_tasks(self):
        case = open_case()
        case.take_step(step="call", policy="p", day=10, stamp=stamp(day(10)))
        case.create_task(step="call", what="Call", due_on=day(12), actions=["log_call"],
                         stamp=stamp(day(10)))
        case.log_call(direction="outbound", outcome="refused", stamp=stamp(day(11)))
        again = replayed(case.collect_events())
        assert (again.schedule_steps, again.tasks) == (case.schedule_steps, case.tasks)
        assert again.tasks[0].done_by == "CallLogged"


class TestAnOldSnapshot:
    def restored(self, file: str = "case_reminded_snapshot_v2.tsv",
                 case_id: str = "28690f3e-a7dd-5461-a6a9-5ef77363a831"):
        [snapshot] = decoded(file, UUID(case_id))
        return snapshot.mutate(None)

    def test_version_2_had_no_steps_and_no_tasks(self):
        case = self.restored()
        assert (case.version, case.schedule_steps, case.tasks) == (3, [], [])
        assert (case.last_contact_on, case.attachments) == (date(2025, 2, 10), {})

    def test_version_3_had_none_either_and_keeps_its_documents(self):
        case = self.restored("case_attached_snapshot_v3.tsv",
                             "9fcfaa17-c6db-57d0-8621-56b4e000d78f")
        assert (case.version, case.schedule_steps, case.tasks) == (3, [], [])
        assert case.attachments == {"a" * 64: "invoice.pdf"}

    def test_takes_steps_and_tasks(self):
        case = self.restored()
        stepped(case, date(2025, 2, 10), "call")
        tasked(case, date(2025, 2, 10))
        assert case.schedule_steps == ["call"]
        assert [t.step for t in case.open_tasks()] == ["call"]
