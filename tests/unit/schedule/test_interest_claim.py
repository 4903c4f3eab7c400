"""The claim step's default: interest and fixed sums by domain.law, each period claimed once.

Figures: GBP 1,200.00 due 31 January 2025, a business debtor in England and Wales. Interest
runs from 1 February 2025 at Bank Rate on 31 December 2024 (4.75%) + 8 = 12.75% a year:
GBP 1,200.00 x 12.75% = GBP 153.00 a year, so GBP 153.00 x days / 365 per line.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from application.commands import ClaimInterest
from application.schedule.interest import StatutoryInterestClaimer, fitted
from domain.case import DebtCase
from domain.law import Jurisdiction, RateUnknown
from domain.money import Money
from domain.values import Debtor, PaymentTerms, PenaltyKind
from tests.builders import open_case, stamp

DUE = date(2025, 1, 31)
CLAIM_ON = date(2025, 2, 14)  # day 14: 1 to 14 February, 14 days


def gbp(amount: str) -> Money:
    return Money.of(amount, "GBP")


def case_of(kind: str = "business", terms: PaymentTerms | None = None) -> DebtCase:
    return open_case(amount=gbp("1200.00"), debtor=Debtor("Harbour Lights", kind=kind),
                     due_date=DUE, terms=terms)


def claim(case: DebtCase, jurisdiction: Jurisdiction = Jurisdiction.ENGLAND_WALES):
    history = list(case._pending_events)  # every event so far: none is collected
    return StatutoryInterestClaimer().claim(case, history, jurisdiction, CLAIM_ON)


def penalties(found) -> list[tuple]:
    return [(p.kind, p.amount, p.rate, p.period_start, p.period_end) for p in found.penalties]


class TestAFirstClaim:
    def test_interest_to_today_and_the_fixed_sum(self):
        # 153.00 x 14 / 365 = 5.868... -> 5.87; GBP 70 for a debt of 1,000 to 9,999.99
        assert penalties(claim(case_of())) == [
            (PenaltyKind.STATUTORY_INTEREST, Decimal("5.87"), Decimal("12.75"),
             date(2025, 2, 1), CLAIM_ON),
            (PenaltyKind.COMPENSATION, Decimal("70.00"), None, None, None)]

    def test_each_penalty_carries_the_basis_of_the_law(self):
        found = claim(case_of())
        assert "Late Payment of Commercial Debts (Interest) Act 1998" in found.penalties[0].basis
        assert found.penalties[0].actor == "schedule"
        assert found.penalties[0].occurred_on == CLAIM_ON

    def test_nothing_for_an_individual_under_the_late_payment_act(self):
        found = claim(case_of("individual"))
        assert found.penalties == ()
        assert found.note.startswith("No interest to claim. No interest: the Late Payment")

    def test_the_contract_rate_takes_precedence_and_the_fixed_sum_still_applies(self):
        # 1,200.00 x 5% x 14 / 365 = 2.301... -> 2.30
        found = claim(case_of(terms=PaymentTerms(interest_rate=Decimal("5"))))
        assert penalties(found) == [
            (PenaltyKind.CONTRACTUAL_INTEREST, Decimal("2.30"), Decimal("5"),
             date(2025, 2, 1), CLAIM_ON),
            (PenaltyKind.COMPENSATION, Decimal("70.00"), None, None, None)]

    def test_a_contractual_late_fee_once(self):
        case = case_of(terms=PaymentTerms(late_fee=gbp("25.00")))
        assert penalties(claim(case))[-1] == (PenaltyKind.LATE_FEE, Decimal("25.00"), None,
                                              None, None)
        case.apply_penalty(kind="late_fee", amount=gbp("25.00"), stamp=stamp(date(2025, 2, 2)))
        assert PenaltyKind.LATE_FEE not in [p.kind for p in claim(case).penalties]


class TestNeverTwice:
    def test_only_the_days_after_the_last_period_claimed(self):
        case = case_of()
        case.apply_penalty(kind="statutory_interest", amount=gbp("2.93"), rate=Decimal("12.75"),
                           period_start=date(2025, 2, 1), period_end=date(2025, 2, 7),
                           stamp=stamp(date(2025, 2, 8)))
        # 8 to 14 February: 153.00 x 7 / 365 = 2.934... -> 2.93
        assert penalties(claim(case))[0] == (PenaltyKind.STATUTORY_INTEREST, Decimal("2.93"),
                                             Decimal("12.75"), date(2025, 2, 8), CLAIM_ON)

    def test_nothing_when_claimed_up_to_today(self):
        case = case_of()
        case.apply_penalty(kind="statutory_interest", amount=gbp("5.87"), rate=Decimal("12.75"),
                           period_start=date(2025, 2, 1), period_end=CLAIM_ON,
                           stamp=stamp(CLAIM_ON))
        case.apply_penalty(kind="compensation", amount=gbp("70.00"), stamp=stamp(CLAIM_ON))
        found = claim(case)
        assert found.penalties == ()
        assert found.note.startswith("No interest to claim.")

    def test_a_fixed_sum_waived_is_not_claimed_again(self):
        case = case_of()
        case.apply_penalty(kind="compensation", amount=gbp("70.00"), stamp=stamp(date(2025, 2, 2)))
        case.waive_penalty(kind="compensation", amount=gbp("70.00"), reason="goodwill",
                           stamp=stamp(date(2025, 2, 3)))
        assert [p.kind for p in claim(case).penalties] == [PenaltyKind.STATUTORY_INTEREST]

    def test_interest_applied_without_a_period_is_left_to_a_person(self):
        case = case_of()
        case.apply_penalty(kind="statutory_interest", amount=gbp("3.00"),
                           stamp=stamp(date(2025, 2, 5)))
        found = claim(case)
        assert [p.kind for p in found.penalties] == [PenaltyKind.COMPENSATION]
        assert found.note.startswith("Interest was applied without a period")


class TestPayments:
    def test_a_part_payment_lowers_the_principal_from_the_next_day(self):
        case = case_of()
        case.record_payment(amount=gbp("600.00"), method="card", stamp=stamp(date(2025, 2, 7)))
        # 1-7 Feb on 1,200.00: 153.00 x 7 / 365 = 2.934 -> 2.93;
        # 8-14 Feb on 600.00: 76.50 x 7 / 365 = 1.467 -> 1.47
        assert [(p.amount, p.period_start) for p in claim(case).penalties[:2]] == [
            (Decimal("2.93"), date(2025, 2, 1)), (Decimal("1.47"), date(2025, 2, 8))]

    def test_a_payment_pays_costs_first(self):
        case = case_of()
        case.apply_penalty(kind="compensation", amount=gbp("70.00"), stamp=stamp(date(2025, 2, 2)))
        case.record_payment(amount=gbp("600.00"), method="card", stamp=stamp(date(2025, 2, 7)))
        # the payment pays the GBP 70 first: 530.00 of principal, 670.00 left from 8 Feb:
        # 670.00 x 12.75% = 85.425; x 7 / 365 = 1.638 -> 1.64
        assert [p.amount for p in claim(case).penalties] == [Decimal("2.93"), Decimal("1.64")]


def test_a_euro_debt_under_english_law_claims_the_interest_without_the_fixed_sum():
    case = open_case(amount=Money.of("1200.00", "EUR"), due_date=DUE)
    found = claim(case)
    # EUR 1,200.00 x 12.75% x 14 / 365 = 5.868 -> 5.87; no fixed sum: its bands are in GBP
    assert penalties(found) == [(PenaltyKind.STATUTORY_INTEREST, Decimal("5.87"),
                                 Decimal("12.75"), date(2025, 2, 1), CLAIM_ON)]
    assert "this debt is in EUR" in found.penalties[0].basis


def test_interest_the_rate_tables_do_not_cover_yet_is_refused_with_the_reason():
    case = open_case(amount=gbp("1200.00"), due_date=date(2027, 1, 31))
    history = list(case._pending_events)
    with pytest.raises(RateUnknown, match="2026-12-31 is after"):
        StatutoryInterestClaimer().claim(case, history, Jurisdiction.ENGLAND_WALES,
                                         date(2027, 2, 14))


def test_a_long_basis_is_cut_after_a_sentence():
    text = "A sentence. " * 60
    assert fitted(text).endswith("sentence.") and len(fitted(text)) <= 500
    assert fitted("short") == "short"


class TestOnePath:
    """The claim step runs the case's own `ClaimInterest`, as `arrears claim-interest` does."""

    def test_the_step_claims_with_the_command_and_records_what_it_described(self):
        case = case_of()
        found = claim(case)
        assert found.command == ClaimInterest(case_id=case.id, actor="schedule",
                                              occurred_on=CLAIM_ON, until=CLAIM_ON)
        case.collect_events()
        found.command.run(case, stamp(CLAIM_ON, actor="schedule"))
        recorded = case.collect_events()
        assert [(e.kind, e.amount.amount, e.period_start, e.period_end) for e in recorded] == [
            (p.kind, p.amount, p.period_start, p.period_end) for p in found.penalties]

    def test_nothing_to_claim_is_no_command(self):
        case = case_of("individual")
        assert claim(case).command is None
