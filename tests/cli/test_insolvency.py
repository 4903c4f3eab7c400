"""statutory-demand, offer-settlement, offer-discount, accept-offer, withdraw-offer, and the
limitation in show --json. Cases: GBP 1,200.00 due 2026-01-31, today 2026-03-01."""

from __future__ import annotations


class TestStatutoryDemand:
    def test_is_served_with_its_21_days(self, ok, case, last_event, show):
        ok("statutory-demand", case, "--on", "2026-02-20")
        event = last_event(case)
        assert event["type"] == "StatutoryDemandServed"
        # 20 Feb 2026 + 21 days = 13 Mar 2026.
        assert (event["data"]["deadline"], event["data"]["period_days"]) == ("2026-03-13", 21)
        assert event["data"]["amount"] == {"amount": "1200.00", "currency": "GBP"}
        assert "Insolvency Act 1986 s.123" in event["data"]["basis"]
        assert event["summary"] == ("Statutory demand for GBP 1,200.00 served; 21 days to "
                                    "pay, until 13 March 2026")
        assert show(case)["statutory_demand_deadline"] == "2026-03-13"

    def test_below_the_threshold_is_refused_with_exit_1_and_the_reason(self, arrears,
                                                                       open_case, timeline):
        case = open_case(amount="750.00")
        result = arrears("statutory-demand", case)
        assert result.exit_code == 1
        assert result.stderr == (
            "error: case: a statutory demand needs more than GBP 750.00 owed by a business "
            "debtor (Insolvency Act 1986 s.123); GBP 750.00 is owed\n")
        assert len(timeline(case)) == 1

    def test_an_individual_below_5000_is_refused(self, arrears, open_case):
        case = open_case("--debtor-kind", "individual", amount="4999.99")
        result = arrears("statutory-demand", case)
        assert result.exit_code == 1
        assert "at least GBP 5,000.00 owed by an individual" in result.stderr

    def test_a_disputed_debt_is_refused(self, ok, arrears, case):
        ok("dispute", case, "--reason", "never ordered")
        result = arrears("statutory-demand", case)
        assert result.exit_code == 1
        assert result.stderr == "error: case: no statutory demand on a disputed debt\n"


class TestOffers:
    def test_a_settlement_offer_accepted_and_paid_settles(self, ok, case, show, last_event):
        ok("offer-settlement", case, "--amount", "900", "--expires", "2026-03-15")
        offer = show(case)["offer"]
        assert offer == {"kind": "settlement", "expires_on": "2026-03-15", "discount": None,
                         "percent": None, "amount": {"amount": "900.00", "currency": "GBP"}}
        ok("accept-offer", case)
        assert last_event(case)["type"] == "OfferAccepted"
        ok("pay", case, "--amount", "900", "--method", "card")
        assert show(case)["stage"] == "settled"

    def test_an_expired_offer_is_refused_with_exit_1(self, ok, arrears, case):
        ok("offer-settlement", case, "--amount", "900", "--expires", "2026-02-20",
           "--on", "2026-02-10")
        result = arrears("accept-offer", case)
        assert result.exit_code == 1
        assert result.stderr == ("error: case: the offer expired on 20 February 2026; it "
                                 "can no longer be accepted\n")

    def test_a_discount_by_percent_decides_the_amount_to_pay(self, ok, case, last_event):
        # GBP 1,200.00 × 2.5% = 30.00 off: 1,170.00 to pay.
        ok("offer-discount", case, "--percent", "2.5", "--expires", "2026-03-10")
        data = last_event(case)["data"]
        assert (data["kind"], data["amount"]["amount"], data["discount"]["amount"]) == (
            "discount", "1170.00", "30.00")

    def test_a_discount_needs_a_percent_or_an_amount(self, arrears, case):
        result = arrears("offer-discount", case, "--expires", "2026-03-10")
        assert result.exit_code == 2
        assert "give either a percentage or an amount off" in result.stderr

    def test_a_percent_of_100_is_refused_naming_the_option(self, arrears, case):
        result = arrears("offer-discount", case, "--percent", "100", "--expires", "2026-03-10")
        assert result.exit_code == 2
        assert "must be more than 0 and less than 100 percent" in result.stderr

    def test_a_withdrawn_offer_cannot_be_accepted(self, ok, arrears, case, show):
        ok("offer-settlement", case, "--amount", "900", "--expires", "2026-03-15")
        ok("withdraw-offer", case, "--reason", "debtor went quiet")
        assert show(case)["offer"] is None
        result = arrears("accept-offer", case)
        assert result.exit_code == 1
        assert result.stderr == "error: case: there is no offer to accept\n"


class TestLimitationInShow:
    def test_show_json_gives_the_date_and_its_basis(self, ok, case, show):
        # Due 31 Jan 2026 + 6 years (Limitation Act 1980 s.5) = 31 Jan 2032; a part
        # payment on 10 Feb 2026 restarts it: 10 Feb 2032.
        assert show(case)["limitation_date"] == "2032-01-31"
        ok("pay", case, "--amount", "100", "--method", "card", "--on", "2026-02-10")
        shown = show(case)
        assert shown["limitation_date"] == "2032-02-10"
        assert shown["limitation_basis"].startswith("Limitation ends on 10 February 2032: 6 "
                                                    "years (Limitation Act 1980 s.5)")

    def test_a_scottish_case_has_five_years(self, open_case, show):
        case = open_case("--jurisdiction", "scotland")
        assert show(case)["limitation_date"] == "2031-01-31"
