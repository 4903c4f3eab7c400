from datetime import date

from tests.builders import day, eur, given, stamp, step


class TestLimitationDate:
    def test_six_years_from_the_due_date(self):
        assert given().limitation_date == date(2031, 1, 31)

    def test_a_written_acknowledgment_restarts_the_six_years(self):
        case = given(None, step("acknowledge_debt", date(2025, 5, 2), document="email"))
        assert case.limitation_date == date(2031, 5, 2)

    def test_a_payment_restarts_the_six_years(self):
        case = given(None, step("record_payment", date(2025, 7, 9), amount=eur("10"),
                                method="card"))
        assert case.limitation_date == date(2031, 7, 9)

    def test_the_latest_of_due_date_acknowledgment_and_payment_counts(self):
        case = given(None,
                     step("record_payment", date(2025, 9, 1), amount=eur("10"), method="card"),
                     step("acknowledge_debt", date(2025, 6, 1), document="letter"))
        assert case.limitation_date == date(2031, 9, 1)

    def test_a_payment_before_the_due_date_does_not_shorten_it(self):
        case = given(None, step("record_payment", date(2025, 1, 10), amount=eur("10"),
                                method="card"))
        assert case.limitation_date == date(2031, 1, 31)

    def test_from_29_february_it_runs_to_28_february(self):
        case = given(issue_date=date(2024, 2, 1), due_date=date(2024, 2, 29))
        assert case.limitation_date == date(2030, 2, 28)

    def test_the_acknowledged_amount_is_recorded_with_the_document(self):
        case = given()
        case.acknowledge_debt(document=" signed letter ", amount=eur("500"),
                              stamp=stamp(day(3)))
        [event] = case.collect_events()
        assert (event.document, event.amount, case.acknowledged_on) == \
            ("signed letter", eur("500.00"), day(3))
