import pytest

from domain.errors import AmountTooLarge, CurrencyMismatch, InvalidValue
from domain.money import Money
from domain.values import Instalment
from tests.builders import day, eur, given, refused, step, when

# Each command that takes an amount: its other fields, and the field the amount goes in.
WITH_AMOUNT = {
    "record_payment": dict(method="card"),
    "promise_payment": dict(promised_on=day(60)),
    "apply_penalty": dict(kind="late_fee"),
    "waive_penalty": dict(kind="late_fee", reason="goodwill"),
    "write_off": dict(reason="uncollectable"),
    "issue_demand": dict(deadline=day(60), consequences="court"),
    "agree_settlement": dict(pay_by=day(60)),
    "acknowledge_debt": dict(document="letter"),
    "file_bankruptcy_claim": dict(court="High Court", insolvency_case_number="BR-1"),
}

# Commands whose amount may not be more than is outstanding.
CAPPED = ["record_payment", "promise_payment", "write_off", "issue_demand",
          "file_bankruptcy_claim"]


def a_case_with_a_late_fee():
    return given(None, step("apply_penalty", day(1), kind="late_fee", amount=eur("40.00")),
                 amount="1000.00")


class TestAmounts:
    @pytest.mark.parametrize("command", sorted(WITH_AMOUNT))
    @pytest.mark.parametrize("amount", ["0", "-0.01", "-100"])
    def test_an_amount_must_be_more_than_zero(self, command, amount):
        case = a_case_with_a_late_fee()
        with refused(case, InvalidValue, "amount", match="must be more than zero"):
            when(case, command, day(50), amount=eur(amount), **WITH_AMOUNT[command])

    @pytest.mark.parametrize("command", sorted(WITH_AMOUNT))
    def test_an_amount_must_be_in_the_currency_of_the_case(self, command):
        case = a_case_with_a_late_fee()
        with refused(case, CurrencyMismatch, "amount", match="is in GBP, but the case is in EUR"):
            when(case, command, day(50), amount=Money.of("1", "GBP"), **WITH_AMOUNT[command])

    @pytest.mark.parametrize("command", CAPPED)
    def test_an_amount_above_the_outstanding_balance_is_refused(self, command):
        case = a_case_with_a_late_fee()
        with refused(case, AmountTooLarge, "amount"):
            when(case, command, day(50), amount=eur("1040.01"), **WITH_AMOUNT[command])

    @pytest.mark.parametrize("command", CAPPED)
    def test_the_whole_outstanding_balance_is_accepted(self, command):
        case = a_case_with_a_late_fee()
        [event, *_] = when(case, command, day(50), amount=eur("1040.00"), **WITH_AMOUNT[command])
        assert event.amount == eur("1040.00")

    def test_instalments_follow_the_same_rules(self):
        case = a_case_with_a_late_fee()
        with refused(case, InvalidValue, "instalments[2].amount"):
            when(case, "agree_payment_plan", day(50),
                 instalments=[Instalment(day(60), eur("10")), Instalment(day(90), eur("0"))])
        with refused(case, CurrencyMismatch, "instalments[1].amount"):
            when(case, "agree_payment_plan", day(50),
                 instalments=[Instalment(day(60), Money.of("10", "USD"))])
