"""How far a case has escalated, and how time moves it (days overdue, aging buckets)."""

from __future__ import annotations

from datetime import date

from domain.values import CLOSED_STAGES, Stage

_RANK = {
    Stage.OPEN: 0,
    Stage.OVERDUE: 0,
    Stage.REMINDED: 1,
    Stage.DEMANDED: 2,
    Stage.IN_MEDIATION: 3,
    Stage.WITH_COUNSEL: 3,
    Stage.WITH_AGENCY: 3,
    Stage.IN_INSOLVENCY: 4,
}

AGING_BUCKETS = ("current", "1-30", "31-60", "61-90", "90+")


def escalated(current: str, proposed: Stage) -> str:
    """The stage after a step: a referral replaces a referral; nothing steps a case back.

    Stages are kept as plain strings in the case's state so that snapshots restore them.
    """
    if current in CLOSED_STAGES or proposed in CLOSED_STAGES:
        return proposed.value
    return proposed.value if _RANK[Stage(proposed)] >= _RANK[Stage(current)] else current


def days_overdue(due_date: date, on: date) -> int:
    """Calendar days after the due date (0 on and before the due date)."""
    return max(0, (on - due_date).days)


def aging_bucket(due_date: date, on: date) -> str:
    """current, 1-30, 31-60, 61-90 or 90+ days overdue."""
    days = days_overdue(due_date, on)
    if days == 0:
        return "current"
    if days <= 30:
        return "1-30"
    if days <= 60:
        return "31-60"
    if days <= 90:
        return "61-90"
    return "90+"


def stage_on(stored: str, due_date: date, on: date) -> Stage:
    """The stage a reader sees on a given day: an open case past its due date is overdue."""
    if stored == Stage.OPEN and days_overdue(due_date, on) > 0:
        return Stage.OVERDUE
    return Stage(stored)
