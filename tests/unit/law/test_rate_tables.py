"""The rate tables: published values pinned, every row sourced, gaps and guesses refused."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from domain.law import RateUnknown, rate_table

BANK_RATE = "bank_rate.csv"
BASE_RATE = "basiszinssatz.csv"


class TestBankRate:
    @pytest.mark.parametrize(("day", "rate"), [
        (date(2020, 3, 18), "0.25"),  # cut to 0.25% on 11 March 2020
        (date(2020, 3, 19), "0.10"),  # the emergency cut to 0.1% on 19 March 2020
        (date(2023, 8, 2), "5.00"),   # 5% from 22 June 2023
        (date(2023, 8, 3), "5.25"),   # 5.25% from 3 August 2023
        (date(2024, 8, 1), "5.00"),   # the first cut, 1 August 2024
        (date(2025, 12, 18), "3.75"),  # 3.75% from 18 December 2025
        (date(2008, 1, 1), "5.50"),   # in force on 1 January 2008 (since 6 December 2007)
    ])
    def test_published_rates_are_pinned(self, day, rate):
        assert rate_table(BANK_RATE).rate_on(day).rate == Decimal(rate)

    def test_every_change_of_2008_is_there(self):
        table = rate_table(BANK_RATE)
        changes = [r.effective_from for r in table.changes_within(date(2007, 12, 31),
                                                                  date(2008, 12, 31))]
        assert changes == [date(2008, 2, 7), date(2008, 4, 10), date(2008, 10, 8),
                           date(2008, 11, 6), date(2008, 12, 4)]

    def test_every_row_names_the_official_series_and_where_it_was_read(self):
        for row in rate_table(BANK_RATE).rows:
            assert "IUDBEDR" in row.series
            assert row.source_url.startswith("https://www.bankofengland.co.uk/")
            assert row.read_from and row.retrieved_on == date(2026, 12, 1)


class TestBaseRate:
    @pytest.mark.parametrize(("day", "rate"), [
        (date(2002, 1, 1), "2.57"),
        (date(2016, 6, 30), "-0.83"),
        (date(2016, 7, 1), "-0.88"),  # -0.88% from 1 July 2016
        (date(2022, 12, 31), "-0.88"),  # ... unchanged to the end of 2022
        (date(2023, 1, 1), "1.62"),
        (date(2024, 1, 1), "3.62"),  # 3.62% from 1 January 2024
        (date(2024, 7, 1), "3.37"),
        (date(2026, 6, 30), "1.27"),
    ])
    def test_published_rates_are_pinned(self, day, rate):
        assert rate_table(BASE_RATE).rate_on(day).rate == Decimal(rate)

    def test_there_is_a_row_for_every_half_year_from_2002(self):
        starts = [row.effective_from for row in rate_table(BASE_RATE).rows]
        expected = [date(year, month, 1) for year in range(2002, 2027) for month in (1, 7)]
        assert starts == expected[:len(starts)]
        assert starts[-1] == date(2026, 1, 1)

    def test_every_row_names_the_bundesbank_and_where_it_was_read(self):
        for row in rate_table(BASE_RATE).rows:
            assert "§ 247 BGB" in row.series
            assert row.source_url.startswith("https://www.bundesbank.de/")
            assert " ; " in row.read_from  # at least two sources agree


class TestCoverage:
    @pytest.mark.parametrize(("name", "last"), [(BANK_RATE, date(2026, 10, 6)),
                                                (BASE_RATE, date(2026, 6, 30))])
    def test_a_day_after_the_table_is_refused_not_guessed(self, name, last):
        table = rate_table(name)
        assert table.covered_until == last
        table.rate_on(last)
        with pytest.raises(RateUnknown, match=f"after {last.isoformat()}, the last day {name}"):
            table.rate_on(last + timedelta(days=1))

    def test_a_day_before_the_first_row_is_refused(self):
        with pytest.raises(RateUnknown, match="before the first rate in bank_rate.csv"):
            rate_table(BANK_RATE).rate_on(date(2007, 12, 5))
