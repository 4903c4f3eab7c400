"""The next action: one for every open stage, none for a closed case."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from domain.next_action import next_action
from domain.values import CLOSED_STAGES, Stage

DUE = date(2026, 1, 31)


def action(stage: Stage, today: date, **facts) -> str:
    known = {"on_hold": False, "hold_reason": "", "next_promised_date": None,
             "demand_deadline": None, "last_reminder_on": None, **facts}
    return next_action(stage=stage, due_date=DUE, today=today, **known)


def after(days: int) -> date:
    return DUE + timedelta(days=days)


@pytest.mark.parametrize("stage", [s for s in Stage if s not in CLOSED_STAGES])
def test_every_open_stage_has_a_next_action(stage):
    facts = {"demand_deadline": after(20)} if stage == Stage.DEMANDED else {}
    for today in (after(-5), after(0), after(10), after(45)):
        assert action(stage, today, **facts), (stage, today)


@pytest.mark.parametrize("stage", sorted(CLOSED_STAGES))
def test_a_closed_case_has_none(stage):
    assert action(stage, after(45)) == ""


class TestBeforeTheDemand:
    def test_not_due_yet_then_due_today(self):
        assert action(Stage.OPEN, after(-3)) == "Not due yet (due 2026-01-31)"
        assert action(Stage.OPEN, after(0)) == "Due today"

    def test_a_reminder_then_the_wait_for_a_reply(self):
        assert action(Stage.OVERDUE, after(3)) == "Send reminder"
        assert action(Stage.REMINDED, after(10), last_reminder_on=after(7)) == \
            "Await a reply to the reminder of 2026-02-07"
        assert action(Stage.REMINDED, after(21), last_reminder_on=after(7)) == "Send reminder"
        assert action(Stage.REMINDED, after(30), last_reminder_on=after(21)) == "Issue demand"


class TestAfterTheDemand:
    def test_await_the_deadline_then_refer(self):
        assert action(Stage.DEMANDED, after(25), demand_deadline=after(35)) == \
            "Await the demand's deadline (2026-03-07)"
        assert action(Stage.DEMANDED, after(36), demand_deadline=after(35)) == \
            "Demand deadline passed: refer"


@pytest.mark.parametrize("stage, said", [
    (Stage.IN_MEDIATION, "In mediation: await the mediator's report"),
    (Stage.WITH_COUNSEL, "With counsel: follow up the claim"),
    (Stage.WITH_AGENCY, "With the collection agency: follow up its progress"),
    (Stage.IN_INSOLVENCY, "In insolvency: follow the proof of claim"),
])
def test_a_referred_case_is_followed_up(stage, said):
    assert action(stage, after(60)) == said


def test_holds_and_promises_come_first():
    assert action(Stage.WITH_COUNSEL, after(60), next_promised_date=after(59)) == \
        "Chase broken promise"
    assert action(Stage.IN_MEDIATION, after(60), on_hold=True, hold_reason="dispute") == \
        "On hold (dispute)"
