"""Late Payment of Commercial Debts (Interest) Act 1998: worked examples.

Every amount is principal x rate% x days / 365, rounded half up to the penny, per line.
"""

from datetime import date

import pytest

from domain.errors import AmountTooLarge, InvalidValue
from domain.law import RateUnknown, relevant_day
from domain.law.statutory import reference_day
from tests.unit.law.helpers import eur, gbp, interest, paid, rows


class TestReferenceRate:
    def test_fixed_at_31_december_for_a_start_in_the_first_half_year(self):
        # Interest starts 15 June 2024, so the reference is the Bank Rate on 31 December
        # 2023: 5.25%, + 8 = 13.25%. Bank Rate fell to 5% on 1 August 2024; the rate does not
        # move. 15 June to 30 September 2024 = 16 + 31 + 31 + 30 = 108 days.
        # 1000 x 13.25% x 108 / 365 = 14310 / 365 = 39.2055 -> 39.21
        calc = interest("england-wales", "business", gbp("1000.00"), date(2024, 6, 14),
                        date(2024, 9, 30))
        assert rows(calc) == [("2024-06-15", "2024-09-30", 108, "1000.00", "13.25", "39.21")]
        assert calc.interest == gbp("39.21")
        assert "Bank Rate of 5.25% in force on 31 December 2023, fixed at 13.25%" in calc.basis

    def test_fixed_at_30_june_for_a_start_in_the_second_half_year(self):
        # Starts 1 July 2023: Bank Rate on 30 June 2023 was 5% (from 22 June), + 8 = 13%.
        # It rose to 5.25% on 3 August 2023; the debt keeps 13%.
        # 1 July to 31 August = 62 days; 2000 x 13% x 62 / 365 = 1612000 / 36500 = 44.1644
        calc = interest("england-wales", "business", gbp("2000.00"), date(2023, 6, 30),
                        date(2023, 8, 31))
        assert rows(calc) == [("2023-07-01", "2023-08-31", 62, "2000.00", "13.00", "44.16")]
        assert "Bank Rate of 5.00% in force on 30 June 2023, fixed at 13.00%" in calc.basis

    def test_a_day_earlier_the_reference_is_the_31_december_before(self):
        # Starts 30 June 2023: the Bank Rate on 31 December 2022 was 3.5% -> 11.5%.
        # 30 June to 31 August = 63 days; 2000 x 11.5% x 63 / 365 = 39.6986 -> 39.70
        calc = interest("england-wales", "business", gbp("2000.00"), date(2023, 6, 29),
                        date(2023, 8, 31))
        assert rows(calc) == [("2023-06-30", "2023-08-31", 63, "2000.00", "11.50", "39.70")]

    @pytest.mark.parametrize(("start", "reference"), [
        (date(2024, 1, 1), date(2023, 12, 31)), (date(2024, 6, 30), date(2023, 12, 31)),
        (date(2024, 7, 1), date(2024, 6, 30)), (date(2024, 12, 31), date(2024, 6, 30)),
    ])
    def test_the_reference_day_for_each_half_year_edge(self, start, reference):
        assert reference_day(start) == reference

    def test_a_reference_day_the_table_does_not_cover_is_refused(self):
        # Interest starting in January 2027 needs the Bank Rate of 31 December 2026.
        with pytest.raises(RateUnknown, match="2026-12-31 is after 2026-10-06") as refusal:
            interest("england-wales", "business", gbp("1000.00"), date(2026, 12, 31),
                     date(2027, 1, 31))
        assert refusal.value.field == "due_date"


class TestCompensation:
    @pytest.mark.parametrize(("debt", "fee"), [
        ("999.99", "40.00"),     # less than £1,000: £40
        ("1000.00", "70.00"),    # £1,000 or more: £70
        ("9999.99", "70.00"),    # less than £10,000: still £70
        ("10000.00", "100.00"),  # £10,000 or more: £100
    ])
    def test_each_band_edge(self, debt, fee):
        calc = interest("england-wales", "business", gbp(debt), date(2024, 6, 14),
                        date(2024, 6, 15))
        assert calc.compensation == gbp(fee)
        assert f"Fixed sum of GBP {fee} under s.5A" in calc.basis

    def test_nothing_before_interest_starts_to_run(self):
        calc = interest("england-wales", "business", gbp("5000.00"), date(2024, 6, 14),
                        date(2024, 6, 14))
        assert (calc.lines, calc.interest, calc.compensation) == ((), gbp("0"), gbp("0"))
        assert calc.basis.startswith("Nothing is due yet: interest runs from 15 June 2024")

    def test_the_fixed_sum_is_in_pounds_so_a_euro_debt_gets_the_interest_alone(self):
        # 15 June to 1 July 2024, 17 days at 13.25% (Bank Rate 5.25% + 8):
        #   100 x 13.25% x 17 / 365 = 0.617 -> EUR 0.62 (in lines cut at 1 July, 0.58 + 0.04)
        calc = interest("england-wales", "business", eur("100.00"), date(2024, 6, 14),
                        date(2024, 7, 1))
        assert calc.interest == eur("0.62")
        assert calc.compensation == eur("0")
        assert "No fixed sum added" in calc.basis
        assert "is in GBP; this debt is in EUR" in calc.basis


