"""Money commands: promise, pay, penalty, waive, plan, settle, write-off."""

from __future__ import annotations


class TestMoney:
    def test_promise_is_kept_by_paying_it(self, ok, case, show):
        ok("promise", case, "--amount", "300", "--by", "2026-03-10")
        assert show(case)["next_promised_date"] == "2026-03-10"
        ok("pay", case, "--amount", "300", "--reference", "BACS 77")
        assert show(case)["next_promised_date"] is None

    def test_an_unpaid_promise_is_broken_the_day_after(self, ok, case, show):
        ok("promise", case, "--amount", "300", "--by", "2026-02-20", "--on", "2026-02-10")
        assert show(case)["broken_promises"] == 1

    def test_a_partial_payment_leaves_the_rest_outstanding(self, ok, case, show, last_event):
        ok("pay", case, "--amount", "200.5", "--method", "card")
        assert show(case)["balance"]["outstanding"] == "999.50"
        gbp = lambda amount: {"amount": amount, "currency": "GBP"}  # noqa: E731
        assert last_event(case)["data"] == {
            "amount": gbp("200.50"), "method": "card", "reference": "", "promises": [],
            "allocation": {"order": ["costs", "interest", "principal"], "costs": gbp("0.00"),
                           "interest": gbp("0.00"), "principal": gbp("200.50"),
                           "unallocated": gbp("0.00")}}

    def test_paying_everything_closes_the_case(self, ok, case, show, timeline):
        # on the due date: no interest has accrued (late, see test_claim_interest.py)
        result = ok("pay", case, "--amount", "1200", "--on", "2026-01-31")
        assert result["version"] == 3
        assert [e["type"] for e in timeline(case)][-2:] == ["PaymentReceived", "CasePaid"]
        assert show(case)["stage"] == "paid"

    def test_penalty_records_its_basis(self, ok, case, show, last_event):
        ok("penalty", case, "--kind", "statutory_interest", "--amount", "11.84",
           "--rate", "12", "--from", "2026-02-01", "--to", "2026-03-01", "--basis", "LPA 1998")
        event = last_event(case)
        assert event["data"] == {"kind": "statutory_interest",
                                 "amount": {"amount": "11.84", "currency": "GBP"},
                                 "rate": "12", "period_start": "2026-02-01",
                                 "period_end": "2026-03-01", "days": 29, "basis": "LPA 1998",
                                 "principal": None}
        assert show(case)["balance"]["penalties"] == "11.84"

    def test_waive_gives_up_a_penalty(self, ok, case, show):
        ok("penalty", case, "--kind", "compensation", "--amount", "70")
        ok("waive", case, "--kind", "compensation", "--amount", "70", "--reason", "goodwill")
        balance = show(case)["balance"]
        assert (balance["waived"], balance["outstanding"]) == ("70.00", "1200.00")

    def test_plan_takes_instalments_in_the_case_currency(self, ok, open_case, show,
                                                         last_event):
        case = open_case("--currency", "EUR")
        ok("plan", case, "--instalment", "2026-04-01:600", "--instalment", "2026-05-01:600.00")
        assert last_event(case)["data"]["instalments"] == [
            {"due_on": "2026-04-01", "amount": {"amount": "600.00", "currency": "EUR"}},
            {"due_on": "2026-05-01", "amount": {"amount": "600.00", "currency": "EUR"}}]
        assert (show(case)["on_hold"], show(case)["hold_reason"]) == (True, "plan")

    def test_settle_then_paying_the_settlement_closes_the_case(self, ok, case, show):
        ok("settle", case, "--amount", "1000", "--pay-by", "2026-03-31")
        ok("pay", case, "--amount", "1000")
        case_now = show(case)
        assert case_now["stage"] == "settled"
        assert case_now["balance"]["waived"] == "200.00"

    def test_write_off_gives_up_everything_by_default(self, ok, case, show):
        ok("write-off", case, "--reason", "debtor_vanished", "--notes", "dissolved")
        assert show(case)["stage"] == "written_off"
        assert show(case)["balance"]["written_off"] == "1200.00"

    def test_write_off_of_part_keeps_the_case_open(self, ok, case, show):
        ok("write-off", case, "--reason", "uncollectable", "--amount", "200")
        assert show(case)["balance"]["outstanding"] == "1000.00"
        assert show(case)["stage"] == "overdue"
