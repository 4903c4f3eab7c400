"""The upload page for invoices: files in, the summary shown, the same rules as the CLI."""

from __future__ import annotations

import io

from flask import Flask

from tests.invoice_files import csv_bytes, rendered_pdf, ubl_invoice
from tests.web.pages_html import text

ROWS = [("WEB/2026/1", "Quayside Books Ltd", "", "2026-01-05", "2026-02-04", "GBP",
         "1,250.00")]


def upload(app: Flask, *files: tuple[bytes, str], **fields: str):  # type: ignore[no-untyped-def]
    client = app.test_client(user="web-test")
    data = {"file": [(io.BytesIO(content), name) for content, name in files], **fields}
    return client.post("/imports/new", data=data, content_type="multipart/form-data")


class TestTheUploadPage:
    def test_the_form_offers_files_and_the_options(self, app: Flask) -> None:
        html = text(app.test_client(user="web-test").get("/imports/new"))
        assert 'type="file"' in html and 'name="dry_run"' in html
        assert 'name="csrf_token"' in html

    def test_an_export_becomes_cases_and_the_page_says_so(self, app: Flask) -> None:
        response = upload(app, (csv_bytes(ROWS), "open.csv"))
        assert response.status_code == 200
        html = text(response)
        assert "1 created, 0 unchanged, 0 updated, 0 refused" in html
        assert "WEB/2026/1" in html
        again = text(upload(app, (csv_bytes(ROWS), "open.csv")))
        assert "0 created, 1 unchanged" in again

    def test_a_refused_file_is_named_with_its_reason(self, app: Flask) -> None:
        response = upload(app, (rendered_pdf(), "scan.pdf"),
                          (ubl_invoice("WEB-U-1", currency="GBP"), "u.xml"))
        assert response.status_code == 400
        html = text(response)
        assert "scan.pdf" in html and "a PDF without an embedded invoice" in html
        assert "1 created" in html  # the good file lands

    def test_a_dry_run_stores_nothing(self, app: Flask) -> None:
        rows = [("WEB/2026/9", *ROWS[0][1:])]
        assert "Dry run: nothing stored" in text(upload(app, (csv_bytes(rows), "o.csv"),
                                                        dry_run="y"))
        assert "1 created" in text(upload(app, (csv_bytes(rows), "o.csv")))

    def test_no_file_is_refused(self, app: Flask) -> None:
        response = app.test_client(user="web-test").post("/imports/new", data={})
        assert response.status_code == 400
        assert "choose 1 to 20 files" in text(response)

    def test_a_full_export_missing_an_invoice_sets_a_task_the_case_page_offers(
            self, app: Flask) -> None:
        from domain.case import case_id_for

        rows = [("WEB/2026/20", *ROWS[0][1:]), ("WEB/2026/21", *ROWS[0][1:])]
        upload(app, (csv_bytes(rows), "jan.csv"))
        html = text(upload(app, (csv_bytes(rows[1:]), "feb.csv"), full="y"))
        assert "no longer open in the ledger — confirm payment" in html
        creditor = app.extensions["arrears"].service.default_creditor
        case = text(app.test_client(user="web-test").get(
            f"/cases/{case_id_for(creditor, 'WEB/2026/20')}"))
        assert "no longer open in the ledger — confirm payment" in case
        assert "form=record_payment" in case
