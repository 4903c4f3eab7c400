from domain.errors import InvalidValue
from domain.values import Stage
from tests.builders import day, eur, given, names, refused, step, when

SETTLE = step("agree_settlement", day(30), amount=eur("600.00"), pay_by=day(45))


class TestSettlements:
    def test_agreeing_a_settlement_changes_no_balance(self):
        case = given(amount="1000.00")
        events = when(case, "agree_settlement", day(30), amount=eur("600"), pay_by=day(45))
        assert names(events) == ["SettlementAgreed"]
        assert (events[0].amount, events[0].pay_by) == (eur("600.00"), day(45))
        assert case.outstanding == eur("1000.00")
        assert case.stage == Stage.OPEN

    def test_paying_the_settled_amount_settles_the_case_and_releases_the_rest(self):
        case = given(None, SETTLE, amount="1000.00")
        events = when(case, "record_payment", day(40), amount=eur("600"), method="card")
        assert names(events) == ["PaymentReceived", "CaseSettled"]
        assert events[1].released == eur("400.00")
        assert case.waived == eur("400.00")
        assert case.outstanding == eur("0.00")
        assert case.stage == Stage.SETTLED

    def test_the_settled_amount_may_come_in_parts(self):
        case = given(None, SETTLE,
                     step("record_payment", day(35), amount=eur("250"), method="card"),
                     amount="1000.00")
        assert case.stage == Stage.OPEN
        events = when(case, "record_payment", day(40), amount=eur("350"), method="card")
        assert names(events) == ["PaymentReceived", "CaseSettled"]
        assert events[1].released == eur("400.00")

    def test_payments_before_the_agreement_do_not_count_towards_it(self):
        case = given(None, step("record_payment", day(10), amount=eur("100"), method="card"),
                     SETTLE, amount="1000.00")
        events = when(case, "record_payment", day(40), amount=eur("500"), method="card")
        assert names(events) == ["PaymentReceived"]
        assert case.outstanding == eur("400.00")
        events = when(case, "record_payment", day(41), amount=eur("100"), method="card")
        assert names(events) == ["PaymentReceived", "CaseSettled"]
        assert events[1].released == eur("300.00")

    def test_a_settlement_is_for_less_than_is_outstanding(self):
        case = given(amount="1000.00")
        with refused(case, InvalidValue, "amount", match="for less than the outstanding"):
            when(case, "agree_settlement", day(30), amount=eur("1000"), pay_by=day(45))

    def test_the_pay_by_date_cannot_be_before_the_agreement(self):
        case = given(amount="1000.00")
        with refused(case, InvalidValue, "pay_by"):
            when(case, "agree_settlement", day(30), amount=eur("600"), pay_by=day(29))
