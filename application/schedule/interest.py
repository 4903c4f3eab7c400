"""The default claim step: the case's own `claim_interest` (`ClaimInterest`), the same
command `arrears claim-interest` and the case page's button run, so one rule decides what
is claimed, each period once (`domain.interest_claims`).

The claim is worked out on the case first (pure, nothing recorded) to say what the step
does, to prefill a claim task's form, and to note why nothing is claimed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from application.commands import ApplyPenalty, ClaimInterest
from application.schedule.hooks import SCHEDULE_ACTOR, InterestClaim
from domain import events as ev
from domain.case import DebtCase
from domain.interest_claims import fitted
from domain.law import Jurisdiction

__all__ = ["StatutoryInterestClaimer", "fitted"]


class StatutoryInterestClaimer:
    """Claims what `DebtCase.interest_claim` gives: interest not yet claimed, fixed sums
    never applied. The case's own jurisdiction decides (`jurisdiction` is the same word)."""

    def claim(self, case: DebtCase, history: Sequence[ev.CaseEvent], jurisdiction: Jurisdiction,
              today: date) -> InterestClaim:
        found = case.interest_claim(today)
        penalties = [ApplyPenalty(case_id=case.id, actor=SCHEDULE_ACTOR, occurred_on=today,
                                  kind=found.kind, amount=line.amount.amount, rate=line.rate,
                                  period_start=line.from_, period_end=line.to,
                                  basis=found.basis)
                     for line in found.lines]
        penalties += [ApplyPenalty(case_id=case.id, actor=SCHEDULE_ACTOR, occurred_on=today,
                                   kind=kind, amount=amount.amount, basis=basis)
                      for kind, amount, basis in found.fixed]
        command = (None if found.is_empty else
                   ClaimInterest(case_id=case.id, actor=SCHEDULE_ACTOR, occurred_on=today,
                                 until=today))
        notes = [found.note] if found.note else []
        return InterestClaim(tuple(penalties), " ".join([*notes, found.basis]), command)
