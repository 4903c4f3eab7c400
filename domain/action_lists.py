"""When a case is on hold and on which days it is on each of the dashboard's action lists.

The one rule, decided from a case's summary once, when the case changes: the projector stores
what it computes (the summary's `held_through`, the case's action windows), SQL compares
those dates with today, and the page reads the same dates. Today moves the lists without an
event: a case is on a list on every day of its window, and the window is fixed until the
case changes again (ADR 0033).

A window is (first day, last day), the last day None when it does not end. Every window with
a last day is at most MAX_WINDOW_DAYS long, so the cases on such a list today all end within
that many days of today.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from domain.law.limitation import WARNING_DAYS
from domain.next_action import DEMAND_AFTER_DAYS, REMINDER_INTERVAL
from domain.values import Stage

NOT_HELD = date.min  # held through no day
HELD_UNTIL_LIFTED = date.max  # held through every day
DAY = timedelta(days=1)
MAX_WINDOW_DAYS = max(WARNING_DAYS + 1, DEMAND_AFTER_DAYS)

Window = tuple[date, date | None]


class ActionList(StrEnum):
    MISSED_INSTALMENTS = "missed_instalments"
    BROKEN_PROMISES = "broken_promises"
    DEADLINES_PASSED = "deadlines_passed"
    DEMANDS_DUE = "demands_due"
    REMINDERS_DUE = "reminders_due"
    LIMITATION_NEAR = "limitation_near"


def held_through(on_hold: bool, hold_until: date | None, hold_reason: str,
                 next_instalment_due: date | None) -> date:
    """The last day the case is on hold: a hold ends after its date, and a payment plan's
    hold ends when an instalment date passes unpaid. NOT_HELD or HELD_UNTIL_LIFTED at the ends.
    """
    if not on_hold:
        return NOT_HELD
    last = hold_until or HELD_UNTIL_LIFTED
    if hold_reason == "plan" and next_instalment_due is not None:
        last = min(last, next_instalment_due)
    return last


def is_held(held: date, today: date) -> bool:
    return today <= held


def action_windows(row: Mapping[str, Any]) -> dict[ActionList, Window]:
    """The days a case (its summary row, with `held_through`) is on each action list."""
    if row["is_closed"]:
        return {}
    held = row["held_through"]
    working = None if held == HELD_UNTIL_LIFTED else held + DAY  # the first day not held
    windows: dict[ActionList, Window] = {}
    if row["on_hold"] and row["hold_reason"] == "plan" and row["next_instalment_due"]:
        windows[ActionList.MISSED_INSTALMENTS] = (row["next_instalment_due"] + DAY, None)
    if row["limitation_date"] is not None:
        ends = row["limitation_date"]
        windows[ActionList.LIMITATION_NEAR] = (ends - timedelta(days=WARNING_DAYS), ends)
    if working is not None:
        windows.update(_working_windows(row, working))
    return windows


def _working_windows(row: Mapping[str, Any], working: date) -> dict[ActionList, Window]:
    """The lists of a case not on hold from `working` on (kept in step with next_action)."""
    stage, due = row["stage"], row["due_date"]
    if row["next_promised_date"] is not None:
        return {ActionList.BROKEN_PROMISES: (max(row["next_promised_date"] + DAY, working), None)}
    if stage == Stage.DEMANDED and row["demand_deadline"] is not None:
        return {ActionList.DEADLINES_PASSED: (max(row["demand_deadline"] + DAY, working), None)}
    if stage not in (Stage.OPEN, Stage.REMINDED):
        return {}
    windows: dict[ActionList, Window] = {}
    last_reminder = row["last_reminder_on"]
    start = max(due + DAY, working, last_reminder + REMINDER_INTERVAL if last_reminder else due)
    demand_from = due + timedelta(days=DEMAND_AFTER_DAYS)
    if stage == Stage.OPEN:
        windows[ActionList.REMINDERS_DUE] = (start, None)
    else:
        windows[ActionList.DEMANDS_DUE] = (max(demand_from, working), None)
        if start <= demand_from - DAY:
            windows[ActionList.REMINDERS_DUE] = (start, demand_from - DAY)
    return windows


def on_list(window: Window, today: date) -> bool:
    first, last = window
    return first <= today and (last is None or today <= last)
