"""The hold's last day and the days a case is on each dashboard list (domain.action_lists)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from domain.action_lists import (
    HELD_UNTIL_LIFTED,
    MAX_WINDOW_DAYS,
    NOT_HELD,
    ActionList,
    action_windows,
    held_through,
    is_held,
    on_list,
)

DUE = date(2026, 3, 1)


def row(**changes: Any) -> dict[str, Any]:
    base = {"is_closed": False, "stage": "open", "due_date": DUE, "on_hold": False,
            "hold_reason": "", "held_through": NOT_HELD, "next_instalment_due": None,
            "limitation_date": None, "next_promised_date": None, "demand_deadline": None,
            "last_reminder_on": None}
    return {**base, **changes}


def test_a_hold_ends_after_its_date_or_at_a_missed_instalment_or_never():
    assert held_through(False, None, "", None) == NOT_HELD
    assert held_through(True, None, "query", None) == HELD_UNTIL_LIFTED
    assert held_through(True, date(2026, 5, 1), "query", None) == date(2026, 5, 1)
    assert held_through(True, None, "plan", date(2026, 4, 1)) == date(2026, 4, 1)
    assert held_through(True, date(2026, 3, 15), "plan", date(2026, 4, 1)) == date(2026, 3, 15)
    assert is_held(date(2026, 4, 1), date(2026, 4, 1))
    assert not is_held(date(2026, 4, 1), date(2026, 4, 2))
    assert not is_held(NOT_HELD, DUE)


def test_an_open_case_is_due_a_reminder_from_the_day_after_its_due_date():
    windows = action_windows(row())
    assert windows == {ActionList.REMINDERS_DUE: (DUE + timedelta(days=1), None)}
    assert not on_list(windows[ActionList.REMINDERS_DUE], DUE)


def test_a_reminded_case_is_due_a_reminder_until_a_demand_is_due():
    windows = action_windows(row(stage="reminded", last_reminder_on=DUE))
    assert windows[ActionList.REMINDERS_DUE] == (DUE + timedelta(days=14),
                                                 DUE + timedelta(days=29))
    assert windows[ActionList.DEMANDS_DUE] == (DUE + timedelta(days=30), None)


def test_a_case_held_until_lifted_is_on_no_working_list_and_a_closed_case_on_none():
    held = row(on_hold=True, hold_reason="query", held_through=HELD_UNTIL_LIFTED,
               limitation_date=date(2029, 3, 1))
    assert set(action_windows(held)) == {ActionList.LIMITATION_NEAR}
    assert action_windows(row(is_closed=True, stage="paid")) == {}


def test_every_window_that_ends_is_at_most_max_window_days_long():
    case = row(stage="reminded", limitation_date=date(2027, 1, 1))
    for first, last in action_windows(case).values():
        if last is not None:
            assert (last - first).days + 1 <= MAX_WINDOW_DAYS
