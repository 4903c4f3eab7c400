"""The statutory demand: the insolvency step, distinct from the formal demand letter.

A demand under the Insolvency Act 1986 gives the debtor 21 days to pay; it may be served
only on an undisputed debt above the thresholds of the case's jurisdiction
(`domain.law.check_statutory_demand`, from `domain/law/data/jurisdictions.toml`).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from domain.errors import RuleBroken
from domain.events import CaseEvent
from domain.law import check_statutory_demand
from domain.law.dates import long_date
from domain.money import Money
from domain.values import Stamp

if TYPE_CHECKING:
    from domain.case import DebtCase


class StatutoryDemandServed(CaseEvent):
    """Served on `served_on` for `amount` (all that was outstanding); the debtor has
    `period_days` to pay, until `deadline`. `basis`: the threshold it met and its source."""

    amount: Money
    served_on: date
    period_days: int
    deadline: date
    basis: str

    def apply(self, case: DebtCase) -> None:
        case.statutory_demand_deadline = self.deadline
        case.last_contact_on = self.occurred_on


class StatutoryDemandCommands:
    """Mixed into `DebtCase`: serving a statutory demand."""

    def serve_statutory_demand(self: DebtCase, *, stamp: Stamp) -> None:
        """Serve a statutory demand for what is outstanding; refused, with the reason, on a
        disputed debt, below the thresholds, under a jurisdiction without them, on hold, or
        while the period of one already served runs."""
        stamp = self._check_open(stamp)
        owed = self.outstanding
        check = check_statutory_demand(self.jurisdiction, self.debtor.kind, owed,
                                       disputed=self.disputed)
        if not check.allowed or check.days is None:
            raise RuleBroken(check.reason, "case")
        self._check_not_on_hold(stamp, "serving a statutory demand")
        running = self.statutory_demand_deadline
        if running is not None and stamp.occurred_on <= running:
            raise RuleBroken(f"a statutory demand is already running until "
                             f"{long_date(running)}", "case")
        deadline = check.deadline(stamp.occurred_on)
        basis = (f"{check.reason[0].upper()}{check.reason[1:]}, until {long_date(deadline)}.")
        self._record(StatutoryDemandServed, stamp, amount=owed.rounded(),
                     served_on=stamp.occurred_on, period_days=check.days, deadline=deadline,
                     basis=basis)
