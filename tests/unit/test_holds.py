import pytest

from domain.errors import InvalidValue, RuleBroken
from domain.values import Instalment
from tests.builders import day, eur, given, names, refused, step, when

REMINDER = ("send_reminder", dict(channel="email"), "sending a reminder")
DEMAND = ("issue_demand", dict(deadline=day(90), consequences="court"), "issuing a demand")
REFUSED_ON_HOLD = [REMINDER, DEMAND]

HOLDS = {
    "manual": [step("place_hold", day(10), reason="manual")],
    "dispute": [step("raise_dispute", day(10), reason="goods damaged")],
    "plan": [step("agree_payment_plan", day(10),
                  instalments=[Instalment(day(40), eur("500")), Instalment(day(70), eur("500"))])],
}


class TestHolds:
    @pytest.mark.parametrize("reason", sorted(HOLDS))
    @pytest.mark.parametrize(("command", "fields", "what"), REFUSED_ON_HOLD)
    def test_reminders_and_demands_are_refused_while_on_hold(self, reason, command, fields,
                                                              what):
        case = given(None, *HOLDS[reason], amount="1000.00")
        with refused(case, RuleBroken, "case",
                     match=f"on hold \\({reason}\\); lift the hold before {what}"):
            when(case, command, day(20), **fields)

    @pytest.mark.parametrize(("command", "fields", "what"), REFUSED_ON_HOLD)
    def test_a_lifted_hold_lets_them_through_again(self, command, fields, what):
        case = given(None, *HOLDS["manual"], step("lift_hold", day(15), reason="agreed"))
        assert len(when(case, command, day(20), **fields)) == 1

    def test_a_hold_until_a_date_lasts_through_that_date(self):
        case = given(None, step("place_hold", day(10), reason="holiday", until=day(20)))
        assert case.is_on_hold(day(20))
        with refused(case, RuleBroken, "case"):
            when(case, "send_reminder", day(20), channel="email")

    def test_a_hold_until_a_date_expires_the_day_after(self):
        case = given(None, step("place_hold", day(10), reason="holiday", until=day(20)))
        assert not case.is_on_hold(day(21))
        assert names(when(case, "send_reminder", day(21), channel="email")) == ["ReminderSent"]

    def test_a_hold_must_end_after_the_day_it_is_placed(self):
        case = given()
        with refused(case, InvalidValue, "until"):
            when(case, "place_hold", day(10), reason="holiday", until=day(10))

    def test_lifting_needs_a_hold(self):
        case = given()
        with refused(case, RuleBroken, "case", match="not on hold"):
            when(case, "lift_hold", day(10))

    def test_placing_and_lifting_a_hold_are_recorded(self):
        case = given()
        placed = when(case, "place_hold", day(10), reason=" awaiting credit note ",
                      until=day(30))
        assert names(placed) == ["HoldPlaced"]
        assert (placed[0].reason, placed[0].until) == ("awaiting credit note", day(30))
        assert (case.hold_reason, case.hold_until) == ("awaiting credit note", day(30))
        lifted = when(case, "lift_hold", day(12), reason="credit note received")
        assert names(lifted) == ["HoldLifted"]
        assert not case.is_on_hold(day(12))


class TestDisputes:
    def test_a_dispute_puts_the_case_on_hold(self):
        case = given()
        events = when(case, "raise_dispute", day(10), reason=" goods damaged ")
        assert names(events) == ["DisputeRaised"]
        assert events[0].reason == "goods damaged"
        assert case.disputed
        assert case.is_on_hold(day(500))
        assert case.hold_reason == "dispute"

    def test_resolving_the_dispute_lifts_the_hold(self):
        case = given(None, step("raise_dispute", day(10), reason="goods damaged"))
        events = when(case, "resolve_dispute", day(20), outcome="for_creditor", notes="photos")
        assert names(events) == ["DisputeResolved"]
        assert (events[0].outcome, events[0].notes) == ("for_creditor", "photos")
        assert not case.disputed
        assert not case.is_on_hold(day(20))

    def test_a_dispute_hold_cannot_simply_be_lifted(self):
        case = given(None, step("raise_dispute", day(10), reason="goods damaged"))
        with refused(case, RuleBroken, "case", match="resolve the dispute"):
            when(case, "lift_hold", day(20))

    def test_a_case_is_disputed_once_at_a_time(self):
        case = given(None, step("raise_dispute", day(10), reason="goods damaged"))
        with refused(case, RuleBroken, "case", match="already disputed"):
            when(case, "raise_dispute", day(11), reason="price wrong")

    def test_only_an_open_dispute_can_be_resolved(self):
        case = given()
        with refused(case, RuleBroken, "case", match="no open dispute"):
            when(case, "resolve_dispute", day(11), outcome="withdrawn")

    def test_no_other_hold_can_replace_the_hold_of_an_open_dispute(self):
        case = given(None, step("raise_dispute", day(10), reason="goods damaged"))
        with refused(case, RuleBroken, "case", match="on hold for a dispute"):
            when(case, "place_hold", day(11), reason="holiday", until=day(20))
        assert case.is_on_hold(day(21))
        with refused(case, RuleBroken, "case", match=r"on hold \(dispute\)"):
            when(case, "send_reminder", day(21), channel="email")
