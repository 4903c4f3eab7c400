"""What the demand step sends: the formal demand of the policy, or, for an individual debtor
in England and Wales, a letter of claim under the Pre-Action Protocol for Debt Claims.

The Protocol applies to a business claiming a debt from an individual (a sole trader too:
record a sole trader who should get the Protocol's letter as an individual). Its letter of
claim gives the debtor 30 days from the letter's date to reply with the Reply Form
(paragraph 4), and encloses the Information Sheet, the Reply Form, a Financial Statement
form and an up-to-date statement of account (paragraph 3).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from application.schedule.hooks import LetterKind
from application.schedule.policy import Step
from domain.law import Jurisdiction
from domain.values import DebtorKind

PROTOCOL = "Pre-Action Protocol for Debt Claims"
LETTER_OF_CLAIM_DAYS = 30  # the Protocol, paragraph 4: a reply within 30 days
LETTER_OF_CLAIM_CONSEQUENCES = (
    f"This is a letter of claim under the {PROTOCOL}. Please reply within "
    f"{LETTER_OF_CLAIM_DAYS} days of the date of this letter, using the enclosed Reply Form; "
    "the Information Sheet, a Financial Statement form and a statement of account are "
    f"enclosed. If you do not reply or pay within {LETTER_OF_CLAIM_DAYS} days, we may start "
    "court proceedings against you. If you tell us that you are seeking debt advice, we "
    "will give you reasonable time to get it.")


@dataclass(frozen=True)
class DemandTerms:
    """The letter, its deadline and the consequences it states."""

    letter: LetterKind
    deadline: date
    consequences: str

    @property
    def note(self) -> str:
        if self.letter is LetterKind.LETTER_OF_CLAIM:
            return (f"A letter of claim under the {PROTOCOL}, with {LETTER_OF_CLAIM_DAYS} "
                    "days to reply: the debtor is an individual in England and Wales.")
        return ""


def demand_letter(debtor_kind: str, jurisdiction: Jurisdiction) -> LetterKind:
    """The letter a demand on a debtor of this kind under this law is: a letter of claim for
    an individual in England and Wales, else a formal demand (the schedule and a demand
    issued by hand alike)."""
    if jurisdiction is Jurisdiction.ENGLAND_WALES and debtor_kind == DebtorKind.INDIVIDUAL:
        return LetterKind.LETTER_OF_CLAIM
    return LetterKind.FORMAL_DEMAND


def demand_terms(step: Step, debtor_kind: str, jurisdiction: Jurisdiction,
                 today: date) -> DemandTerms:
    """The demand a step makes on a debtor of this kind under this law, issued today."""
    if demand_letter(debtor_kind, jurisdiction) is LetterKind.LETTER_OF_CLAIM:
        days = max(step.deadline_days, LETTER_OF_CLAIM_DAYS)
        return DemandTerms(LetterKind.LETTER_OF_CLAIM, today + timedelta(days=days),
                           LETTER_OF_CLAIM_CONSEQUENCES)
    return DemandTerms(LetterKind.FORMAL_DEMAND, today + timedelta(days=step.deadline_days),
                       step.consequences)
