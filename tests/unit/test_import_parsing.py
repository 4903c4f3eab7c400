"""Reading import files: dates by locale, headers by layout, mapping files, amounts with
symbols, e-invoice elements. Pure parsing: nothing is stored."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from application.imports.dates import import_date
from application.imports.layouts import QUICKBOOKS, SAGE, XERO, recognise
from application.imports.mapping import load_mapping
from application.imports.reading import read_file
from application.imports.values import ImportedInvoice, ImportRefused, RowError
from domain.errors import InvalidValue
from tests.invoice_files import cii_invoice, csv_bytes, ubl_invoice, xlsx_bytes

TODAY = date(2026, 3, 1)


def rows(content: bytes, **options: object) -> list[ImportedInvoice | RowError]:
    return list(read_file("f", content, today=TODAY, limit=10 ** 7, **options).rows)


class TestDates:
    @pytest.mark.parametrize(("text", "locale", "day"), [
        ("2026-03-04", None, date(2026, 3, 4)),
        ("03/04/2026", "en_GB", date(2026, 4, 3)),
        ("03/04/2026", "en_US", date(2026, 3, 4)),
        ("04.03.26", "de_DE", date(2026, 3, 4)),
        ("13/04/2026", None, date(2026, 4, 13)),
        ("04/13/2026", None, date(2026, 4, 13)),
        ("2026/04/13", None, date(2026, 4, 13)),
    ])
    def test_read_in_the_locale_order_or_when_only_one_reading_is_possible(
            self, text: str, locale: str | None, day: date) -> None:
        assert import_date(text, "issue_date", TODAY, locale) == day

    def test_an_ambiguous_date_without_a_locale_is_refused_never_guessed(self) -> None:
        with pytest.raises(InvalidValue, match="ambiguous") as refused:
            import_date("03/04/2026", "due_date", TODAY, None)
        assert refused.value.field == "due_date"

    @pytest.mark.parametrize("text", ["31/02/2026", "yesterday", "2026-13-01"])
    def test_not_a_date(self, text: str) -> None:
        with pytest.raises(InvalidValue):
            import_date(text, "issue_date", TODAY, "en_GB")

    def test_an_unknown_locale_names_the_locale(self) -> None:
        with pytest.raises(InvalidValue) as refused:
            import_date("03/04/2026", "issue_date", TODAY, "xx_NOPE")
        assert refused.value.field == "locale"


class TestLayouts:
    @pytest.mark.parametrize(("header", "layout"), [
        (["ContactName", "EmailAddress", "InvoiceNumber", "InvoiceDate", "DueDate",
          "InvoiceAmountDue", "Currency"], XERO),
        (["Date", "Transaction type", "Num", "Customer", "Due date", "Amount",
          "Open balance"], QUICKBOOKS),
        (["TYPE", "DATE", "ACCOUNT_REF", "INV_REF", "DUE_DATE", "OUTSTANDING"], SAGE),
    ])
    def test_known_reports_are_recognised_by_their_headers(self, header, layout) -> None:
        found = recognise(header)
        assert found is not None and found[0] is layout

    def test_a_sage_row_names_the_account_as_the_debtor(self) -> None:
        header = ("TYPE", "DATE", "ACCOUNT_REF", "INV_REF", "DUE_DATE", "OUTSTANDING")
        [row] = rows(csv_bytes([("SI", "05/01/2026", "HARB001", "10234", "04/02/2026",
                                 "600.00")], header), locale="en_GB",
                     mapping=load_mapping('currency = "GBP"'))
        assert isinstance(row, ImportedInvoice)
        assert (row.debtor.name, row.invoice_number, row.due_date) == \
            ("HARB001", "10234", date(2026, 2, 4))


class TestSpreadsheetRows:
    def test_thousands_separators_and_symbols(self) -> None:
        header = ("invoice_number", "debtor_name", "issue_date", "due_date", "currency",
                  "amount_due")
        found = rows(csv_bytes([("A", "Ada", "2026-01-01", "2026-01-31", "GBP", "£12,500.00"),
                                ("B", "Bea", "2026-01-01", "2026-01-31", "JPY", "¥98,000"),
                                ("C", "Cy", "2026-01-01", "2026-01-31", "EUR", "£5.00"),
                                ("D", "Di", "2026-01-01", "2026-01-31", "JPY", "98000.50")],
                               header))
        assert [r.amount_due for r in found[:2]] == [Decimal("12500.00"), Decimal("98000")]
        assert isinstance(found[2], RowError) and found[2].field == "amount_due"
        assert "written in GBP but the currency column says EUR" in found[2].reason
        assert isinstance(found[3], RowError) and found[3].where == "row 5"

    def test_an_xlsx_invoice_number_stored_as_a_number_stays_whole(self) -> None:
        [row] = rows(xlsx_bytes([(1047.0, "Ada", date(2026, 1, 1), date(2026, 1, 31), "EUR",
                                  "Ada Ltd", 10)],
                                ("invoice_number", "debtor_name", "issue_date", "due_date",
                                 "currency", "debtor_address", "amount_due")))
        assert isinstance(row, ImportedInvoice) and row.invoice_number == "1047"

    def test_a_spreadsheet_credit_note_is_refused_for_its_row(self) -> None:
        header = ("Date", "Transaction type", "Num", "Customer", "Due date", "Open balance")
        [row] = rows(csv_bytes([("2026-01-01", "Credit Memo", "CM-1", "Ada", "", "£10.00")],
                               header))
        assert isinstance(row, RowError) and row.field == "document_type"


class TestMappingFiles:
    def test_a_mapping_names_the_columns(self) -> None:
        mapping = load_mapping('locale = "de_DE"\ncurrency = "EUR"\n[columns]\n'
                               'invoice_number = "Nr"\ndebtor_name = "Kunde"\n'
                               'issue_date = "Datum"\namount_due = "Offen"\n')
        [row] = rows(csv_bytes([("7/2026", "Zeller AG", "05.01.2026", "1.000,00")],
                               ("Nr", "Kunde", "Datum", "Offen"), delimiter=";"),
                     mapping=mapping)
        assert isinstance(row, ImportedInvoice)
        assert (row.amount_due, row.due_date) == (Decimal("1000.00"), None)

    @pytest.mark.parametrize(("text", "says"), [
        ("[columns]\ninvoice_number = 'N'\n", "must name debtor_name, issue_date, amount_due"),
        ("colour = 'red'\n", "unknown key 'colour'"),
        ("[columns]\nnumber = 'N'\n", "'number' is no field"),
        ("currency = 'XYZ'\n", "not an ISO 4217 currency"),
        ("= nonsense", "not valid TOML"),
    ])
    def test_a_bad_mapping_file_says_what_is_wrong(self, text: str, says: str) -> None:
        with pytest.raises(ImportRefused, match=says):
            load_mapping(text)


class TestEInvoiceElements:
    def test_a_missing_element_is_named(self) -> None:
        currency = b"<cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>"
        xml = ubl_invoice("X-1").replace(currency, b"")
        [row] = rows(xml)
        assert isinstance(row, RowError)
        assert (row.where, row.field) == ("element cbc:DocumentCurrencyCode", "currency")

    def test_a_bad_amount_names_its_element(self) -> None:
        [row] = rows(cii_invoice("X-2", currency="JPY", payable="100.50"))
        assert isinstance(row, RowError) and row.field == "amount_due"
        assert row.where.endswith("ram:DuePayableAmount")

    def test_an_unknown_cii_type_is_refused(self) -> None:
        [row] = rows(cii_invoice("X-3", type_code="999"))
        assert isinstance(row, RowError) and row.field == "document_type"

    def test_an_empty_file_is_refused_whole(self) -> None:
        with pytest.raises(ImportRefused, match="empty"):
            rows(b"")
