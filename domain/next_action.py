"""What a credit controller should do next on a case, from its summary and today's date.

Every open case has one, whatever its stage; a closed case has none (''). The dashboard's
action lists (`domain.action_lists.action_windows`, the days a case is on each list) hold
the cases whose next action is one of the first five below; keep the two in step.
"""

from __future__ import annotations

from datetime import date, timedelta

from domain.values import CLOSED_STAGES, Stage

REMINDER_INTERVAL = timedelta(days=14)
DEMAND_AFTER_DAYS = 30

# Out of the creditor's hands: what is left to do is to follow it up.
HANDED_OFF = {
    Stage.IN_MEDIATION: "In mediation: await the mediator's report",
    Stage.WITH_COUNSEL: "With counsel: follow up the claim",
    Stage.WITH_AGENCY: "With the collection agency: follow up its progress",
    Stage.IN_INSOLVENCY: "In insolvency: follow the proof of claim",
}


def next_action(*, stage: str, due_date: date, on_hold: bool, hold_reason: str,
                next_promised_date: date | None, demand_deadline: date | None,
                last_reminder_on: date | None, today: date,
                next_instalment_due: date | None = None) -> str:
    """One short instruction; '' only for a closed case."""
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
    if stage == Stage.DEMANDED:
        return _after_demand(demand_deadline, today)
    if stage in HANDED_OFF:
        return HANDED_OFF[Stage(stage)]
    return _before_demand(stage, due_date, last_reminder_on, today)


def _after_demand(deadline: date | None, today: date) -> str:
    if deadline is not None and deadline < today:
        return "Demand deadline passed: refer"
    return f"Await the demand's deadline ({deadline.isoformat()})" if deadline else "Refer"


def _before_demand(stage: str, due_date: date, last_reminder_on: date | None,
                   today: date) -> str:
    overdue_days = (today - due_date).days
    if overdue_days < 0:
        return f"Not due yet (due {due_date.isoformat()})"
    if overdue_days == 0:
        return "Due today"
    if stage == Stage.REMINDED and overdue_days >= DEMAND_AFTER_DAYS:
        return "Issue demand"
    if last_reminder_on is None or today - last_reminder_on >= REMINDER_INTERVAL:
        return "Send reminder"
    return f"Await a reply to the reminder of {last_reminder_on.isoformat()}"
