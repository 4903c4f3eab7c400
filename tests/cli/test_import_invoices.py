"""`arrears import-invoices`: spreadsheets and e-invoices become cases, once.

Today is 2026-03-01 (tests/cli/conftest.py); the files are written by the tests.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.invoice_files import (
    cii_invoice,
    csv_bytes,
    facturx_pdf,
    rendered_pdf,
    ubl_invoice,
    xlsx_bytes,
)


@pytest.fixture
def write(tmp_path: Path):  # type: ignore[no-untyped-def]
    def written(name: str, content: bytes | str) -> str:
        path = tmp_path / name
        path.write_bytes(content.encode() if isinstance(content, str) else content)
        return str(path)

    return written


@pytest.fixture
def imported(arrears):  # type: ignore[no-untyped-def]
    """Run import-invoices --json; return (exit code, summary)."""

    def run(*args: str) -> tuple[int, dict[str, Any]]:
        result = arrears("import-invoices", *args, "--json")
        assert result.exception is None or isinstance(result.exception, SystemExit), \
            result.exception
        return result.exit_code, json.loads(result.stdout)

    return run


def numbers(summary: dict[str, Any], outcome: str) -> list[str]:
    return [e["invoice_number"] for e in summary[outcome]]


JAN = [("INV/2026/001", "Harbour Lights Cafe Ltd", "ap@harbour.example", "2026-01-05",
        "2026-02-04", "GBP", "1,200.50"),
       ("INV/2026/002", "Kiyomi KK", "", "2026-01-10", "2026-02-09", "JPY", "120,000")]


class TestSpreadsheets:
    def test_a_generic_csv_opens_one_case_per_row(self, write, imported, show) -> None:
        code, summary = imported(write("jan.csv", csv_bytes(JAN)))
        assert code == 0
        assert numbers(summary, "created") == ["INV/2026/001", "INV/2026/002"]
        case = show("INV/2026/001")
        assert (case["balance"]["outstanding"], case["currency"]) == ("1200.50", "GBP")
        assert case["debtor"]["email"] == "ap@harbour.example"
        assert show("INV/2026/002")["balance"]["outstanding"] == "120000"  # JPY has no minor unit

    def test_the_same_file_again_changes_nothing(self, write, imported, timeline) -> None:
        path = write("jan.csv", csv_bytes(JAN))
        imported(path)
        before = len(timeline("INV/2026/001"))
        code, again = imported(path)
        assert code == 0
        assert numbers(again, "unchanged") == ["INV/2026/001", "INV/2026/002"]
        assert again["created"] == again["updated"] == []
        assert len(timeline("INV/2026/001")) == before

    def test_a_smaller_amount_in_a_later_export_is_a_payment_the_ledger_reports(
            self, write, imported, show, timeline) -> None:
        imported(write("jan.csv", csv_bytes(JAN)))
        feb = [(*JAN[0][:6], "700.50"), JAN[1]]
        code, summary = imported(write("feb.csv", csv_bytes(feb)))
        assert code == 0
        assert numbers(summary, "updated") == ["INV/2026/001"]
        assert numbers(summary, "unchanged") == ["INV/2026/002"]
        # 1,200.50 open in January, 700.50 in February: 500.00 paid.
        assert show("INV/2026/001")["balance"]["outstanding"] == "700.50"
        payment = [e for e in timeline("INV/2026/001") if e["type"] == "PaymentReceived"]
        assert [p["data"]["amount"]["amount"] for p in payment] == ["500.00"]
        assert payment[0]["data"]["reference"] == "ledger export feb.csv"
        # Importing February again records nothing more.
        _, again = imported(write("feb.csv", csv_bytes(feb)))
        assert numbers(again, "unchanged") == ["INV/2026/001", "INV/2026/002"]

    def test_a_larger_amount_in_a_later_export_is_refused_for_that_row(
            self, write, imported, show) -> None:
        imported(write("jan.csv", csv_bytes(JAN)))
        code, summary = imported(write("feb.csv", csv_bytes([(*JAN[0][:6], "1300.00")])))
        assert code == 1
        [refused] = summary["refused"]
        assert (refused["file"], refused["where"], refused["field"]) == \
            ("feb.csv", "row 2", "amount_due")
        assert "more than the 1200.50" in refused["reason"]
        assert show("INV/2026/001")["balance"]["outstanding"] == "1200.50"

    def test_an_invoice_gone_from_a_full_export_becomes_a_task(self, write, imported,
                                                                ok) -> None:
        imported(write("jan.csv", csv_bytes(JAN)))
        _, summary = imported(write("feb.csv", csv_bytes(JAN[1:])), "--full")
        assert [t["invoice_number"] for t in summary["tasks"]] == ["INV/2026/001"]
        tasks = ok("tasks")
        [task] = [t for t in tasks if t["invoice_number"] == "INV/2026/001"]
        assert task["what"] == "no longer open in the ledger — confirm payment"
        assert task["actions"] == ["record_payment"]
        _, again = imported(write("feb.csv", csv_bytes(JAN[1:])), "--full")
        assert again["tasks"] == []  # set once

    def test_a_semicolon_file_with_a_bom_in_a_german_locale(self, write, imported,
                                                             show) -> None:
        rows = [("RE/2026/17", "Bäckerei Sonnenschein GmbH", "", "05.01.2026", "04.02.2026",
                 "EUR", "1.234,56")]
        code, summary = imported(write("offen.csv", csv_bytes(rows, delimiter=";", bom=True)),
                                 "--locale", "de_DE")
        assert code == 0, summary
        case = show("RE/2026/17")
        assert (case["balance"]["outstanding"], case["issue_date"], case["due_date"]) == \
            ("1234.56", "2026-01-05", "2026-02-04")

    def test_an_ambiguous_date_without_a_locale_names_the_row(self, write, imported,
                                                                ok) -> None:
        rows = [("A-1", "Ada Ltd", "", "2026-01-05", "2026-02-04", "GBP", "10.00"),
                ("A-2", "Bea Ltd", "", "03/01/2026", "2026-02-04", "GBP", "10.00")]
        code, summary = imported(write("mixed.csv", csv_bytes(rows)))
        assert code == 1
        [refused] = summary["refused"]
        assert (refused["where"], refused["field"]) == ("row 3", "issue_date")
        assert "ambiguous" in refused["reason"] and "--locale" in refused["reason"]
        assert numbers(summary, "created") == ["A-1"]  # good rows land

    def test_all_or_nothing_stores_nothing_when_a_row_is_refused(self, write, imported,
                                                                   arrears) -> None:
        rows = [("A-1", "Ada Ltd", "", "2026-01-05", "2026-02-04", "GBP", "10.00"),
                ("A-2", "Bea Ltd", "", "2026-01-05", "2026-01-04", "GBP", "10.00")]
        code, summary = imported(write("bad.csv", csv_bytes(rows)), "--all-or-nothing")
        assert code == 1 and summary["stored"] is False
        [refused] = summary["refused"]
        assert refused["reason"] == "the due date 2026-01-04 is before the issue date 2026-01-05"
        assert arrears("show", "A-1").exit_code == 2

    def test_a_dry_run_stores_nothing(self, write, imported, arrears) -> None:
        code, summary = imported(write("jan.csv", csv_bytes(JAN)), "--dry-run")
        assert code == 0 and summary["dry_run"] is True and summary["stored"] is False
        assert numbers(summary, "created") == ["INV/2026/001", "INV/2026/002"]
        assert arrears("show", "INV/2026/001").exit_code == 2

    def test_a_csv_without_the_required_columns_is_refused_whole(self, write,
                                                                  imported) -> None:
        code, summary = imported(write("x.csv", "number,who\n1,Ada\n"))
        assert code == 1
        [refused] = summary["refused"]
        assert (refused["file"], refused["where"], refused["field"]) == ("x.csv", "file", "file")
        assert "no header row with the required columns" in refused["reason"]

    def test_an_xlsx_quickbooks_open_invoices_report_with_a_pound_sign(
            self, write, imported, show) -> None:
        header = ("Date", "Transaction type", "Num", "Customer", "Due date", "Amount",
                  "Open balance")
        rows = [(date(2026, 1, 7), "Invoice", "1047", "Fenwick & Daughters",
                 date(2026, 2, 6), "£2,000.00", "£1,500.00"),
                ("Total", None, None, None, None, None, "£1,500.00")]
        book = xlsx_bytes(rows, header, title=("Acme Ltd", "Open Invoices", "All Dates"))
        code, summary = imported(write("open.xlsx", book))
        assert code == 0, summary
        case = show("1047")
        assert (case["balance"]["outstanding"], case["currency"]) == ("1500.00", "GBP")

    def test_a_xero_export_and_a_mapping_file(self, write, imported, show) -> None:
        header = ("ContactName", "EmailAddress", "InvoiceNumber", "InvoiceDate", "DueDate",
                  "InvoiceAmountDue", "Currency")
        xero = [("Ada Ltd", "", "INV-0001", "2026-01-05", "2026-02-04", "99.00", "NZD")]
        assert imported(write("xero.csv", csv_bytes(xero, header)))[0] == 0
        assert show("INV-0001")["currency"] == "NZD"
        mapping = write("map.toml", 'currency = "CHF"\nlocale = "de_CH"\n[columns]\n'
                        'invoice_number = "Beleg"\ndebtor_name = "Kunde"\n'
                        'issue_date = "Datum"\namount_due = "Offen"\n')
        rows = [("B-9", "Zeller AG", "05.01.2026", "1'250.00")]
        code, summary = imported(write("ch.csv", csv_bytes(
            rows, ("Beleg", "Kunde", "Datum", "Offen"), delimiter=";")), "--mapping", mapping)
        assert code == 0, summary
        assert "no due date" in summary["warnings"][0]
        assert show("B-9")["due_date"] == "2026-02-04"  # 30 days, the default credit period

    def test_an_oversized_file_is_refused_before_it_is_read(self, write, arrears, env) -> None:
        env["ARREARS_IMPORT_MAX_BYTES"] = "100"
        result = arrears("import-invoices", write("big.csv", csv_bytes(JAN * 5)))
        assert result.exit_code == 2
        assert "at most 100 bytes may be imported" in result.stderr


class TestEInvoices:
    def test_a_ubl_invoice_and_its_cii_twin_make_one_case(self, write, imported,
                                                           show) -> None:
        code, first = imported(write("inv.xml", ubl_invoice("F-2026-9", payable="2380.00")))
        assert code == 0 and numbers(first, "created") == ["F-2026-9"]
        case = show("F-2026-9")
        assert case["debtor"]["address"] == "1 Quay Street, BS1 4XE, Bristol, GB"
        _, twin = imported(write("inv-cii.xml", cii_invoice("F-2026-9")))
        assert numbers(twin, "unchanged") == ["F-2026-9"]

    def test_an_xrechnung_pdf_becomes_a_case_with_the_pdf_kept(self, write, imported,
                                                               timeline, env) -> None:
        pdf = facturx_pdf(cii_invoice("RE-2026/0042"))
        code, summary = imported(write("rechnung.pdf", pdf))
        assert code == 0, summary
        [attached] = [e["data"] for e in timeline("RE-2026/0042")
                      if e["type"] == "AttachmentAdded"]
        sha = summary["files"][0]["sha256"]
        assert (attached["sha256"], attached["media_type"], attached["kind"]) == \
            (sha, "application/pdf", "invoice")
        stored = Path(env["ARREARS_BLOB_DIR"]) / sha[:2] / sha[2:]
        assert stored.read_bytes() == pdf

    def test_a_credit_note_reduces_the_invoice_it_names_once(self, write, imported, show,
                                                             timeline) -> None:
        imported(write("inv.xml", ubl_invoice("F-1", payable="1000.00")))
        note = write("cn.xml", ubl_invoice("CN-1", payable="250.00", credit_for="F-1"))
        code, summary = imported(note)
        assert code == 0 and numbers(summary, "updated") == ["CN-1"]
        assert show("F-1")["balance"]["outstanding"] == "750.00"
        [credit] = [e for e in timeline("F-1") if e["type"] == "WrittenOff"]
        assert credit["data"]["reason"] == "credit_note"
        _, again = imported(note)
        assert numbers(again, "unchanged") == ["CN-1"]
        assert show("F-1")["balance"]["outstanding"] == "750.00"

    def test_a_credit_note_for_an_unknown_invoice_is_refused(self, write, imported) -> None:
        code, summary = imported(write("cn.xml", cii_invoice("CN-7", type_code="381",
                                                             credit_for="NOPE-1")))
        assert code == 1
        [refused] = summary["refused"]
        assert refused["field"] == "credited_invoice"
        assert "names invoice NOPE-1, which has no case" in refused["reason"]

    def test_a_seller_not_configured_is_refused_unless_any_seller(self, write, imported,
                                                                    show) -> None:
        path = write("other.xml", ubl_invoice("O-1", seller="Client Two GmbH"))
        code, summary = imported(path)
        assert code == 1 and summary["refused"][0]["field"] == "creditor"
        assert "not a creditor of this installation" in summary["refused"][0]["reason"]
        code, summary = imported(path, "--any-seller")
        assert code == 0 and numbers(summary, "created") == ["O-1"]

    def test_show_finds_the_case_by_its_seller(self, write, imported, ok, env) -> None:
        env["ARREARS_CREDITORS"] = "Client Two GmbH; Client Three Ltd"
        imported(write("other.xml", ubl_invoice("O-2", seller="Client Two GmbH")))
        assert ok("show", "O-2", "--creditor", "Client Two GmbH")["creditor"] == \
            "Client Two GmbH"

    def test_a_missing_due_date_takes_the_payment_terms_or_the_credit_period(
            self, write, imported, show) -> None:
        _, summary = imported(write("t.xml", ubl_invoice("T-1", due=None,
                                                         terms="Payable within 14 days")))
        assert show("T-1")["due_date"] == "2026-01-19"
        assert "14 days from the payment terms" in summary["warnings"][0]
        _, summary = imported(write("n.xml", cii_invoice("T-2", due=None)))
        assert show("T-2")["due_date"] == "2026-02-04"
        assert "default credit period" in summary["warnings"][0]

    def test_a_due_date_before_the_issue_date_is_refused_saying_so(self, write,
                                                                   imported) -> None:
        _, summary = imported(write("d.xml", ubl_invoice("D-1", due=date(2026, 1, 1))))
        assert summary["refused"][0]["reason"] == \
            "the due date 2026-01-01 is before the issue date 2026-01-05"

    @pytest.mark.parametrize(("name", "content", "says"), [
        ("plain.pdf", None, "a PDF without an embedded invoice"),
        ("order.xml", b'<?xml version="1.0"?><Order xmlns="urn:example:order"/>',
         "XML of another schema"),
        ("bomb.xml", b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">'
                     b'<!ENTITY b "&a;&a;&a;&a;">]><r>&b;</r>', "entity declarations"),
        ("external.xml", b'<?xml version="1.0"?><!DOCTYPE r SYSTEM "http://127.0.0.1:9/x.dtd">'
                         b"<r/>", "DTD"),
    ])
    def test_bad_files_are_refused_with_a_message_and_nothing_stored(
            self, write, imported, name, content, says) -> None:
        code, summary = imported(write(name, content or rendered_pdf()))
        assert code == 1
        [refused] = summary["refused"]
        assert refused["file"] == name and says in refused["reason"]
        assert summary["created"] == summary["updated"] == []


class TestBigFiles:
    def test_a_big_file_shows_a_progress_bar_on_stderr(self, write, arrears) -> None:
        rows = [(f"P-{n:04d}", "Ada Ltd", "", "2026-01-05", "2026-02-04", "GBP", "10.00")
                for n in range(1000)]
        result = arrears("import-invoices", "--dry-run", write("big.csv", csv_bytes(rows)))
        assert result.exit_code == 0, result.stderr
        assert "importing" in result.stderr
        assert "1000 created" in result.stdout

    def test_the_same_invoice_twice_in_one_file_is_one_case(self, write, imported) -> None:
        code, summary = imported(write("dup.csv", csv_bytes([JAN[0], JAN[0]])))
        assert code == 0
        assert (numbers(summary, "created"), numbers(summary, "unchanged")) == \
            (["INV/2026/001"], ["INV/2026/001"])
