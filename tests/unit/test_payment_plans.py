from domain.errors import AmountTooLarge, InvalidValue
from domain.values import Instalment
from tests.builders import day, eur, given, names, refused, step, when


def plan(*parts: tuple[int, str]) -> list[Instalment]:
    return [Instalment(day(offset), eur(amount)) for offset, amount in parts]


class TestPaymentPlans:
    def test_agreed_instalments_are_recorded_and_put_the_case_on_hold(self):
        case = given(None, step("record_payment", day(5), amount=eur("100"), method="card"),
                     amount="1000.00")
        events = when(case, "agree_payment_plan", day(10),
                      instalments=plan((40, "300"), (70, "300"), (100, "300")))
        assert names(events) == ["PaymentPlanAgreed"]
        assert events[0].instalments == plan((40, "300.00"), (70, "300.00"), (100, "300.00"))
        assert case.plan == events[0].instalments
        assert case.paid_at_plan == eur("100.00")
        assert (case.is_on_hold(day(10)), case.hold_reason) == (True, "plan")

    def test_a_plan_may_cover_part_of_the_balance(self):
        case = given(amount="1000.00")
        [event] = when(case, "agree_payment_plan", day(10), instalments=plan((40, "250")))
        assert event.instalments == plan((40, "250"))

    def test_a_plan_needs_at_least_one_instalment(self):
        case = given()
        with refused(case, InvalidValue, "instalments", match="at least one instalment"):
            when(case, "agree_payment_plan", day(10), instalments=[])

    def test_the_first_instalment_cannot_fall_before_the_agreement(self):
        case = given()
        with refused(case, InvalidValue, "instalments[1].due_on"):
            when(case, "agree_payment_plan", day(10), instalments=plan((9, "100")))

    def test_instalments_come_in_date_order(self):
        case = given()
        with refused(case, InvalidValue, "instalments[3].due_on",
                     match="before the previous instalment"):
            when(case, "agree_payment_plan", day(10),
                 instalments=plan((20, "100"), (50, "100"), (49, "100")))

    def test_the_instalments_cannot_add_up_to_more_than_is_outstanding(self):
        case = given(amount="1000.00")
        with refused(case, AmountTooLarge, "instalments",
                     match="EUR 1,000.01 is more than the outstanding balance"):
            when(case, "agree_payment_plan", day(10),
                 instalments=plan((20, "500"), (50, "500.01")))
