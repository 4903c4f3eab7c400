"""Reminders and demands stored before they carried a letter decode with letter_sha256 ""
(tests/unit/stored/case_by_post_v1.tsv, written by the code at commit e9052bf)."""

from __future__ import annotations

from datetime import date

from domain import events as ev
from domain.case import case_id_for
from tests.unit.test_stored_events import decoded


def old_events() -> list[ev.CaseEvent]:
    return decoded("case_by_post_v1.tsv", case_id_for("C", "INV-5"))


class TestStoredBeforeLetters:
    def test_a_reminder_by_letter_decodes_without_a_letter(self):
        reminder = old_events()[1]
        assert isinstance(reminder, ev.ReminderSent)
        assert (reminder.channel, reminder.letter_sha256) == ("letter", "")

    def test_a_demand_keeps_its_reference_and_has_no_letter(self):
        demand = old_events()[2]
        assert isinstance(demand, ev.DemandIssued)
        assert (demand.letter_reference, demand.letter_sha256) == ("LOC-5", "")
        assert demand.deadline == date(2025, 3, 31)

    def test_they_replay_to_the_demanded_case(self):
        events = old_events()
        case = events[0].mutate(None)
        for event in events[1:]:
            case = event.mutate(case)
        assert (case.stage, case.demand_deadline) == ("demanded", date(2025, 3, 31))
