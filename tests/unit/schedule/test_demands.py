"""The demand step: the policy's formal demand, or a letter of claim under the Pre-Action
Protocol for Debt Claims for an individual in England and Wales."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from application.schedule.demands import PROTOCOL, demand_terms
from application.schedule.hooks import LetterKind
from application.schedule.policies import shipped_policy
from domain.law import Jurisdiction

TODAY = date(2026, 2, 21)
STEP = shipped_policy().step("formal-demand")  # 14 days


def test_an_individual_in_england_gets_a_letter_of_claim_with_30_days():
    terms = demand_terms(STEP, "individual", Jurisdiction.ENGLAND_WALES, TODAY)
    assert (terms.letter, terms.deadline) == (LetterKind.LETTER_OF_CLAIM, date(2026, 3, 23))
    assert f"letter of claim under the {PROTOCOL}" in terms.consequences
    assert "Reply Form" in terms.consequences and "Information Sheet" in terms.consequences
    assert "30 days" in terms.note


def test_a_longer_deadline_of_the_policy_is_kept():
    terms = demand_terms(replace(STEP, deadline_days=45), "individual",
                         Jurisdiction.ENGLAND_WALES, TODAY)
    assert terms.deadline == date(2026, 4, 7)


def test_a_business_gets_the_policys_demand():
    terms = demand_terms(STEP, "business", Jurisdiction.ENGLAND_WALES, TODAY)
    assert (terms.letter, terms.deadline) == (LetterKind.FORMAL_DEMAND, date(2026, 3, 7))
    assert terms.consequences == STEP.consequences and terms.note == ""


@pytest.mark.parametrize("where", [Jurisdiction.SCOTLAND, Jurisdiction.NORTHERN_IRELAND,
                                   Jurisdiction.GERMANY])
def test_the_protocol_is_english_and_welsh_law(where):
    terms = demand_terms(STEP, "individual", where, TODAY)
    assert (terms.letter, terms.deadline) == (LetterKind.FORMAL_DEMAND, date(2026, 3, 7))
