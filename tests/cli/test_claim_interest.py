"""`arrears claim-interest CASE [--until DATE]` and `arrears waive-interest CASE --reason`.

The case: GBP 1,200.00 due 2026-01-31, a business debtor in England and Wales, today
2026-03-01. Bank Rate on 31 December 2025: 3.75% -> 11.75% a year: GBP 141.00 a year.
"""

from __future__ import annotations


def claimed(timeline, case: str) -> list[tuple]:
    return [(e["data"]["kind"], e["data"]["amount"]["amount"], e["data"]["period_start"],
             e["data"]["period_end"], e["data"]["principal"])
            for e in timeline(case) if e["type"] == "PenaltyApplied"]


class TestClaimInterest:
    def test_claims_each_line_and_the_compensation_with_the_calculation(self, ok, case,
                                                                        timeline):
        # 1 Feb - 1 Mar 2026, 29 days: 141.00 x 29 / 365 = 11.203 -> 11.20; GBP 70 band
        ok("claim-interest", case)
        assert claimed(timeline, case) == [
            ("statutory_interest", "11.20", "2026-02-01", "2026-03-01",
             {"amount": "1200.00", "currency": "GBP"}),
            ("compensation", "70.00", None, None, None)]
        penalty = timeline(case)[-2]["data"]
        assert (penalty["days"], penalty["rate"]) == (29, "11.75")
        assert "Late Payment of Commercial Debts (Interest) Act 1998" in penalty["basis"]

    def test_the_same_figures_as_arrears_interest(self, ok, case, timeline):
        shown = ok("interest", case, "--until", "2026-02-14")
        ok("claim-interest", case, "--until", "2026-02-14")
        # 141.00 x 14 / 365 = 5.408 -> 5.41
        assert shown["lines"][0]["amount"] == "5.41" == claimed(timeline, case)[0][1]

    def test_twice_claims_once_and_says_nothing_to_claim(self, arrears, ok, case, timeline):
        ok("claim-interest", case)
        before = timeline(case)
        result = arrears("claim-interest", case)
        assert result.exit_code == 0, result.output
        assert "nothing to claim" in result.stdout
        assert result.stdout.count("to claim") == 1  # not "nothing to claim. No interest to claim."
        again = ok("claim-interest", case, "--until", "2026-02-10")
        assert again["claimed"] is False and again["note"] == "No interest to claim."
        assert timeline(case) == before

    def test_beyond_today_is_refused_with_exit_1(self, arrears, case):
        result = arrears("claim-interest", case, "--until", "2026-03-05")
        assert result.exit_code == 1, result.output
        assert "until" in result.stderr


class TestInterestLeftWhenThePrincipalIsPaid:
    """Paid in full on 2026-02-14: 1-14 Feb accrued 141.00 x 14 / 365 = 5.41, unclaimed."""

    def test_the_case_stays_open_until_waived(self, ok, show, case):
        ok("pay", case, "--amount", "1200.00", "--on", "2026-02-14")
        record = show(case)
        assert record["stage"] != "paid" and record["balance"]["outstanding"] == "0.00"
        assert record["paid_by_part"] == {"costs": "0.00", "interest": "0.00",
                                          "principal": "1200.00"}
        assert record["unclaimed_interest"] == {
            "amount": "5.41", "from": "2026-02-01", "to": "2026-02-14",
            "message": "interest of GBP 5.41 to 14 February 2026 not claimed: "
                       "claim it or waive it"}
        ok("waive-interest", case, "--reason", "long-standing customer")
        record = show(case)
        assert (record["stage"], record["unclaimed_interest"]) == ("paid", None)

    def test_or_until_claimed_and_paid(self, ok, show, case):
        ok("pay", case, "--amount", "1200.00", "--on", "2026-02-14")
        ok("claim-interest", case)  # 5.41 and GBP 70 compensation
        assert show(case)["balance"]["outstanding"] == "75.41"
        ok("pay", case, "--amount", "75.41")
        record = show(case)
        assert record["stage"] == "paid"
        assert record["paid_by_part"] == {"costs": "70.00", "interest": "5.41",
                                          "principal": "1200.00"}

    def test_waiving_needs_a_reason(self, arrears, case):
        assert arrears("waive-interest", case).exit_code == 2
