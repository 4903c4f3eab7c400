"""Which steps are due on a case on a day: a timeline of days over the shipped policy."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from application.schedule.ladder import (
    PauseReason,
    Standing,
    due_steps,
    pause_reason,
)
from application.schedule.policies import shipped_policy
from application.schedule.policy import Pause
from domain.values import Stage

DUE = date(2026, 1, 31)
POLICY = shipped_policy()


def on(offset: int) -> date:
    return DUE + timedelta(days=offset)


def standing(stage: Stage = Stage.OPEN, passed: tuple[str, ...] = (),
             deadline: date | None = None, paused: PauseReason | None = None) -> Standing:
    return Standing(DUE, stage, deadline, frozenset(passed), paused)


def due(today: date, **kwargs) -> list[tuple[str, tuple[str, ...]]]:
    return [(d.step.name, d.skipped) for d in due_steps(POLICY, standing(**kwargs), today)]


class TestOnTime:
    """A case the schedule has seen every day: each step on its own day, nothing skipped."""

    def test_nothing_before_the_first_step(self):
        assert due(on(-4)) == []

    def test_each_step_on_its_day(self):
        passed: list[str] = []
        taken = {}
        for offset in range(-10, 40):
            stage = Stage.DEMANDED if "formal-demand" in passed else (
                Stage.OVERDUE if offset > 0 else Stage.OPEN)
            found = due(on(offset), stage=stage, passed=tuple(passed),
                        deadline=on(35) if "formal-demand" in passed else None)
            for name, skipped in found:
                assert skipped == ()
                taken[name] = offset
                passed.append(name)
        assert taken == {"reminder-before-due": -3, "reminder-on-due": 0,
                         "reminder-overdue": 7, "call": 10, "claim-interest": 14,
                         "formal-demand": 21, "consider-referral": 36}

    def test_a_step_missed_yesterday_is_taken_today(self):
        assert due(on(8), stage=Stage.REMINDED,
                   passed=("reminder-before-due", "reminder-on-due")) == \
            [("reminder-overdue", ())]


class TestLate:
    def test_a_case_entering_at_25_days_gets_the_claim_and_the_demand(self):
        assert due(on(25), stage=Stage.OVERDUE) == [
            ("claim-interest", ("reminder-before-due", "reminder-on-due", "reminder-overdue",
                                "call")),
            ("formal-demand", ())]

    def test_a_case_entering_at_9_days_gets_only_the_third_reminder(self):
        assert due(on(9), stage=Stage.OVERDUE) == [
            ("reminder-overdue", ("reminder-before-due", "reminder-on-due"))]

    def test_a_case_entering_the_day_before_due_gets_the_early_reminder(self):
        assert due(on(-1)) == [("reminder-before-due", ())]


class TestWhatApplies:
    def test_a_demand_made_by_hand_is_not_made_again(self):
        passed = ("reminder-before-due", "reminder-on-due", "reminder-overdue", "call",
                  "claim-interest")
        assert due(on(22), stage=Stage.DEMANDED, passed=passed, deadline=on(29)) == []

    def test_after_the_hand_made_demand_the_referral_comes_at_its_deadline(self):
        passed = ("reminder-before-due", "reminder-on-due", "reminder-overdue", "call",
                  "claim-interest")
        assert due(on(30), stage=Stage.DEMANDED, passed=passed, deadline=on(29)) == \
            [("consider-referral", ("formal-demand",))]

    def test_no_reminder_after_a_demand(self):
        assert due(on(7), stage=Stage.DEMANDED, deadline=on(20),
                   passed=("reminder-before-due", "reminder-on-due")) == []

    @pytest.mark.parametrize("stage", [Stage.IN_MEDIATION, Stage.WITH_COUNSEL,
                                       Stage.WITH_AGENCY, Stage.IN_INSOLVENCY])
    def test_a_referred_case_is_left_to_those_who_have_it(self, stage):
        assert due(on(60), stage=stage, deadline=on(40)) == []

    def test_a_paused_case_has_nothing_due(self):
        assert due(on(21), stage=Stage.OVERDUE, paused=PauseReason.DISPUTED) == []

    def test_back_from_a_pause_at_day_40_it_starts_at_its_age(self):
        assert due(on(40), stage=Stage.REMINDED,
                   passed=("reminder-before-due", "reminder-on-due")) == [
            ("claim-interest", ("reminder-overdue", "call")), ("formal-demand", ())]


class TestPauses:
    TODAY = on(20)

    def reason(self, pause: Pause | None = None, **kwargs) -> PauseReason | None:
        facts = {"disputed": False, "held": False, "hold_reason": "",
                 "next_promised_date": None, **kwargs}
        return pause_reason(pause or Pause(), today=self.TODAY, **facts)

    def test_each_reason(self):
        assert self.reason(disputed=True, held=True, hold_reason="dispute") is \
            PauseReason.DISPUTED
        assert self.reason(held=True, hold_reason="plan") is PauseReason.PAYMENT_PLAN
        assert self.reason(held=True, hold_reason="customer on holiday") is PauseReason.ON_HOLD
        assert self.reason(next_promised_date=self.TODAY) is PauseReason.PROMISE_TO_PAY

    def test_none_for_a_case_worked_as_usual(self):
        assert self.reason() is None
        assert self.reason(next_promised_date=self.TODAY - timedelta(days=1)) is None

    def test_the_policy_may_chase_a_promise_not_yet_due(self):
        assert self.reason(Pause(promise_to_pay=False), next_promised_date=self.TODAY) is None

    def test_but_never_a_disputed_or_held_case(self):
        assert self.reason(Pause(promise_to_pay=False), disputed=True, held=True,
                           hold_reason="dispute") is PauseReason.DISPUTED
