"""`arrears interest CASE [--until DATE] [--json]`: the calculation, nothing stored."""

from __future__ import annotations

import pytest


@pytest.fixture
def german(ok):
    """EUR 1,000.00 owed by a German business, due 2025-01-31."""
    ok("open", "INV-DE1", "--debtor", "Bau GmbH", "--amount", "1000", "--currency", "EUR",
       "--issue-date", "2025-01-01", "--due-date", "2025-01-31", "--jurisdiction", "germany")
    return "INV-DE1"


class TestInterest:
    def test_a_german_debt_is_split_by_rate_period_with_the_flat_fee(self, ok, german):
        # base rate 2.27 (H1 2025), 1.27 (H2 2025); business: + 9 points.
        # 1000 x 11.27% x 150/365 = 46.315 -> 46.32; 1000 x 10.27% x 62/365 = 17.444 -> 17.44
        got = ok("interest", german, "--until", "2025-08-31")
        assert set(got) == {"currency", "lines", "interest", "compensation", "basis"}
        assert got["currency"] == "EUR"
        assert got["lines"] == [
            {"from": "2025-02-01", "to": "2025-06-30", "days": 150, "principal": "1000.00",
             "rate": "11.27", "amount": "46.32"},
            {"from": "2025-07-01", "to": "2025-08-31", "days": 62, "principal": "1000.00",
             "rate": "10.27", "amount": "17.44"}]
        assert (got["interest"], got["compensation"]) == ("63.76", "40.00")
        assert "288" in got["basis"]

    def test_a_payment_reduces_the_principal_from_the_day_after(self, ok, german):
        ok("pay", german, "--amount", "400", "--on", "2025-03-10")
        # 1000 x 11.27% x 38/365 = 11.733 -> 11.73 (1 Feb - 10 Mar);
        # 600 x 11.27% x 112/365 = 20.749 -> 20.75 (11 Mar - 30 Jun)
        lines = ok("interest", german, "--until", "2025-06-30")["lines"]
        assert [(x["from"], x["to"], x["days"], x["principal"], x["amount"]) for x in lines] == [
            ("2025-02-01", "2025-03-10", 38, "1000.00", "11.73"),
            ("2025-03-11", "2025-06-30", 112, "600.00", "20.75")]

    def test_a_uk_business_debt_until_today_at_bank_rate_plus_eight(self, ok, case):
        # Bank Rate on 31 Dec 2025: 3.75 -> 11.75%; 1 Feb - 1 Mar 2026 = 29 days;
        # 1200 x 11.75% x 29/365 = 11.203 -> 11.20; GBP 1,200.00: the GBP 70 band
        got = ok("interest", case)
        assert got["lines"] == [{"from": "2026-02-01", "to": "2026-03-01", "days": 29,
                                 "principal": "1200.00", "rate": "11.75", "amount": "11.20"}]
        assert (got["currency"], got["interest"], got["compensation"]) == (
            "GBP", "11.20", "70.00")

    def test_the_contract_rate_replaces_the_statutory_one(self, ok, open_case):
        # 1200 x 5% x 29/365 = 4.767 -> 4.77
        got = ok("interest", open_case("--interest-rate", "5"))
        assert [(x["rate"], x["amount"]) for x in got["lines"]] == [("5.00", "4.77")]

    def test_stores_nothing(self, ok, case, timeline):
        before = timeline(case)
        ok("interest", case)
        assert timeline(case) == before

    def test_the_text_shows_each_line_and_the_totals(self, arrears, german):
        result = arrears("interest", german, "--until", "2025-08-31")
        assert result.exit_code == 0, result.output
        assert "2025-07-01  2025-08-31     62" in result.stdout
        assert "Interest:     EUR 63.76" in result.stdout
        assert "Compensation: EUR 40.00" in result.stdout

    def test_a_rate_not_in_the_table_is_refused_with_exit_1(self, arrears, german):
        result = arrears("interest", german, "--until", "2040-12-31")
        assert result.exit_code == 1, result.output
        assert "rate" in result.stderr.lower()

    def test_an_unknown_case_is_invalid_input(self, arrears):
        assert arrears("interest", "INV-NONE").exit_code == 2