class TestPartialPayment:
    def test_a_payment_reduces_the_principal_from_the_day_after(self):
        # 13.25% (Bank Rate 5.25% on 31 December 2023). £2,000 paid on 15 March 2024.
        # 1 February to 15 March 2024 = 29 + 15 = 44 days on £5,000:
        #   5000 x 13.25% x 44 / 365 = 2915000 / 36500 = 79.8630 -> 79.86
        # 16 March to 30 April = 16 + 30 = 46 days on £3,000:
        #   3000 x 13.25% x 46 / 365 = 1828500 / 36500 = 50.0959 -> 50.10
        calc = interest("england-wales", "business", gbp("5000.00"), date(2024, 1, 31),
                        date(2024, 4, 30), (paid(date(2024, 3, 15), gbp("2000.00")),))
        assert rows(calc) == [
            ("2024-02-01", "2024-03-15", 44, "5000.00", "13.25", "79.86"),
            ("2024-03-16", "2024-04-30", 46, "3000.00", "13.25", "50.10"),
        ]
        assert calc.interest == gbp("129.96")
        assert calc.compensation == gbp("70.00")  # on the debt, £5,000

    def test_interest_stops_when_the_principal_is_paid(self):
        # Paid in full on 15 March: only the first line. The fixed sum stays due.
        calc = interest("england-wales", "business", gbp("5000.00"), date(2024, 1, 31),
                        date(2024, 4, 30), (paid(date(2024, 3, 15), gbp("5000.00")),))
        assert [line[:2] for line in rows(calc)] == [("2024-02-01", "2024-03-15")]
        assert calc.interest == gbp("79.86")

    def test_more_than_the_principal_is_refused(self):
        with pytest.raises(AmountTooLarge, match="GBP 5,000.01 paid is more than the "
                           "principal of GBP 5,000.00"):
            interest("england-wales", "business", gbp("5000.00"), date(2024, 1, 31),
                     date(2024, 4, 30), (paid(date(2024, 3, 15), gbp("5000.01")),))

    def test_each_line_is_rounded_half_up_and_the_total_is_their_sum(self):
        # 0.5% a year: 365.00 x 0.5% x 1 / 365 = 0.005 -> 0.01 (half up), then
        # 182.50 x 0.5% x 2 / 365 = 0.005 -> 0.01; total 0.02 (not the 0.01 a single
        # rounding of 0.010 would give).
        calc = interest("england-wales", "individual", gbp("365.00"), date(2024, 6, 14),
                        date(2024, 6, 17), (paid(date(2024, 6, 15), gbp("182.50")),), "0.5")
        assert [line[-1] for line in rows(calc)] == ["0.01", "0.01"]
        assert calc.interest == gbp("0.02")


class TestWhoAndWhere:
    def test_no_statutory_interest_for_an_individual(self):
        calc = interest("england-wales", "individual", gbp("5000.00"), date(2024, 1, 31),
                        date(2024, 4, 30))
        assert (calc.lines, calc.interest, calc.compensation) == ((), gbp("0"), gbp("0"))
        assert "applies only where both parties act in the course of a business (s.2)" \
            in calc.basis

    @pytest.mark.parametrize("where", ["scotland", "northern-ireland"])
    def test_scotland_and_northern_ireland_apply_the_act_the_same(self, where):
        english = interest("england-wales", "business", gbp("1000.00"), date(2024, 6, 14),
                           date(2024, 9, 30))
        calc = interest(where, "business", gbp("1000.00"), date(2024, 6, 14),
                        date(2024, 9, 30))
        assert (calc.lines, calc.interest, calc.compensation) == \
            (english.lines, english.interest, english.compensation)
        assert calc.basis.endswith("where it applies as in England and Wales (s.17).")


class TestContractRate:
    def test_the_contract_rate_takes_precedence_and_the_fixed_sum_still_applies(self):
        # 10% a year: 1000 x 10% x 108 / 365 = 1080000 / 36500 = 29.5890 -> 29.59
        calc = interest("england-wales", "business", gbp("1000.00"), date(2024, 6, 14),
                        date(2024, 9, 30), contract_rate="10")
        assert rows(calc) == [("2024-06-15", "2024-09-30", 108, "1000.00", "10.00", "29.59")]
        assert calc.compensation == gbp("70.00")
        assert calc.basis.startswith("Contractual interest at 10.00% a year under the "
                                     "case's terms")

    def test_a_contract_rate_for_an_individual_has_no_fixed_sum(self):
        calc = interest("england-wales", "individual", gbp("1000.00"), date(2024, 6, 14),
                        date(2024, 9, 30), contract_rate="10")
        assert (calc.interest, calc.compensation) == (gbp("29.59"), gbp("0"))

    def test_a_rate_above_100_percent_is_refused(self):
        with pytest.raises(InvalidValue, match="between 0 and 100") as refusal:
            interest("england-wales", "business", gbp("1000.00"), date(2024, 6, 14),
                     date(2024, 9, 30), contract_rate="100.01")
        assert refusal.value.field == "contract_rate"


class TestCreditPeriod:
    def test_thirty_days_from_the_later_of_supply_and_invoice(self):
        # Supplied 1 March 2024, invoiced 5 March: the 30 days beginning 5 March end on
        # 3 April, so interest runs from 4 April.
        assert relevant_day("england-wales", performed_on=date(2024, 3, 1),
                            notified_on=date(2024, 3, 5)) == date(2024, 4, 3)

    def test_an_agreed_payment_day_is_the_relevant_day(self):
        assert relevant_day("scotland", performed_on=date(2024, 3, 1),
                            notified_on=date(2024, 3, 5),
                            agreed_payment_day=date(2024, 3, 20)) == date(2024, 3, 20)

    def test_not_modelled_for_germany(self):
        with pytest.raises(InvalidValue, match="no default credit period is modelled for "
                           "Germany"):
            relevant_day("germany", performed_on=date(2024, 3, 1), notified_on=date(2024, 3, 5))
