"""Formal steps: demand, referrals to a mediator, counsel or an agency, proof of claim."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from application.commands import (
    AssignAgency,
    ConcludeMediation,
    FileBankruptcyClaim,
    IssueDemand,
    ReferToCounsel,
    ReferToMediation,
)
from cli.casecommand import Fields, case_command
from cli.options import amount, day, optional_word, text, vocabulary
from domain.values import MediationOnReferral, MediationOutcome

_OVERRIDE = "Why it is referred without a demand first (required if none was issued)."
_OVERRIDE_HAND_OFF = ("Why it is referred without a demand first, or during a mediation "
                      "(required then).")
_MEDIATION = ("During a mediation: whether this referral concludes it (give "
              "--mediation-outcome) or keeps it open (conclude it later).")
_MEDIATION_OUTCOME = "With --mediation conclude: how the mediation ended."
_USER = ("The {who}'s user (role counsel), who may then read the case; a later referral "
         "of the same kind replaces it.")


@case_command("demand", IssueDemand)
@day("--deadline", "deadline", "The day the debtor must pay by (after --on).")
@text("--consequences", "What follows if unpaid, e.g. 'referral to counsel'.", required=True)
@text("--letter-reference", "Reference of the letter (or letter of claim).")
@amount("The amount demanded; default all that is outstanding.", required=False)
def demand(deadline: date, consequences: str, letter_reference: str,
           amount: Decimal | None) -> Fields:
    """Issue the formal demand.

    The account, a deadline after --on and the consequences (for an individual
    in England and Wales, the letter of claim, which needs a deadline at least 30
    days after --on). Its letter is rendered as PDF and kept before the demand is
    recorded; the event records its letter_sha256 (`arrears letter CASE --version N
    --out FILE.pdf` writes it). --letter-reference defaults to INVOICE/FD/DATE
    (INVOICE/LOC/DATE for a letter of claim).
    """
    return {"deadline": deadline, "consequences": consequences,
            "letter_reference": letter_reference, "amount": amount}


@case_command("mediate", ReferToMediation)
@text("--mediator", "Who mediates.", required=True)
@text("--reference", "The mediator's reference.")
@text("--override-reason", _OVERRIDE)
@text("--user", _USER.format(who="mediator"))
def mediate(mediator: str, reference: str, override_reason: str, user: str) -> Fields:
    """Refer the case to mediation.

    Only after a demand, unless --override-reason says why. --user names the
    mediator's user, who may then read the case.
    """
    return {"mediator": mediator, "reference": reference, "override_reason": override_reason,
            "user": user}


@case_command("conclude-mediation", ConcludeMediation)
@vocabulary("--outcome", MediationOutcome, "How the mediation ended.")
@text("--notes", "Details of the outcome.")
def conclude_mediation(outcome: str, notes: str) -> Fields:
    """Conclude the mediation.

    Record how it ended; the case returns to its stage before mediation.
    """
    return {"outcome": outcome, "notes": notes}


@case_command("refer-legal", ReferToCounsel)
@text("--counsel", "The lawyer or firm.", required=True)
@text("--reference", "Counsel's reference.")
@text("--override-reason", _OVERRIDE_HAND_OFF)
@optional_word("--mediation", MediationOnReferral, _MEDIATION)
@optional_word("--mediation-outcome", MediationOutcome, _MEDIATION_OUTCOME)
@text("--user", _USER.format(who="counsel"))
def refer_legal(counsel: str, reference: str, override_reason: str,
                mediation: MediationOnReferral | None,
                mediation_outcome: MediationOutcome | None, user: str) -> Fields:
    """Refer the case to counsel (a lawyer).

    Only after a demand, unless --override-reason says why. During a mediation,
    --override-reason and --mediation (conclude or keep_open) are required.
    --user names counsel's user, who may then read the case.
    """
    return {"counsel": counsel, "reference": reference, "override_reason": override_reason,
            "mediation": mediation, "mediation_outcome": mediation_outcome, "user": user}


@case_command("assign-agency", AssignAgency)
@text("--agency", "The collection agency.", required=True)
@text("--reference", "The agency's reference.")
@text("--override-reason", "Why it is assigned during a mediation (required then).")
@optional_word("--mediation", MediationOnReferral, _MEDIATION)
@optional_word("--mediation-outcome", MediationOutcome, _MEDIATION_OUTCOME)
def assign_agency(agency: str, reference: str, override_reason: str,
                  mediation: MediationOnReferral | None,
                  mediation_outcome: MediationOutcome | None) -> Fields:
    """Hand the case to a collection agency.

    During a mediation, --override-reason and --mediation (conclude or keep_open)
    are required.
    """
    return {"agency": agency, "reference": reference, "override_reason": override_reason,
            "mediation": mediation, "mediation_outcome": mediation_outcome}


@case_command("bankruptcy-claim", FileBankruptcyClaim)
@text("--court", "The court (or office) of the insolvency.", required=True)
@text("--insolvency-case-number", "The insolvency's case number.", required=True)
@amount("The amount claimed; default all that is outstanding.", required=False)
def bankruptcy_claim(court: str, insolvency_case_number: str,
                     amount: Decimal | None) -> Fields:
    """File a proof of claim in the debtor's insolvency."""
    return {"court": court, "insolvency_case_number": insolvency_case_number,
            "amount": amount}


COMMANDS = [demand, mediate, conclude_mediation, refer_legal, assign_agency, bankruptcy_claim]
