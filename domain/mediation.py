"""Mediation: referring a case to a mediator, concluding it, and stepping past it.

Whether a mediation is open (`mediation_open`) is kept apart from the stage: a referral to
counsel or to an agency made during mediation may keep the mediation open, so that its
outcome can still be recorded with `conclude_mediation` while the case is with counsel.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from domain import events as ev
from domain.errors import InvalidValue, RuleBroken
from domain.rules import check_text, optional_text
from domain.values import MediationOnReferral, MediationOutcome, Stamp, choice

if TYPE_CHECKING:
    from domain.case import DebtCase

_CHOICES = ", ".join(c.value for c in MediationOnReferral)
_OUTCOMES = ", ".join(o.value for o in MediationOutcome)


@dataclass(frozen=True)
class HandOff:
    """What a referral made during mediation does to it, decided before anything is recorded."""

    override_reason: str
    keeps_mediation_open: bool = False
    concludes_with: MediationOutcome | None = None


class MediationCommands:
    """Mixed into `DebtCase` (through `EscalationCommands`)."""

    def _check_demand_first(self: DebtCase, override_reason: str, what: str) -> str:
        reason = optional_text(override_reason, "override_reason")
        if not self.demand_issued and not reason:
            raise RuleBroken(f"issue a demand before {what}, or give an override reason",
                             "override_reason")
        return reason

    def refer_to_mediation(self: DebtCase, *, mediator: str, reference: str = "",
                           override_reason: str = "", user: str = "", stamp: Stamp) -> None:
        """Hand the case to a mediator (after a demand, unless overridden with a reason).

        `user` names the mediator's account, if they have one.
        """
        stamp = self._check_open(stamp)
        if self.mediation_open:
            raise RuleBroken("the case is already in mediation", "case")
        reason = self._check_demand_first(override_reason, "referring to mediation")
        self._record(ev.MediationReferred, stamp, mediator=check_text(mediator, "mediator"),
                     reference=optional_text(reference, "reference"), override_reason=reason,
                     user=optional_text(user, "user"))

    def conclude_mediation(self: DebtCase, *, outcome: str, notes: str = "",
                           stamp: Stamp) -> None:
        """Record how the mediation ended; the case returns to where it stood without it."""
        stamp = self._check_open(stamp)
        if not self.mediation_open:
            raise RuleBroken("the case is not in mediation", "case")
        self._record(ev.MediationConcluded, stamp, notes=optional_text(notes, "notes"),
                     outcome=choice(MediationOutcome, outcome, "outcome").value)

    def _hand_off(self: DebtCase, override_reason: str, mediation: str,
                  mediation_outcome: str, what: str) -> HandOff:
        """Check a referral past mediation: during one it needs a reason and a choice."""
        reason = optional_text(override_reason, "override_reason")
        chosen, outcome = (mediation or "").strip(), (mediation_outcome or "").strip()
        if not self.mediation_open:
            if chosen or outcome:
                raise RuleBroken("the case is not in mediation", "mediation")
            return HandOff(reason)
        if not reason:
            raise RuleBroken(f"the case is in mediation; give an override reason for {what}",
                             "override_reason")
        if not chosen:
            raise InvalidValue("choose whether the referral concludes the mediation or keeps "
                               f"it open: {_CHOICES}", "mediation")
        if choice(MediationOnReferral, chosen, "mediation") == MediationOnReferral.KEEP_OPEN:
            if outcome:
                raise InvalidValue("an outcome is given only when the referral concludes the "
                                   "mediation", "mediation_outcome")
            return HandOff(reason, keeps_mediation_open=True)
        if not outcome:
            raise InvalidValue(f"give the mediation's outcome: {_OUTCOMES}", "mediation_outcome")
        return HandOff(reason, concludes_with=choice(MediationOutcome, outcome,
                                                     "mediation_outcome"))

    def _conclude_for(self: DebtCase, hand_off: HandOff, stamp: Stamp) -> None:
        """Record the mediation's end first when the referral concludes it."""
        if hand_off.concludes_with is not None:
            self._record(ev.MediationConcluded, stamp, outcome=hand_off.concludes_with.value,
                         notes="")
