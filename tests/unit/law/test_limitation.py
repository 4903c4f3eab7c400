"""Limitation per jurisdiction; restarted by an acknowledgment or part payment, never revived."""

from datetime import date

import pytest

from domain.law import limitation_period

DUE = date(2025, 1, 31)


class TestEnglandAndWales:
    def test_six_years_from_the_due_date(self):
        period = limitation_period("england-wales", DUE)
        assert (period.ends_on, period.restarted_on, period.too_late) == \
            (date(2031, 1, 31), None, ())
        assert period.basis == ("Limitation ends on 31 January 2031: 6 years from 31 January "
                                "2025, the due date (Limitation Act 1980 s.5).")

    def test_a_written_acknowledgment_restarts_the_six_years(self):
        # Acknowledged on 2 May 2025: six years from then, 2 May 2031.
        period = limitation_period("england-wales", DUE, [date(2025, 5, 2)])
        assert (period.ends_on, period.restarted_on) == (date(2031, 5, 2), date(2025, 5, 2))
        assert "restarted the period (s.29(5))" in period.basis

    def test_an_acknowledgment_on_the_last_day_still_restarts_it(self):
        period = limitation_period("england-wales", DUE, [date(2031, 1, 31)])
        assert period.ends_on == date(2037, 1, 31)

    def test_an_acknowledgment_after_expiry_does_not_revive_it(self):
        # Expired on 31 January 2031; a payment on 1 February 2031 comes too late.
        period = limitation_period("england-wales", DUE, [date(2031, 2, 1)])
        assert (period.ends_on, period.restarted_on, period.too_late) == \
            (date(2031, 1, 31), None, (date(2031, 2, 1),))
        assert period.basis.endswith("An acknowledgment or payment after it expired "
                                     "(1 February 2031) does not revive it (s.29(7)).")

    def test_a_restart_counts_but_a_later_one_after_expiry_does_not(self):
        # 1 January 2026 -> 1 January 2032; 1 January 2033 is after that, too late.
        period = limitation_period("england-wales", DUE, [date(2033, 1, 1), date(2026, 1, 1)])
        assert (period.ends_on, period.too_late) == (date(2032, 1, 1), (date(2033, 1, 1),))

    def test_a_payment_before_the_due_date_does_not_shorten_it(self):
        assert limitation_period("england-wales", DUE, [date(2025, 1, 10)]).ends_on == \
            date(2031, 1, 31)

    def test_from_29_february_it_runs_to_28_february(self):
        assert limitation_period("england-wales", date(2024, 2, 29)).ends_on == \
            date(2030, 2, 28)


class TestOtherJurisdictions:
    def test_northern_ireland_six_years(self):
        period = limitation_period("northern-ireland", DUE)
        assert period.ends_on == date(2031, 1, 31)
        assert "Limitation (Northern Ireland) Order 1989 art.4" in period.basis

    def test_scotland_five_years_from_when_payment_was_due(self):
        period = limitation_period("scotland", DUE, [date(2027, 3, 1)])
        # restarted by a relevant acknowledgement on 1 March 2027: five years on
        assert period.ends_on == date(2032, 3, 1)
        assert "s.10 (relevant acknowledgement)" in period.basis
        assert limitation_period("scotland", DUE).ends_on == date(2030, 1, 31)

    def test_germany_three_years_from_the_end_of_the_year_the_claim_arose(self):
        period = limitation_period("germany", DUE)
        # arose in 2025: from 31 December 2025, three years -> 31 December 2028
        assert period.ends_on == date(2028, 12, 31)
        assert period.basis == ("Limitation ends on 31 December 2028: 3 years from the end of "
                                "2025, the year the claim arose (§§ 195, 199 BGB).")

    def test_germany_an_acknowledgment_starts_it_anew_from_that_day(self):
        # § 212 BGB: anew from 2 May 2026, not from a year's end -> 2 May 2029
        assert limitation_period("germany", DUE, [date(2026, 5, 2)]).ends_on == \
            date(2029, 5, 2)

    def test_germany_an_early_acknowledgment_does_not_shorten_it(self):
        # 1 June 2025 + 3 years = 1 June 2028, before 31 December 2028: no change
        period = limitation_period("germany", DUE, [date(2025, 6, 1)])
        assert (period.ends_on, period.restarted_on) == (date(2028, 12, 31), None)

    @pytest.mark.parametrize(("where", "expired"), [("germany", date(2028, 12, 31)),
                                                    ("scotland", date(2030, 1, 31))])
    def test_nowhere_revives_an_expired_period(self, where, expired):
        late = date(expired.year + 1, 1, 2)
        period = limitation_period(where, DUE, [late])
        assert (period.ends_on, period.too_late) == (expired, (late,))
