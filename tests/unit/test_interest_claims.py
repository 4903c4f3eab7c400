"""Interest claimed, each period once; payments allocated when recorded; interest owed when
the principal is paid is claimed or waived, never silently dropped.

Figures, unless a test says otherwise: GBP 1,200.00 due 31 January 2025, a business debtor
in England and Wales. Interest runs from 1 February 2025 at Bank Rate on 31 December 2024
(4.75%) + 8 = 12.75% a year: GBP 1,200.00 x 12.75% = GBP 153.00 a year, so
GBP 153.00 x days / 365 per line; compensation GBP 70 (a debt of 1,000 to 9,999.99).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from domain.case import DebtCase
from domain.errors import CaseClosed, RuleBroken
from domain.law import Bucket, PrincipalPayment
from domain.money import Money
from domain.values import Debtor, Stage
from tests.builders import names, open_case, replayed, stamp, when

DUE = date(2025, 1, 31)


def gbp(amount: str) -> Money:
    return Money.of(amount, "GBP")


def uk_case(kind: str = "business") -> DebtCase:
    case = open_case(amount=gbp("1200.00"), debtor=Debtor("Harbour Lights", kind=kind),
                     due_date=DUE)
    case.collect_events()
    return case


def lines(events) -> list[tuple]:
    return [(e.kind, e.amount.amount, e.period_start, e.period_end, e.days,
             e.principal and e.principal.amount, e.rate) for e in events]


class TestAllocationWhenAPaymentIsRecorded:
    def test_compensation_then_interest_then_principal(self):
        case = uk_case()
        when(case, "claim_interest", date(2025, 2, 14))  # interest 5.87 and compensation 70
        # GBP 100.00 pays the GBP 70.00 of compensation, then the GBP 5.87 of interest
        # (153.00 x 14 / 365 = 5.868 -> 5.87), then 100 - 70 - 5.87 = 24.13 of principal.
        [payment] = when(case, "record_payment", date(2025, 2, 20), amount=gbp("100.00"),
                         method="card")
        split = payment.allocation
        assert split.order == (Bucket.COSTS, Bucket.INTEREST, Bucket.PRINCIPAL)
        assert (split.costs, split.interest, split.principal, split.unallocated) == (
            gbp("70.00"), gbp("5.87"), gbp("24.13"), gbp("0.00"))
        assert (case.costs_paid, case.interest_paid, case.principal_paid) == (
            gbp("70.00"), gbp("5.87"), gbp("24.13"))
        assert case.principal_payments == [PrincipalPayment(date(2025, 2, 20), gbp("24.13"))]

    def test_a_replay_assigns_what_the_event_carries(self):
        case = open_case(amount=gbp("1200.00"), debtor=Debtor("Harbour Lights"), due_date=DUE)
        case.claim_interest(stamp=stamp(date(2025, 2, 14)))
        case.record_payment(amount=gbp("100.00"), method="card", stamp=stamp(date(2025, 2, 20)))
        again = replayed(case.collect_events())
        assert (again.costs_paid, again.interest_paid, again.principal_paid) == (
            gbp("70.00"), gbp("5.87"), gbp("24.13"))

    def test_a_payment_with_no_penalties_pays_the_principal(self):
        case = uk_case()
        [payment] = when(case, "record_payment", date(2025, 2, 7), amount=gbp("600.00"),
                         method="card")
        assert (payment.allocation.costs, payment.allocation.principal) == (
            gbp("0.00"), gbp("600.00"))

    def test_a_penalty_waived_is_not_paid(self):
        case = uk_case()
        case.apply_penalty(kind="compensation", amount=gbp("70.00"), stamp=stamp(date(2025, 2, 2)))
        case.waive_penalty(kind="compensation", amount=gbp("30.00"), reason="goodwill",
                           stamp=stamp(date(2025, 2, 3)))
        case.collect_events()
        # 70 applied - 30 waived = 40 of costs; the rest of 100 is principal.
        [payment] = when(case, "record_payment", date(2025, 2, 7), amount=gbp("100.00"),
                         method="card")
        assert (payment.allocation.costs, payment.allocation.principal) == (
            gbp("40.00"), gbp("60.00"))


class TestAPartPaymentMidPeriod:
    def test_reduces_the_principal_from_the_day_after(self):
        case = uk_case()
        when(case, "record_payment", date(2025, 2, 7), amount=gbp("600.00"), method="card")
        # 1-7 Feb on 1,200.00: 153.00 x 7 / 365 = 2.934 -> 2.93;
        # 8-14 Feb on 600.00: 76.50 x 7 / 365 = 1.467 -> 1.47; total 4.40
        calc = case.interest_calculation(date(2025, 2, 14))
        assert [(ln.from_, ln.to, ln.principal, ln.amount) for ln in calc.lines] == [
            (date(2025, 2, 1), date(2025, 2, 7), gbp("1200.00"), gbp("2.93")),
            (date(2025, 2, 8), date(2025, 2, 14), gbp("600.00"), gbp("1.47"))]
        assert calc.interest == gbp("4.40")

    def test_only_the_principal_share_of_a_payment_reduces_it(self):
        case = uk_case()
        case.apply_penalty(kind="compensation", amount=gbp("70.00"), stamp=stamp(date(2025, 2, 2)))
        when(case, "record_payment", date(2025, 2, 7), amount=gbp("600.00"), method="card")
        # 600 pays 70 of costs and 530 of principal: 670.00 bears interest from 8 Feb:
        # 670.00 x 12.75% = 85.425; x 7 / 365 = 1.638 -> 1.64
        calc = case.interest_calculation(date(2025, 2, 14))
        assert [ln.amount for ln in calc.lines] == [gbp("2.93"), gbp("1.64")]


class TestClaimingInterest:
    def test_records_each_line_with_its_calculation_and_the_fixed_sum(self):
        case = uk_case()
        events = when(case, "claim_interest", date(2025, 2, 14))
        # 1-14 Feb: 153.00 x 14 / 365 = 5.868 -> 5.87
        assert lines(events) == [
            ("statutory_interest", Decimal("5.87"), date(2025, 2, 1), date(2025, 2, 14), 14,
             Decimal("1200.00"), Decimal("12.75")),
            ("compensation", Decimal("70.00"), None, None, None, None, None)]
        assert "Late Payment of Commercial Debts (Interest) Act 1998" in events[0].basis
        assert case.interest_claimed_until == date(2025, 2, 14)
        assert case.outstanding == gbp("1275.87")

    def test_twice_records_once(self):
        case = uk_case()
        when(case, "claim_interest", date(2025, 2, 14))
        assert when(case, "claim_interest", date(2025, 2, 14)) == []
        assert case.interest_claim(date(2025, 2, 14)).note == "No interest to claim."

    def test_an_overlapping_until_records_nothing(self):
        case = uk_case()
        when(case, "claim_interest", date(2025, 2, 14))
        assert when(case, "claim_interest", date(2025, 2, 20), until=date(2025, 2, 10)) == []

    def test_a_later_claim_takes_only_the_days_after(self):
        case = uk_case()
        when(case, "claim_interest", date(2025, 2, 14))
        # 15-21 Feb: 153.00 x 7 / 365 = 2.934 -> 2.93; the compensation is not claimed again
        assert lines(when(case, "claim_interest", date(2025, 2, 21))) == [
            ("statutory_interest", Decimal("2.93"), date(2025, 2, 15), date(2025, 2, 21), 7,
             Decimal("1200.00"), Decimal("12.75"))]

    def test_until_in_the_future_is_refused(self):
        case = uk_case()
        with pytest.raises(RuleBroken, match="beyond the day it is recorded") as caught:
            case.claim_interest(until=date(2025, 3, 1), stamp=stamp(date(2025, 2, 14)))
        assert caught.value.field == "until"

    def test_nothing_for_an_individual_under_the_late_payment_act(self):
        case = uk_case("individual")
        assert when(case, "claim_interest", date(2025, 2, 14)) == []
        assert case.interest_claim(date(2025, 2, 14)).basis.startswith("No interest")

    def test_a_german_debt_is_claimed_split_by_rate_period(self):
        # EUR 10,000.00 due 15 June 2025, a business debtor, § 288(2) BGB: base rate + 9.
        # 16-30 June 2025: 15 days at 2.27 + 9 = 11.27%:
        #   10000 x 11.27% x 15 / 365 = 16905 / 365 = 46.3150 -> 46.32
        # 1-15 July 2025: 15 days at 1.27 + 9 = 10.27%:
        #   10000 x 10.27% x 15 / 365 = 15405 / 365 = 42.2055 -> 42.21
        # and EUR 40 under § 288(5) BGB.
        case = DebtCase.open(creditor="C", invoice_number="DE-1", debtor=Debtor("GmbH"),
                             amount=Money.of("10000.00", "EUR"), issue_date=date(2025, 5, 16),
                             due_date=date(2025, 6, 15), jurisdiction="germany",
                             stamp=stamp(date(2025, 5, 16)))
        case.collect_events()
        events = when(case, "claim_interest", date(2025, 7, 15))
        assert [(e.period_start, e.days, e.rate, e.amount.amount) for e in events] == [
            (date(2025, 6, 16), 15, Decimal("11.27"), Decimal("46.32")),
            (date(2025, 7, 1), 15, Decimal("10.27"), Decimal("42.21")),
            (None, None, None, Decimal("40.00"))]


class TestPrincipalPaidWithInterestUnclaimed:
    """GBP 1,200.00 paid in full on 14 February: 1-14 Feb accrued 153.00 x 14 / 365 = 5.87."""

    def paid_in_full(self) -> DebtCase:
        case = uk_case()
        when(case, "record_payment", date(2025, 2, 14), amount=gbp("1200.00"), method="card")
        return case

    def test_the_case_stays_open_and_says_so(self):
        case = self.paid_in_full()
        assert case.outstanding.is_zero
        assert case.stage != Stage.PAID and not case.is_closed
        pending = case.unclaimed_interest()
        assert (pending.amount, pending.from_, pending.to) == (
            gbp("5.87"), date(2025, 2, 1), date(2025, 2, 14))
        assert pending.message == ("interest of GBP 5.87 to 14 February 2025 not claimed: "
                                   "claim it or waive it")

    def test_claimed_then_paid_it_closes(self):
        case = self.paid_in_full()
        # interest stops on 14 Feb (no principal from 15 Feb): 5.87, and the GBP 70
        claimed = when(case, "claim_interest", date(2025, 2, 20))
        assert [e.amount for e in claimed] == [gbp("5.87"), gbp("70.00")]
        assert case.unclaimed_interest() is None and not case.is_closed
        events = when(case, "record_payment", date(2025, 2, 25), amount=gbp("75.87"),
                      method="card")
        assert names(events) == ["PaymentReceived", "CasePaid"]
        assert (events[0].allocation.costs, events[0].allocation.interest) == (
            gbp("70.00"), gbp("5.87"))

    def test_waived_it_closes_and_is_never_claimed(self):
        case = self.paid_in_full()
        events = when(case, "waive_interest", date(2025, 2, 20), reason="good customer")
        assert names(events) == ["InterestWaived", "CasePaid"]
        waived = events[0]
        assert (waived.period_start, waived.period_end, waived.amount) == (
            date(2025, 2, 1), date(2025, 2, 14), gbp("5.87"))
        assert case.stage == Stage.PAID
        with pytest.raises(CaseClosed):
            case.claim_interest(stamp=stamp(date(2025, 2, 21)))

    def test_waiving_when_nothing_is_unclaimed_is_refused(self):
        case = uk_case()
        with pytest.raises(RuleBroken, match="no unclaimed interest to waive") as caught:
            case.waive_interest(reason="x", until=date(2025, 1, 31),
                                stamp=stamp(date(2025, 2, 1)))
        assert caught.value.field == "until"

    def test_paid_on_the_due_date_it_closes_at_once(self):
        case = uk_case()
        events = when(case, "record_payment", DUE, amount=gbp("1200.00"), method="card")
        assert names(events) == ["PaymentReceived", "CasePaid"]

    def test_an_individual_under_the_late_payment_act_owes_none_and_it_closes(self):
        case = uk_case("individual")
        events = when(case, "record_payment", date(2025, 2, 14), amount=gbp("1200.00"),
                      method="card")
        assert names(events) == ["PaymentReceived", "CasePaid"]
