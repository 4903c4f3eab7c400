"""How firm a reminder is: the five levels, which days each may be sent, how long each gives."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from domain.errors import RuleBroken


class ReminderLevel(StrEnum):
    BEFORE_DUE = "before_due"  # a courtesy note while the invoice is not yet due
    ON_DUE = "on_due"  # on the due date
    AFTER_DUE = "after_due"  # the first reminder once it is overdue
    FIRM = "firm"  # a second, firmer one with a date to pay by
    FINAL = "final"  # the last before further action

    @property
    def pay_within_days(self) -> int | None:
        """Days the reminder gives to pay, counted from the day it is sent (None: no date)."""
        return PAY_WITHIN_DAYS.get(self)


PAY_WITHIN_DAYS = {ReminderLevel.FIRM: 7, ReminderLevel.FINAL: 7}
OVERDUE_LEVELS = (ReminderLevel.AFTER_DUE, ReminderLevel.FIRM, ReminderLevel.FINAL)


def level_for(due_date: date, today: date) -> ReminderLevel:
    """The level a reminder sent today takes when none is chosen: from the due date."""
    if today < due_date:
        return ReminderLevel.BEFORE_DUE
    if today == due_date:
        return ReminderLevel.ON_DUE
    return ReminderLevel.AFTER_DUE


def check_level(level: ReminderLevel, due_date: date, today: date) -> ReminderLevel:
    """The level, if its wording fits the day: each says whether the invoice is due yet."""
    due = due_date.isoformat()
    if level is ReminderLevel.BEFORE_DUE and today >= due_date:
        raise RuleBroken(f"a before_due reminder is sent before the due date ({due})", "level")
    if level is ReminderLevel.ON_DUE and today != due_date:
        raise RuleBroken(f"an on_due reminder is sent on the due date ({due})", "level")
    if level in OVERDUE_LEVELS and today <= due_date:
        raise RuleBroken(f"a {level} reminder is sent after the due date ({due})", "level")
    return level
