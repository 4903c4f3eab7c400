"""Matching credits to open invoices (application.payments_in.matching), and RF references."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from uuid import uuid4

import pytest

from application.payments_in.credits import Credit, Remitted
from application.payments_in.matching import (
    Match,
    OpenInvoice,
    Reason,
    Review,
    match,
    normalised_name,
)
from application.payments_in.rf import is_valid_rf, make_rf


def invoice(number: str, outstanding: str, due: str = "2026-01-31",
            debtor: str = "Harbour Lights Cafe Ltd", creditor: str = "Acme",
            currency: str = "GBP") -> OpenInvoice:
    return OpenInvoice(uuid4(), creditor, number, debtor, currency, Decimal(outstanding),
                       date.fromisoformat(due))


def credit(amount: str, remittance: str = "", debtor: str = "", references=(),
           remitted=(), currency: str = "GBP") -> Credit:
    return Credit("ACC", "REF", Decimal(amount), currency, date(2026, 2, 27), None, debtor,
                  remittance, tuple(references), tuple(remitted))


def shares(found: Match) -> list[tuple[str, Decimal]]:
    return [(p.invoice.invoice_number, p.amount) for p in found.parts]


class TestRf:
    def test_the_iso_11649_example_is_valid(self):
        assert is_valid_rf("RF18 5390 0754 7034")
        assert not is_valid_rf("RF19539007547034")

    def test_made_references_check(self):
        assert is_valid_rf(make_rf("INV-2026/17"))
        assert make_rf("539007547034") == "RF18539007547034"


class TestByReference:
    def test_an_invoice_number_in_the_remittance(self):
        a = invoice("INV-1", "500.00")
        found = match(credit("500.00", "payment INV-1 thanks"), [a, invoice("INV-10", "500")])
        assert isinstance(found, Match) and shares(found) == [("INV-1", Decimal("500.00"))]

    def test_a_credit_naming_two_invoices_pays_the_oldest_first(self):
        # 700.00 over INV-A (due 31 Jan, owes 500.00) and INV-B (due 28 Feb, owes 400.00):
        # INV-A takes 500.00 in full, INV-B the remaining 200.00.
        newer, older = invoice("INV-B", "400.00", "2026-02-28"), invoice("INV-A", "500.00")
        found = match(credit("700.00", "INV-B INV-A"), [newer, older])
        assert shares(found) == [("INV-A", Decimal("500.00")), ("INV-B", Decimal("200.00"))]

    def test_the_remittances_amounts_decide_the_split(self):
        a, b = invoice("INV-A", "500.00"), invoice("INV-B", "400.00", "2026-02-28")
        given = (Remitted("INV-A", Decimal("100.00")), Remitted("INV-B", Decimal("400.00")))
        found = match(credit("500.00", remitted=given), [a, b])
        assert shares(found) == [("INV-A", Decimal("100.00")), ("INV-B", Decimal("400.00"))]

    def test_a_structured_rf_reference(self):
        a = invoice("INV-2026/17", "80.00")
        found = match(credit("80.00", references=[make_rf("INV-2026/17")]), [a])
        assert shares(found) == [("INV-2026/17", Decimal("80.00"))]

    def test_an_rf_reference_with_wrong_check_digits_matches_nothing(self):
        a = invoice("INV202617", "80.00", debtor="Someone")
        wrong = "RF00INV202617"
        found = match(credit("80.00", references=[wrong]), [a])
        assert found == Review(Reason.UNMATCHED,
                               f"the creditor reference {wrong} fails its check digits")

    def test_an_overpayment_goes_to_review(self):
        found = match(credit("600.00", "INV-1"), [invoice("INV-1", "500.00")])
        assert found == Review(Reason.OVERPAYING, "pays 100.00 GBP more than INV-1 owe")

    def test_an_invoice_number_of_two_creditors_is_ambiguous(self):
        found = match(credit("5.00", "INV-1"), [invoice("INV-1", "5", creditor="A"),
                                                invoice("INV-1", "5", creditor="B")])
        assert isinstance(found, Review) and found.reason == Reason.AMBIGUOUS

    def test_another_currency_is_not_matched(self):
        found = match(credit("500.00", "INV-1", currency="EUR"), [invoice("INV-1", "500")])
        assert isinstance(found, Review) and found.reason == Reason.UNMATCHED


class TestByNameAndAmount:
    def test_the_debtors_name_and_the_exact_amount(self):
        a = invoice("INV-1", "450.00", debtor="Müller & Söhne GmbH")
        found = match(credit("450.00", "thanks", debtor="MULLER AND SOHNE"), [a])
        assert isinstance(found, Match) and found.by == "name and amount"

    def test_not_the_exact_amount_goes_to_review(self):
        found = match(credit("449.00", debtor="Harbour Lights Cafe"), [invoice("I", "450")])
        assert isinstance(found, Review) and found.reason == Reason.UNMATCHED
        assert "no open invoice of Harbour Lights Cafe owes exactly 449.00" in found.detail

    def test_two_invoices_of_the_same_amount_are_ambiguous(self):
        found = match(credit("450.00", debtor="Harbour Lights Cafe Ltd"),
                      [invoice("I1", "450.00"), invoice("I2", "450.00")])
        assert found == Review(Reason.AMBIGUOUS, "2 open invoices of Harbour Lights Cafe Ltd "
                               "owe exactly 450.00 GBP: I1, I2")

    def test_an_unknown_payer(self):
        found = match(credit("10.00", debtor="Stranger plc"), [invoice("I1", "10.00")])
        assert found == Review(Reason.UNMATCHED, "no invoice named in the remittance, and "
                               "Stranger plc owes nothing open")


@pytest.mark.parametrize(("name", "expected"), [
    ("Harbour Lights Café Ltd.", "harbour lights cafe"), ("  ACME  Limited ", "acme")])
def test_names_are_normalised(name, expected):
    assert normalised_name(name) == expected
