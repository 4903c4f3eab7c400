"""What a credit controller should do next on a case, from its summary and today's date."""

from __future__ import annotations

from datetime import date, timedelta

from domain.values import CLOSED_STAGES, Stage

REMINDER_INTERVAL = timedelta(days=14)
DEMAND_AFTER_DAYS = 30


def next_action(*, stage: str, due_date: date, on_hold: bool, hold_reason: str,
                next_promised_date: date | None, demand_deadline: date | None,
                last_reminder_on: date | None, today: date,
                next_instalment_due: date | None = None) -> str:
    """One short instruction, or '' when nothing is due."""
    if stage in CLOSED_STAGES:
        return ""
    if hold_reason == "plan" and next_instalment_due is not None and next_instalment_due < today:
        return "Chase missed instalment"
    if on_hold:
        return f"On hold ({hold_reason})"
    if next_promised_date is not None and next_promised_date < today:
        return "Chase broken promise"
    if next_promised_date is not None:
        return f"Await promised payment ({next_promised_date.isoformat()})"
    if stage == Stage.DEMANDED and demand_deadline is not None and demand_deadline < today:
        return "Demand deadline passed: refer"
    if stage not in (Stage.OPEN, Stage.OVERDUE, Stage.REMINDED):
        return ""
    overdue_days = (today - due_date).days
    if overdue_days <= 0:
        return ""
    if stage == Stage.REMINDED and overdue_days >= DEMAND_AFTER_DAYS:
        return "Issue demand"
    if last_reminder_on is None or today - last_reminder_on >= REMINDER_INTERVAL:
        return "Send reminder"
    return ""
