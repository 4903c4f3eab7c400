from decimal import Decimal

import pytest

from domain.errors import AmountTooLarge, InvalidValue, RuleBroken
from tests.builders import DUE, day, eur, given, names, refused, step, when

INTEREST = ["statutory_interest", "contractual_interest"]


class TestInterest:
    @pytest.mark.parametrize("kind", INTEREST)
    def test_interest_may_be_applied_from_the_day_after_the_due_date(self, kind):
        case = given(amount="1000.00")
        events = when(case, "apply_penalty", day(1), kind=kind, amount=eur("0.22"),
                      rate=Decimal("8.15"), period_start=day(1), period_end=day(1),
                      basis="1000.00 x 8.15% / 365")
        assert names(events) == ["PenaltyApplied"]
        penalty = events[0]
        assert (penalty.kind, penalty.amount, penalty.rate, penalty.days, penalty.basis) == \
            (kind, eur("0.22"), Decimal("8.15"), 1, "1000.00 x 8.15% / 365")
        assert case.outstanding == eur("1000.22")
        assert case.penalties_by_kind == {kind: eur("0.22")}

    @pytest.mark.parametrize("kind", INTEREST)
    @pytest.mark.parametrize("offset", [0, -1, -20])
    def test_no_interest_on_or_before_the_due_date(self, kind, offset):
        case = given()
        label = kind.replace("_", " ")
        with refused(case, RuleBroken, "occurred_on",
                     match=f"no {label} on or before the due date \\(2025-01-31\\)"):
            when(case, "apply_penalty", day(offset), kind=kind, amount=eur("1"))

    @pytest.mark.parametrize("kind", INTEREST)
    def test_no_interest_for_a_period_starting_on_the_due_date(self, kind):
        case = given()
        with refused(case, InvalidValue, "period_start", match="must be after the due date"):
            when(case, "apply_penalty", day(30), kind=kind, amount=eur("1"),
                 period_start=DUE, period_end=day(30))

    def test_the_days_of_a_period_count_both_ends(self):
        case = given()
        [penalty] = when(case, "apply_penalty", day(40), kind="statutory_interest",
                         amount=eur("6.70"), rate=Decimal("8"), period_start=day(1),
                         period_end=day(30))
        assert penalty.days == 30
        assert (penalty.period_start, penalty.period_end) == (day(1), day(30))

    def test_a_period_needs_both_ends_in_order(self):
        case = given()
        with refused(case, InvalidValue, "period_start"):
            when(case, "apply_penalty", day(40), kind="statutory_interest", amount=eur("1"),
                 period_start=day(1))
        with refused(case, InvalidValue, "period_end"):
            when(case, "apply_penalty", day(40), kind="statutory_interest", amount=eur("1"),
                 period_start=day(10), period_end=day(9))

    @pytest.mark.parametrize("rate", ["0", "-1", "100.01"])
    def test_a_rate_is_more_than_zero_and_at_most_100_percent(self, rate):
        case = given()
        with refused(case, InvalidValue, "rate"):
            when(case, "apply_penalty", day(40), kind="contractual_interest", amount=eur("1"),
                 rate=Decimal(rate))


class TestFeesAndCompensation:
    @pytest.mark.parametrize("kind", ["late_fee", "compensation"])
    def test_a_fixed_sum_is_added_to_the_outstanding_balance(self, kind):
        case = given(amount="1000.00")
        [penalty] = when(case, "apply_penalty", day(1), kind=kind, amount=eur("40"))
        assert (penalty.kind, penalty.amount, penalty.rate, penalty.days) == \
            (kind, eur("40.00"), None, None)
        assert case.penalties == eur("40.00")
        assert case.outstanding == eur("1040.00")

    def test_an_unknown_kind_of_penalty_is_refused(self):
        case = given()
        with refused(case, InvalidValue, "kind", match="'fine' is not one of"):
            when(case, "apply_penalty", day(1), kind="fine", amount=eur("40"))


class TestWaivingAPenalty:
    def test_a_waiver_reduces_the_outstanding_balance_and_the_penalty_of_its_kind(self):
        case = given(None, step("apply_penalty", day(1), kind="late_fee", amount=eur("40")),
                     amount="1000.00")
        events = when(case, "waive_penalty", day(2), kind="late_fee", amount=eur("15"),
                      reason="goodwill")
        assert names(events) == ["PenaltyWaived"]
        assert (events[0].kind, events[0].amount, events[0].reason) == \
            ("late_fee", eur("15.00"), "goodwill")
        assert case.waived == eur("15.00")
        assert case.penalties_by_kind == {"late_fee": eur("25.00")}
        assert case.outstanding == eur("1025.00")

    def test_no_more_can_be_waived_than_was_applied_of_that_kind(self):
        case = given(None, step("apply_penalty", day(1), kind="late_fee", amount=eur("40")),
                     step("waive_penalty", day(2), kind="late_fee", amount=eur("30"),
                          reason="goodwill"))
        with refused(case, AmountTooLarge, "amount", match="late_fee still applied of EUR 10"):
            when(case, "waive_penalty", day(3), kind="late_fee", amount=eur("10.01"),
                 reason="goodwill")
        with refused(case, AmountTooLarge, "amount"):
            when(case, "waive_penalty", day(3), kind="compensation", amount=eur("1"),
                 reason="goodwill")

    def test_a_waiver_needs_a_reason(self):
        case = given(None, step("apply_penalty", day(1), kind="late_fee", amount=eur("40")))
        with refused(case, InvalidValue, "reason"):
            when(case, "waive_penalty", day(3), kind="late_fee", amount=eur("1"), reason="")

    def test_waiving_the_last_of_the_balance_records_case_paid(self):
        case = given(None, step("apply_penalty", day(1), kind="late_fee", amount=eur("40")),
                     step("record_payment", day(2), amount=eur("1000"), method="card"),
                     amount="1000.00")
        events = when(case, "waive_penalty", day(3), kind="late_fee", amount=eur("40"),
                      reason="goodwill")
        assert names(events) == ["PenaltyWaived", "CasePaid"]
        assert case.outstanding == eur("0.00")
