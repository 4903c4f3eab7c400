"""Limitation: the date after which a debt may no longer be enforced.

A part payment or a written acknowledgment restarts the period, but only while it runs: it
cannot revive a period that has already expired. A restart never shortens the period.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from domain.law.dates import add_years, long_date
from domain.law.rules import LimitationRule, rules_for
from domain.law.vocabulary import Jurisdiction, LimitationStart

# How far ahead the dashboard and the case page warn of a limitation date (the one place).
WARNING_DAYS = 90


def warned_from(ends_on: date) -> date:
    """The first day a limitation ending on `ends_on` is warned about."""
    return ends_on - timedelta(days=WARNING_DAYS)


def limitation_near(ends_on: date, today: date) -> bool:
    """Whether the period ends within WARNING_DAYS of `today` (and has not yet ended)."""
    return warned_from(ends_on) <= today <= ends_on


@dataclass(frozen=True)
class Limitation:
    """`ends_on`: the last day of the period; after it the debt may be unenforceable."""

    ends_on: date
    restarted_on: date | None
    too_late: tuple[date, ...]  # acknowledgments or payments after expiry (no revival)
    basis: str


def limitation_period(jurisdiction: Jurisdiction | str, due_date: date,
                      restarts: Iterable[date] = ()) -> Limitation:
    """The period for a debt due on `due_date`; `restarts` are the dates of part payments
    and written acknowledgments."""
    return _period(jurisdiction, due_date, tuple(sorted(set(restarts))))


@lru_cache(maxsize=4096)  # the projector asks again for every case it writes (ADR 42)
def _period(jurisdiction: Jurisdiction | str, due_date: date,
            restarts: tuple[date, ...]) -> Limitation:
    rule = rules_for(jurisdiction).limitation
    ends_on = first_end(rule, due_date)
    restarted_on = None
    too_late: list[date] = []
    for day in restarts:
        if day > ends_on:
            too_late.append(day)
        elif add_years(day, rule.years) > ends_on:
            ends_on, restarted_on = add_years(day, rule.years), day
    return Limitation(ends_on, restarted_on, tuple(too_late),
                      _basis(rule, due_date, ends_on, restarted_on, too_late))


def first_end(rule: LimitationRule, due_date: date) -> date:
    if rule.runs_from is LimitationStart.END_OF_YEAR:
        return date(due_date.year + rule.years, 12, 31)
    return add_years(due_date, rule.years)


def _basis(rule: LimitationRule, due_date: date, ends_on: date, restarted_on: date | None,
           too_late: list[date]) -> str:
    if restarted_on is not None:
        reason = (f"{rule.years} years ({rule.source}) from {long_date(restarted_on)}, when an "
                  f"acknowledgment or part payment restarted the period ({rule.restart_source})")
    elif rule.runs_from is LimitationStart.END_OF_YEAR:
        reason = (f"{rule.years} years from the end of {due_date.year}, the year the claim "
                  f"arose ({rule.source})")
    else:
        reason = f"{rule.years} years from {long_date(due_date)}, the due date ({rule.source})"
    sentence = f"Limitation ends on {long_date(ends_on)}: {reason}."
    if too_late:
        days = ", ".join(long_date(day) for day in too_late)
        sentence += (f" An acknowledgment or payment after it expired ({days}) does not "
                     f"revive it ({rule.no_revival_source}).")
    return sentence
