from datetime import date
from decimal import Decimal

from domain.errors import AmountTooLarge, CurrencyMismatch, InvalidValue
from domain.money import Money
from domain.values import Debtor, Stage
from tests.builders import day, eur, given, names, refused, step, when


class TestRecordingAPayment:
    def test_a_part_payment_reduces_what_is_outstanding_and_keeps_the_case_open(self):
        case = given(amount="1000.00")
        events = when(case, "record_payment", day(5), amount=eur("400.00"),
                      method="Bank_Transfer", reference=" BT-1 ")
        assert names(events) == ["PaymentReceived"]
        assert (events[0].amount, events[0].method, events[0].reference) == \
            (eur("400.00"), "bank_transfer", "BT-1")
        assert case.paid == eur("400.00")
        assert case.outstanding == eur("600.00")
        assert case.stage == Stage.OPEN

    def test_paying_the_last_of_the_balance_records_case_paid(self):
        # by the due date: no interest has accrued (paid late, see test_interest_claims)
        case = given(None, step("record_payment", day(-5), amount=eur("400.00"), method="card"),
                     amount="1000.00")
        events = when(case, "record_payment", day(0), amount=eur("600.00"), method="card")
        assert names(events) == ["PaymentReceived", "CasePaid"]
        assert events[1].occurred_on == day(0)
        assert case.outstanding == eur("0.00")
        assert case.stage == Stage.PAID
        assert case.is_closed

    def test_penalties_are_part_of_what_must_be_paid_before_the_case_is_paid(self):
        # an individual: no statutory interest under the Late Payment Act to claim or waive
        case = given(None, step("apply_penalty", day(1), kind="late_fee", amount=eur("40.00")),
                     amount="1000.00", debtor=Debtor("Ann Smith", kind="individual"))
        events = when(case, "record_payment", day(2), amount=eur("1000.00"), method="card")
        assert names(events) == ["PaymentReceived"]
        # the late fee is paid first: 40.00 of costs, 960.00 of principal
        assert (events[0].allocation.costs, events[0].allocation.principal) == (
            eur("40.00"), eur("960.00"))
        assert case.outstanding == eur("40.00")
        assert names(when(case, "record_payment", day(3), amount=eur("40.00"),
                          method="card")) == ["PaymentReceived", "CasePaid"]

    def test_no_payment_above_the_outstanding_balance(self):
        case = given(amount="1000.00")
        with refused(case, AmountTooLarge, "amount") as caught:
            when(case, "record_payment", day(1), amount=eur("1000.01"), method="card")
        assert caught.value.message == \
            "EUR 1,000.01 is more than the outstanding balance of EUR 1,000.00"

    def test_a_payment_in_another_currency_is_refused(self):
        case = given()
        with refused(case, CurrencyMismatch, "amount", match="is in USD, but the case is in EUR"):
            when(case, "record_payment", day(1), amount=Money.of("10", "USD"), method="card")

    def test_a_payment_must_be_more_than_zero(self):
        case = given()
        with refused(case, InvalidValue, "amount"):
            when(case, "record_payment", day(1), amount=eur("0"), method="card")
        with refused(case, InvalidValue, "amount"):
            when(case, "record_payment", day(1), amount=eur("-5"), method="card")

    def test_a_payment_with_more_decimals_than_the_currency_has_is_refused(self):
        case = given()
        with refused(case, InvalidValue, "amount", match="more decimals than EUR allows"):
            when(case, "record_payment", day(1), amount=Money(Decimal("10.005"), "EUR"),
                 method="card")

    def test_an_unknown_payment_method_is_refused_with_the_allowed_words(self):
        case = given()
        with refused(case, InvalidValue, "method", match="bank_transfer, card, cheque"):
            when(case, "record_payment", day(1), amount=eur("1"), method="barter")

    def test_a_payment_is_accepted_while_the_case_is_on_hold(self):
        case = given(None, step("raise_dispute", day(1), reason="wrong goods"))
        assert names(when(case, "record_payment", day(2), amount=eur("10"),
                          method="cash")) == ["PaymentReceived"]

    def test_a_payment_before_the_due_date_is_normal(self):
        case = given()
        assert names(when(case, "record_payment", date(2025, 1, 10), amount=eur("10"),
                          method="cash")) == ["PaymentReceived"]
