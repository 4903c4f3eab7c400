"""A debtor-level hold: all of one debtor's cases paused (insolvency, a dispute about
everything, a negotiation), with a reason and an optional end date.

The hold is the debtor's, not a case's: it pauses the cases of that debtor there are now and
those opened while it lasts. What is decided here is pure; where it is kept is the
application's (`application.debtors.holds`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from domain.errors import Checks, InvalidValue, RuleBroken
from domain.values import required


@dataclass(frozen=True)
class DebtorHold:
    """A hold placed on a debtor: who placed it, when, why and until when (None: until
    lifted)."""

    debtor_key: str
    reason: str
    until: date | None
    placed_by: str
    placed_on: date

    def holds_on(self, day: date) -> bool:
        return self.until is None or day <= self.until

    @property
    def words(self) -> str:
        until = "until lifted" if self.until is None else f"until {self.until.isoformat()}"
        return f"debtor on hold ({self.reason}), {until}"


def placed(debtor_key: str, reason: str, until: date | None, actor: str,
           today: date) -> DebtorHold:
    """A hold as it may be placed today: a reason, an end date not already past."""
    checks = Checks()
    key = checks.run(required, debtor_key, "debtor")
    text = checks.run(required, reason, "reason")
    checks.run(_not_past, until, today)
    checks.done()
    return DebtorHold(key or "", text or "", until, actor, today)


def _not_past(until: date | None, today: date) -> None:
    if until is not None and until < today:
        raise InvalidValue(f"must not be before today ({today.isoformat()})", "until")


def lifted(current: DebtorHold | None, debtor_key: str, today: date) -> DebtorHold:
    """The hold to lift: refused when the debtor is not on hold."""
    if current is None or not current.holds_on(today):
        raise RuleBroken(f"the debtor '{debtor_key}' is not on hold", "debtor")
    return current
