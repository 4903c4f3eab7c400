from datetime import UTC, date, datetime

import pytest

from domain.errors import InvalidValue
from tests.builders import ISSUED, RECORDED_AT, eur, given, refused, stamp

COMMANDS = {
    "add_note": dict(text="called"),
    "record_payment": dict(amount=eur("10"), method="card"),
    "send_reminder": dict(channel="email"),
    "log_call": dict(direction="inbound", outcome="other"),
}


class TestWhenAnEventOccurred:
    @pytest.mark.parametrize("command", sorted(COMMANDS))
    def test_an_event_cannot_occur_in_the_future(self, command):
        case = given()
        tomorrow = date(2026, 1, 2)
        with refused(case, InvalidValue, "occurred_on", match="2026-01-02 is in the future"):
            getattr(case, command)(stamp=stamp(tomorrow), **COMMANDS[command])

    @pytest.mark.parametrize("command", sorted(COMMANDS))
    def test_an_event_cannot_occur_before_the_invoice_was_issued(self, command):
        case = given()
        with refused(case, InvalidValue, "occurred_on", match="before the invoice's issue date"):
            getattr(case, command)(stamp=stamp(date(2024, 12, 31)), **COMMANDS[command])

    @pytest.mark.parametrize("command", sorted(COMMANDS))
    def test_the_issue_date_and_today_are_both_accepted(self, command):
        case = given()
        getattr(case, command)(stamp=stamp(ISSUED), **COMMANDS[command])
        getattr(case, command)(stamp=stamp(RECORDED_AT.date()), **COMMANDS[command])
        assert [e.occurred_on for e in case.collect_events()] == [ISSUED, RECORDED_AT.date()]

    def test_the_time_it_was_recorded_must_carry_a_time_zone(self):
        case = given()
        with refused(case, InvalidValue, "recorded_at"):
            case.add_note(text="x", stamp=stamp(ISSUED, recorded_at=datetime(2026, 1, 1, 9)))

    def test_every_event_says_who_recorded_it_and_when(self):
        case = given()
        at = datetime(2025, 6, 1, 14, 30, tzinfo=UTC)
        case.add_note(text="x", stamp=stamp(date(2025, 5, 30), actor=" bob ", recorded_at=at))
        [event] = case.collect_events()
        assert (event.actor, event.occurred_on, event.timestamp) == \
            ("bob", date(2025, 5, 30), at)

    def test_an_event_needs_an_actor(self):
        case = given()
        with refused(case, InvalidValue, "actor"):
            case.add_note(text="x", stamp=stamp(ISSUED, actor=""))
