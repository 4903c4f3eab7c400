from domain.errors import AmountTooLarge, CurrencyMismatch, InvalidValue
from domain.money import Money
from domain.values import Stage
from tests.builders import day, eur, given, names, refused, step, when


class TestWritingOff:
    def test_writing_off_gives_up_the_whole_outstanding_balance_and_closes_the_case(self):
        case = given(None, step("record_payment", day(3), amount=eur("300"), method="card"),
                     step("apply_penalty", day(4), kind="late_fee", amount=eur("40")),
                     amount="1000.00")
        events = when(case, "write_off", day(200), reason="debtor_vanished",
                      notes=" no forwarding address ")
        assert names(events) == ["WrittenOff"]
        assert (events[0].amount, events[0].reason, events[0].notes) == \
            (eur("740.00"), "debtor_vanished", "no forwarding address")
        assert case.written_off == eur("740.00")
        assert case.outstanding == eur("0.00")
        assert case.stage == Stage.WRITTEN_OFF

    def test_writing_off_part_of_the_balance_keeps_the_case_open(self):
        case = given(None, step("send_reminder", day(3), channel="email"), amount="1000.00")
        [event] = when(case, "write_off", day(200), reason="settled_below_value",
                       amount=eur("100"))
        assert event.amount == eur("100.00")
        assert case.outstanding == eur("900.00")
        assert case.stage == Stage.REMINDED

    def test_the_rest_written_off_later_closes_the_case(self):
        case = given(None, step("write_off", day(100), reason="uncollectable",
                                amount=eur("100")), amount="1000.00")
        [event] = when(case, "write_off", day(200), reason="uncollectable")
        assert event.amount == eur("900.00")
        assert case.stage == Stage.WRITTEN_OFF

    def test_no_more_than_is_outstanding_can_be_written_off(self):
        case = given(None, step("record_payment", day(3), amount=eur("300"), method="card"),
                     amount="1000.00")
        with refused(case, AmountTooLarge, "amount",
                     match="more than the outstanding balance of EUR 700.00"):
            when(case, "write_off", day(200), reason="uncollectable", amount=eur("700.01"))

    def test_a_write_off_is_in_the_currency_of_the_case(self):
        case = given()
        with refused(case, CurrencyMismatch, "amount"):
            when(case, "write_off", day(200), reason="uncollectable",
                 amount=Money.of("5", "USD"))

    def test_a_write_off_needs_one_of_the_known_reasons(self):
        case = given()
        with refused(case, InvalidValue, "reason", match="'bored' is not one of"):
            when(case, "write_off", day(200), reason="bored")
