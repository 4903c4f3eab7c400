"""Escalation commands of a case: demand, plans and settlements, referrals, insolvency."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from domain import events as ev
from domain.errors import InvalidValue, RuleBroken
from domain.letters import letter_digest
from domain.mediation import MediationCommands
from domain.money import Money
from domain.rules import check_after, check_at_most, check_not_before, check_text, optional_text
from domain.values import Instalment, Stamp

if TYPE_CHECKING:
    from domain.case import DebtCase


class EscalationCommands(MediationCommands):
    """Mixed into `DebtCase`: the formal steps after reminders and calls."""

    def issue_demand(self: DebtCase, *, deadline: date, consequences: str,
                     letter_reference: str = "", amount: Money | None = None,
                     letter_sha256: str = "", stamp: Stamp) -> None:
        """The formal demand: the account, a deadline after today, the consequences;
        `letter_sha256`: the letter (PDF) Arrears rendered for it, if any."""
        stamp = self._check_open(stamp)
        self._check_not_on_hold(stamp, "issuing a demand")
        check_after(deadline, stamp.occurred_on, "deadline", "the demand's issue date")
        amount = self.outstanding if amount is None else self._amount(amount)
        check_at_most(amount, self.outstanding, "outstanding balance")
        self._record(ev.DemandIssued, stamp, amount=amount, deadline=deadline,
                     consequences=check_text(consequences, "consequences"),
                     letter_reference=optional_text(letter_reference, "letter_reference"),
                     letter_sha256=letter_digest(letter_sha256))

    def agree_payment_plan(self: DebtCase, *, instalments: list[Instalment],
                           stamp: Stamp) -> None:
        """Agree instalments; collection is on hold while the plan is kept."""
        stamp = self._check_open(stamp)
        if self.disputed:
            raise RuleBroken("the case is disputed; resolve the dispute before agreeing a plan",
                             "case")
        if not instalments:
            raise InvalidValue("a plan needs at least one instalment", "instalments")
        checked = []
        previous = stamp.occurred_on
        for n, item in enumerate(instalments, start=1):
            field = f"instalments[{n}]"
            check_not_before(item.due_on, previous, f"{field}.due_on",
                             "the previous instalment or the agreement")
            checked.append(Instalment(item.due_on, self._amount(item.amount, f"{field}.amount")))
            previous = item.due_on
        total = sum((i.amount for i in checked), Money.zero(self.currency))
        check_at_most(total, self.outstanding, "outstanding balance", "instalments")
        self._record(ev.PaymentPlanAgreed, stamp, instalments=checked)

    def agree_settlement(self: DebtCase, *, amount: Money, pay_by: date,
                         stamp: Stamp) -> None:
        """Accept less than is outstanding; paying it settles the case."""
        stamp = self._check_open(stamp)
        amount = self._amount(amount)
        if amount.amount >= self.outstanding.amount:
            raise InvalidValue(f"a settlement is for less than the outstanding {self.outstanding}",
                               "amount")
        check_not_before(pay_by, stamp.occurred_on, "pay_by", "the day of the agreement")
        self._record(ev.SettlementAgreed, stamp, amount=amount, pay_by=pay_by)

    def refer_to_counsel(self: DebtCase, *, counsel: str, reference: str = "",
                         override_reason: str = "", mediation: str = "",
                         mediation_outcome: str = "", user: str = "", stamp: Stamp) -> None:
        """Hand the case to a lawyer (after a demand, unless overridden with a reason).

        During mediation it needs an override reason and `mediation`: conclude (with its
        `mediation_outcome`) or keep_open. `user` names counsel's account, if they have one.
        """
        stamp = self._check_open(stamp)
        reason = self._check_demand_first(override_reason, "referring to counsel")
        hand_off = self._hand_off(reason, mediation, mediation_outcome, "referring to counsel")
        counsel = check_text(counsel, "counsel")
        self._conclude_for(hand_off, stamp)
        self._record(ev.LegalReferral, stamp, counsel=counsel,
                     reference=optional_text(reference, "reference"),
                     override_reason=hand_off.override_reason,
                     mediation_kept_open=hand_off.keeps_mediation_open,
                     user=optional_text(user, "user"))

    def assign_agency(self: DebtCase, *, agency: str, reference: str = "",
                      override_reason: str = "", mediation: str = "",
                      mediation_outcome: str = "", stamp: Stamp) -> None:
        """Hand the case to a collection agency.

        During mediation it needs an override reason and `mediation`: conclude (with its
        `mediation_outcome`) or keep_open.
        """
        stamp = self._check_open(stamp)
        hand_off = self._hand_off(override_reason, mediation, mediation_outcome,
                                  "assigning a collection agency")
        agency = check_text(agency, "agency")
        self._conclude_for(hand_off, stamp)
        self._record(ev.CollectionAgencyAssigned, stamp, agency=agency,
                     reference=optional_text(reference, "reference"),
                     override_reason=hand_off.override_reason,
                     mediation_kept_open=hand_off.keeps_mediation_open)

    def file_bankruptcy_claim(self: DebtCase, *, court: str, insolvency_case_number: str,
                              amount: Money | None = None, stamp: Stamp) -> None:
        """File the proof of claim in the debtor's insolvency; an open mediation stays open."""
        stamp = self._check_open(stamp)
        amount = self.outstanding if amount is None else self._amount(amount)
        check_at_most(amount, self.outstanding, "outstanding balance")
        self._record(ev.BankruptcyClaimFiled, stamp, court=check_text(court, "court"),
                     insolvency_case_number=check_text(insolvency_case_number,
                                                       "insolvency_case_number"),
                     amount=amount, mediation_kept_open=self.mediation_open)
