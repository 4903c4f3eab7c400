"""The statutory demand (the insolvency step, distinct from a formal demand letter): whether
one may be served, and the period the debtor has to pay.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from domain.errors import RuleBroken
from domain.law.rules import DemandRule, rules_for
from domain.law.vocabulary import Jurisdiction
from domain.money import Money
from domain.values import DebtorKind, choice


@dataclass(frozen=True)
class DemandCheck:
    """Allowed, or the reason it is not; `days` the debtor has once it is served."""

    allowed: bool
    reason: str
    days: int | None

    def deadline(self, served_on: date) -> date:
        """The day the period to pay ends: `days` after the day it is served."""
        if self.days is None:
            raise RuleBroken(self.reason, "statutory_demand")
        return served_on + timedelta(days=self.days)

    def checked(self) -> DemandCheck:
        """Itself when allowed; otherwise the refusal, with its reason."""
        if not self.allowed:
            raise RuleBroken(self.reason, "statutory_demand")
        return self


def check_statutory_demand(jurisdiction: Jurisdiction | str, debtor: DebtorKind | str,
                           owed: Money, *, disputed: bool = False) -> DemandCheck:
    """May a statutory demand be served for `owed` (what is due now) on this debtor?"""
    rules = rules_for(jurisdiction)
    kind = choice(DebtorKind, str(debtor), "debtor.kind")
    rule = rules.statutory_demand
    if rule is None:
        return DemandCheck(False, "statutory demand thresholds are known for England and "
                           f"Wales only, not for {rules.name}", None)
    if disputed:
        return DemandCheck(False, "no statutory demand on a disputed debt", rule.days)
    if owed.currency != rule.currency:
        return DemandCheck(False, f"the statutory demand thresholds are in {rule.currency}; "
                           f"this debt is in {owed.currency}", rule.days)
    return _threshold(rule, kind, owed)


def _threshold(rule: DemandRule, kind: DebtorKind, owed: Money) -> DemandCheck:
    if kind is DebtorKind.BUSINESS:
        limit = Money(rule.business_more_than, rule.currency).rounded()
        allowed = owed.amount > limit.amount
        need = f"more than {limit} owed by a business debtor ({rule.business_source})"
    else:
        limit = Money(rule.individual_at_least, rule.currency).rounded()
        allowed = owed.amount >= limit.amount
        need = f"at least {limit} owed by an individual ({rule.individual_source})"
    if allowed:
        return DemandCheck(True, f"a statutory demand may be served: it needs {need}, and "
                           f"{owed.rounded()} is owed; the debtor has {rule.days} days to pay",
                           rule.days)
    return DemandCheck(False, f"a statutory demand needs {need}; {owed.rounded()} is owed",
                       rule.days)
