"""arrears open --debtor-tax-id, hold-debtor, release-debtor and statement: today is
2026-03-01; the cases are due 2026-01-31 (29 days overdue)."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from tests.cli.conftest import DUE, ISSUED, invoice


@pytest.fixture
def of_debtor(ok):
    """Open a case for one debtor (by tax id, under the name given); its invoice number."""

    def opened(name: str = "Harbour Ltd", *extra: str, amount: str = "1200.00") -> str:
        number = invoice()
        ok("open", number, "--debtor", name, "--debtor-tax-id", "GB 123 4567 89",
           "--amount", amount, "--issue-date", ISSUED, "--due-date", DUE, "--on", ISSUED,
           *extra)
        return number

    return opened


class TestTheTaxId:
    def test_is_recorded_and_keys_the_debtor(self, of_debtor, ok, timeline):
        number = of_debtor()
        [opened] = [e for e in timeline(number) if e["type"] == "CaseOpened"]
        assert opened["data"]["debtor"]["tax_id"] == "GB 123 4567 89"
        listed = ok("list")["items"]
        assert [r["debtor_key"] for r in listed] == ["tax:GB123456789"]

    def test_two_names_one_tax_id_are_one_debtor(self, of_debtor, ok):
        of_debtor("Harbour Ltd")
        of_debtor("Harbour Limited")
        assert ok("list", "--debtor", "tax:GB123456789")["total"] == 2
        assert ok("list", "--debtor", "harbour limited")["total"] == 2

    def test_a_malformed_one_is_refused_naming_the_option(self, arrears):
        result = arrears("open", invoice(), "--debtor", "Harbour", "--debtor-tax-id", "GB<1>",
                         "--amount", "10", "--issue-date", ISSUED, "--due-date", DUE)
        assert result.exit_code == 2
        assert result.stderr.startswith("error: --debtor-tax-id: must be letters and digits")


class TestAHoldOnTheDebtor:
    def test_pauses_every_case_of_theirs_and_those_opened_later(self, of_debtor, ok):
        of_debtor()
        held = ok("hold-debtor", "Harbour Ltd", "--reason", "insolvency proceedings")
        assert held["debtor_key"] == "tax:GB123456789" and held["until"] is None
        of_debtor("Harbour Limited")  # opened while the hold lasts
        report = ok("schedule", "run")
        assert report["paused"] == {"debtor_hold": 2} and report["actions"] == []

    def test_released_the_cases_are_worked_again(self, of_debtor, ok):
        of_debtor()
        ok("hold-debtor", "tax:GB123456789", "--reason", "negotiating",
           "--until", "2026-03-31")
        assert ok("release-debtor", "tax:GB123456789")["released"] is True
        assert ok("schedule", "run")["steps"] == {"claim-interest": 1, "formal-demand": 1}

    def test_releasing_a_debtor_not_on_hold_is_refused(self, of_debtor, arrears):
        of_debtor()
        result = arrears("release-debtor", "tax:GB123456789")
        assert result.exit_code == 1
        assert "is not on hold" in result.stderr

    def test_an_unknown_debtor_is_refused(self, arrears):
        result = arrears("hold-debtor", "Nobody At All", "--reason", "x")
        assert result.exit_code == 2
        assert result.stderr.startswith("error: DEBTOR: no debtor 'Nobody At All'")

    def test_an_end_in_the_past_is_refused(self, of_debtor, arrears):
        of_debtor()
        result = arrears("hold-debtor", "Harbour Ltd", "--reason", "x", "--until",
                         "2026-02-01")
        assert result.exit_code == 2
        assert "--until: must not be before today (2026-03-01)" in result.stderr


class TestTheStatement:
    def test_a_long_invoice_number_is_kept_on_one_line(self, ok, arrears, tmp_path,
                                                         pdf_ready):
        number = "INV/2026/MMWW-004711"  # wide letters: it used to wrap in its column
        ok("open", number, "--debtor", "Harbour Ltd", "--amount", "1200.00",
           "--issue-date", ISSUED, "--due-date", DUE, "--on", ISSUED)
        out = tmp_path / "statement.pdf"
        assert arrears("statement", "Harbour Ltd", "--out", str(out)).exit_code == 0
        text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(out.read_bytes())).pages)
        assert number in text

    def test_the_pdf_states_each_open_invoice_and_the_totals_per_currency(
            self, of_debtor, ok, arrears, tmp_path, pdf_ready):
        # Two GBP invoices (1,200.00 and 300.00; 100.00 paid on the first) and one in EUR
        # (500.00): GBP balance 1,200.00 + 300.00 − 100.00 = 1,400.00; EUR 500.00 apart.
        first = of_debtor()
        of_debtor(amount="300.00")
        of_debtor("Harbour Ltd", "--currency", "EUR", amount="500.00")
        ok("pay", first, "--amount", "100.00", "--method", "bank_transfer")
        out = tmp_path / "statement.pdf"
        result = arrears("statement", "Harbour Ltd", "--out", str(out))
        assert result.exit_code == 0, result.stderr
        text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(out.read_bytes())).pages)
        assert "Statement of account" in text and "Harbour Ltd" in text
        assert first in text
        assert "Total GBP" in text and "GBP 1,400.00" in text and "GBP 100.00" in text
        assert "Total EUR" in text and "EUR 500.00" in text
        assert "GBP 1,900.00" not in text  # never added across currencies
