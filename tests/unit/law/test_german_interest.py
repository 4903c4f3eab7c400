"""§ 288 BGB: worked examples, split by the half-years of the base rate (§ 247 BGB).

Every amount is principal x rate% x days / 365, rounded half up to the cent, per line.
"""

from datetime import date

import pytest

from domain.law import RateUnknown
from tests.unit.law.helpers import eur, interest, paid, rows

DUE = date(2024, 5, 31)  # interest from 1 June 2024
UNTIL = date(2024, 8, 15)


class TestTwoHalfYears:
    def test_a_business_debtor_pays_nine_points_over_each_base_rate(self):
        # 1 to 30 June 2024: 30 days at 3.62 + 9 = 12.62%:
        #   10000 x 12.62% x 30 / 365 = 3786000 / 36500 = 103.7260 -> 103.73
        # 1 July to 15 August: 31 + 15 = 46 days at 3.37 + 9 = 12.37%:
        #   10000 x 12.37% x 46 / 365 = 5690200 / 36500 = 155.8959 -> 155.90
        calc = interest("germany", "business", eur("10000.00"), DUE, UNTIL)
        assert rows(calc) == [
            ("2024-06-01", "2024-06-30", 30, "10000.00", "12.62", "103.73"),
            ("2024-07-01", "2024-08-15", 46, "10000.00", "12.37", "155.90"),
        ]
        assert calc.interest == eur("259.63")
        assert calc.compensation == eur("40.00")  # § 288(5) BGB
        assert calc.basis.startswith("Default interest under § 288(2) BGB: 9 points over")

    def test_a_consumer_pays_five_points_and_no_flat_fee(self):
        # 30 days at 3.62 + 5 = 8.62%: 10000 x 8.62% x 30 / 365 = 70.8493 -> 70.85
        # 46 days at 3.37 + 5 = 8.37%: 10000 x 8.37% x 46 / 365 = 105.4849 -> 105.48
        calc = interest("germany", "individual", eur("10000.00"), DUE, UNTIL)
        assert rows(calc) == [
            ("2024-06-01", "2024-06-30", 30, "10000.00", "8.62", "70.85"),
            ("2024-07-01", "2024-08-15", 46, "10000.00", "8.37", "105.48"),
        ]
        assert (calc.interest, calc.compensation) == (eur("176.33"), eur("0"))
        assert "§ 288(1) BGB: 5 points" in calc.basis
        assert "No fixed sum under § 288(5) BGB" in calc.basis


class TestLongerPeriods:
    def test_every_rate_period_is_its_own_line(self):
        # EUR 1,000 from 1 January 2023 to 31 December 2024, business (+ 9 points):
        #   H1 2023: 181 days at 10.62%: 1000 x 10.62 x 181 / 36500 = 52.6636 -> 52.66
        #   H2 2023: 184 days at 12.12%: 1000 x 12.12 x 184 / 36500 = 61.0981 -> 61.10
        #   H1 2024: 182 days at 12.62%: 1000 x 12.62 x 182 / 36500 = 62.9271 -> 62.93
        #   H2 2024: 184 days at 12.37%: 1000 x 12.37 x 184 / 36500 = 62.3584 -> 62.36
        calc = interest("germany", "business", eur("1000.00"), date(2022, 12, 31),
                        date(2024, 12, 31))
        assert [(r[0], r[2], r[4], r[5]) for r in rows(calc)] == [
            ("2023-01-01", 181, "10.62", "52.66"), ("2023-07-01", 184, "12.12", "61.10"),
            ("2024-01-01", 182, "12.62", "62.93"), ("2024-07-01", 184, "12.37", "62.36")]
        assert calc.interest == eur("239.05")

    def test_a_negative_base_rate_lowers_the_rate(self):
        # 1 to 31 January 2017: -0.88 + 9 = 8.12%; 1000 x 8.12 x 31 / 36500 = 6.8964 -> 6.90
        calc = interest("germany", "business", eur("1000.00"), date(2016, 12, 31),
                        date(2017, 1, 31))
        assert rows(calc) == [("2017-01-01", "2017-01-31", 31, "1000.00", "8.12", "6.90")]

    def test_a_partial_payment_and_a_rate_change_each_start_a_line(self):
        # EUR 4,000 of the principal paid on 10 July 2024:
        #   1-30 June: 30 days, 10000 at 12.62%            -> 103.73 (as above)
        #   1-10 July: 10 days, 10000 at 12.37%: 1237000 / 36500 = 33.8904 -> 33.89
        #   11 July-15 August: 21 + 15 = 36 days, 6000 at 12.37%:
        #     6000 x 12.37 x 36 / 36500 = 2671920 / 36500 = 73.2033 -> 73.20
        calc = interest("germany", "business", eur("10000.00"), DUE, UNTIL,
                        (paid(date(2024, 7, 10), eur("4000.00")),))
        assert rows(calc) == [
            ("2024-06-01", "2024-06-30", 30, "10000.00", "12.62", "103.73"),
            ("2024-07-01", "2024-07-10", 10, "10000.00", "12.37", "33.89"),
            ("2024-07-11", "2024-08-15", 36, "6000.00", "12.37", "73.20"),
        ]
        assert calc.interest == eur("210.82")


class TestLimits:
    def test_a_period_past_the_table_is_refused_not_guessed(self):
        # The table stops at 30 June 2026 (the 1 July 2026 rate is not confirmed).
        with pytest.raises(RateUnknown, match="2026-07-01 is after 2026-06-30") as refusal:
            interest("germany", "business", eur("1000.00"), date(2026, 5, 31),
                     date(2026, 7, 1))
        assert refusal.value.field == "until"

    def test_the_contract_rate_replaces_the_base_rate_and_the_fee_stays(self):
        # 12% for 76 days (1 June-15 August): 10000 x 12 x 76 / 36500 = 249.8630 -> 249.86
        calc = interest("germany", "business", eur("10000.00"), DUE, UNTIL,
                        contract_rate="12")
        assert rows(calc) == [("2024-06-01", "2024-08-15", 76, "10000.00", "12.00", "249.86")]
        assert calc.compensation == eur("40.00")
