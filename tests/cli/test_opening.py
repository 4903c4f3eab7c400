"""`arrears open`: a case for an unpaid invoice, named afterwards by number or id."""

from __future__ import annotations

from tests.cli.conftest import DUE, ISSUED, invoice


class TestOpening:
    def test_opens_a_case_with_every_invoice_detail(self, ok, show):
        number = invoice()
        opened = ok("open", number, "--debtor", "Van der Berg Bouw B.V.",
                    "--debtor-kind", "business", "--debtor-email", "ap@vdberg.example",
                    "--debtor-phone", "+31 20 794 6011", "--debtor-address", "Amsterdam",
                    "--debtor-tax-id", "NL123456789B01",
                    "--amount", "4,800.00", "--currency", "eur", "--issue-date", ISSUED,
                    "--due-date", DUE, "--interest-rate", "9.5", "--late-fee", "40",
                    "--payment-method", "bank_transfer", "--payment-method", "card",
                    "--contract-reference", "C-77", "--creditor", "Acme Ltd")
        assert opened["version"] == 1
        case = show(opened["case_id"])
        assert case["invoice_number"] == number
        assert case["creditor"] == "Acme Ltd"
        assert case["currency"] == "EUR"
        assert case["debtor"] == {"name": "Van der Berg Bouw B.V.", "kind": "business",
                                  "email": "ap@vdberg.example", "phone": "+31 20 794 6011",
                                  "address": "Amsterdam", "tax_id": "NL123456789B01"}
        assert case["balance"]["principal"] == "4800.00"
        assert case["terms"] == {"interest_rate": "9.5",
                                 "late_fee": {"amount": "40.00", "currency": "EUR"},
                                 "payment_methods": ["bank_transfer", "card"]}
        assert case["contract_reference"] == "C-77"

    def test_records_the_actor_and_the_day_it_happened(self, open_case, timeline):
        opened = timeline(open_case())[0]
        assert opened["type"] == "CaseOpened"
        assert (opened["actor"], opened["occurred_on"]) == ("priya.shah", ISSUED)
        assert opened["recorded_at"] == "2026-03-01T09:00:00+00:00"

    def test_defaults_the_day_to_the_issue_date_like_the_web_and_the_currency_to_gbp(
            self, ok, show, timeline):
        number = invoice()
        ok("open", number, "--debtor", "X Ltd", "--amount", "10", "--issue-date", ISSUED,
           "--due-date", DUE)
        assert show(number)["currency"] == "GBP"
        assert timeline(number)[0]["occurred_on"] == ISSUED

    def test_prints_the_opening_for_people(self, arrears):
        number = invoice()
        result = arrears("open", number, "--debtor", "X Ltd", "--amount", "1200",
                         "--issue-date", ISSUED, "--due-date", DUE)
        assert result.exit_code == 0
        assert f"Case {number}" in result.stdout
        assert f"Invoice {number} for GBP 1,200.00 opened against X Ltd" in result.stdout

    def test_refuses_a_second_case_for_the_same_invoice(self, arrears, case, timeline):
        result = arrears("open", case, "--debtor", "X Ltd", "--amount", "5",
                         "--issue-date", ISSUED, "--due-date", DUE)
        assert result.exit_code == 1
        assert result.stderr == (f"error: invoice_number: Demo Creditor Ltd already has a case "
                                 f"for invoice {case}\n")
        assert len(timeline(case)) == 1

    def test_the_same_invoice_number_may_belong_to_another_creditor(self, ok, case, show):
        ok("open", case, "--debtor", "X Ltd", "--amount", "5", "--issue-date", ISSUED,
           "--due-date", DUE, "--creditor", "Other Ltd")
        assert show(case)["balance"]["principal"] == "1200.00"
        assert ok("show", case, "--creditor", "Other Ltd")["balance"]["principal"] == "5.00"

    def test_names_the_option_of_a_refused_value(self, arrears):
        def refusal(*args: str) -> str:
            result = arrears("open", invoice(), "--debtor", "X Ltd", "--issue-date", ISSUED,
                             *args)
            assert result.exit_code == 2, result.stderr
            return result.stderr.strip()

        assert refusal("--amount", "-1", "--due-date", DUE) == \
            "error: --amount: must be more than zero, got -1"
        assert refusal("--amount", "1", "--due-date", "2025-12-31") == \
            "error: --due-date: 2025-12-31 is before the issue date (2026-01-01)"
        assert refusal("--amount", "1", "--due-date", DUE, "--currency", "pounds") == \
            "error: --currency: 'POUNDS' is not an ISO 4217 currency in use (e.g. EUR, GBP, USD)"
        assert refusal("--amount", "1", "--due-date", DUE, "--late-fee", "-2") == \
            "error: --late-fee: must be more than zero"
        assert refusal("--amount", "1", "--due-date", DUE, "--debtor-email", "nobody") == (
            "error: --debtor-email: 'nobody' is not an email address (An email address must "
            "have an @-sign.)")
        assert refusal("--amount", "1", "--due-date", DUE, "--on", "2025-12-01") == \
            "error: --on: 2025-12-01 is before the issue date (2026-01-01)"
