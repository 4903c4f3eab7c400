from domain.errors import AmountTooLarge, InvalidValue
from domain.values import PromiseShare
from tests.builders import day, eur, given, names, refused, step, when


def promised(amount: str, by: int, on: int = 10):
    return step("promise_payment", day(on), amount=eur(amount), promised_on=day(by))


def paid(amount: str, on: int):
    return step("record_payment", day(on), amount=eur(amount), method="card")


class TestPromisesToPay:
    def test_a_promise_records_the_amount_and_the_date(self):
        case = given(amount="1000.00")
        events = when(case, "promise_payment", day(10), amount=eur("500"), promised_on=day(20))
        assert names(events) == ["PaymentPromised"]
        assert (events[0].amount, events[0].promised_on) == (eur("500.00"), day(20))
        assert case.next_promised_date == day(20)
        assert case.outstanding == eur("1000.00")

    def test_a_promise_is_not_broken_on_its_date(self):
        case = given(None, promised("500", by=20))
        assert case.broken_promises(day(20)) == []

    def test_an_unpaid_promise_is_broken_the_day_after(self):
        case = given(None, promised("500", by=20))
        assert case.broken_promises(day(21)) == [(eur("500.00"), day(20))]

    def test_a_promise_paid_in_full_is_kept(self):
        case = given(None, promised("500", by=20), paid("500", on=20))
        assert case.broken_promises(day(21)) == []
        assert case.next_promised_date is None

    def test_a_promise_paid_in_part_is_still_broken(self):
        case = given(None, promised("500", by=20), paid("499.99", on=20))
        assert case.broken_promises(day(21)) == [(eur("500.00"), day(20))]
        assert case.next_promised_date == day(20)

    def test_payments_made_before_a_promise_do_not_keep_it(self):
        case = given(None, paid("300", on=5), promised("500", by=20))
        assert case.broken_promises(day(21)) == [(eur("500.00"), day(20))]

    def test_the_next_promised_date_is_the_earliest_promise_not_yet_kept(self):
        case = given(None, promised("200", by=20), promised("300", by=40, on=11))
        assert case.next_promised_date == day(20)
        given(case, paid("200", on=18))
        assert case.next_promised_date == day(40)
        assert case.broken_promises(day(41)) == [(eur("300.00"), day(40))]

    def test_one_payment_is_shared_out_over_promises_in_the_order_they_were_made(self):
        case = given(None, promised("200", by=20), promised("300", by=40, on=11),
                     paid("350", on=18))
        assert case.broken_promises(day(41)) == [(eur("300.00"), day(40))]
        given(case, paid("150", on=39))
        assert case.broken_promises(day(41)) == []

    def test_no_promise_of_more_than_is_outstanding(self):
        case = given(amount="1000.00")
        with refused(case, AmountTooLarge, "amount"):
            when(case, "promise_payment", day(10), amount=eur("1000.01"), promised_on=day(20))

    def test_a_promise_cannot_be_for_a_day_already_past(self):
        case = given()
        with refused(case, InvalidValue, "promised_on", match="before the day of the promise"):
            when(case, "promise_payment", day(10), amount=eur("10"), promised_on=day(9))

    def test_a_promise_may_be_to_pay_the_same_day(self):
        case = given()
        [event] = when(case, "promise_payment", day(10), amount=eur("10"), promised_on=day(10))
        assert event.promised_on == day(10)


class TestAPaymentAfterThePromisedDate:
    def test_a_payment_a_day_late_breaks_the_promise(self):
        case = given(None, promised("500", by=20))
        events = when(case, "record_payment", day(21), amount=eur("500"), method="card")
        assert names(events) == ["PaymentReceived"]
        assert events[0].promises == [PromiseShare(day(20), eur("0.00"), "broken")]
        assert case.broken_promises(day(22)) == [(eur("500.00"), day(20))]
        assert case.outstanding == eur("500.00")

    def test_a_broken_promise_is_no_longer_awaited_once_a_late_payment_comes(self):
        case = given(None, promised("500", by=20), promised("300", by=40, on=11))
        assert case.next_promised_date == day(20)
        given(case, paid("100", on=25))
        assert case.next_promised_date == day(40)
        assert case.broken_promises(day(41)) == [(eur("500.00"), day(20)),
                                                 (eur("300.00"), day(40))]

    def test_a_late_payment_still_counts_toward_the_promises_not_yet_due(self):
        case = given(None, promised("500", by=20), promised("300", by=40, on=11))
        [payment] = when(case, "record_payment", day(25), amount=eur("350"), method="card")
        assert payment.promises == [PromiseShare(day(20), eur("0.00"), "broken"),
                                    PromiseShare(day(40), eur("300.00"), "kept")]
        assert case.next_promised_date is None
        assert case.broken_promises(day(41)) == [(eur("500.00"), day(20))]

    def test_a_payment_on_the_promised_date_keeps_the_promise(self):
        case = given(None, promised("500", by=20))
        [payment] = when(case, "record_payment", day(20), amount=eur("200"), method="card")
        assert payment.promises == [PromiseShare(day(20), eur("200.00"), "open")]
        given(case, paid("300", on=20))
        assert case.broken_promises(day(21)) == []

    def test_a_payment_recorded_late_but_made_in_time_keeps_the_promise(self):
        case = given(None, promised("500", by=20), step("add_note", day(30), text="chased"))
        when(case, "record_payment", day(19), amount=eur("500"), method="bank_transfer")
        assert case.broken_promises(day(31)) == []

    def test_with_no_promise_open_a_payment_counts_toward_none(self):
        case = given()
        [payment] = when(case, "record_payment", day(5), amount=eur("10"), method="card")
        assert payment.promises == []
