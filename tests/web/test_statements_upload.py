"""The upload page for bank statements (/payments/import): the CLI's import-payments from a
browser. Today is 2026-03-02; the seeded cases are in tests/web/conftest.py."""

from __future__ import annotations

import io
from html import unescape
from uuid import UUID

from flask import Flask

from application.payments_in.review import queued
from tests.bank_files import Entry, Tx, camt
from tests.web.pages_html import text

MAPPING = b"""account = "GB33BUKB20201555555555"
currency = "EUR"
[columns]
date = "Date"
amount = "Amount"
reference = "Ref"
remittance = "Details"
payer = "Payer"
"""


def statement() -> bytes:
    """Pays INV-1004 (EUR 300.00) and INV-1007 (EUR 2,000.00) by the invoice numbers in the
    remittance, and brings EUR 55.00 from a payer no case knows."""
    return camt([
        Entry("300.00", ref="WEB-1", currency="EUR", booked="2026-03-01", value="2026-03-01",
              txs=[Tx(debtor="Carla Jensen", ustrd=("Invoice INV-1004",))]),
        Entry("2000.00", ref="WEB-2", currency="EUR", booked="2026-03-01", value="2026-03-01",
              txs=[Tx(debtor="Fern Logistics", ustrd=("INV-1007 thanks",))]),
        Entry("55.00", ref="WEB-3", currency="EUR", booked="2026-03-01", value="2026-03-01",
              txs=[Tx(debtor="Nobody We Know SA", ustrd=("a gift",))]),
    ]).encode()


def upload(app: Flask, *files: tuple[bytes, str], mapping: bytes | None = None,
           **fields: str):  # type: ignore[no-untyped-def]
    data: dict = {"file": [(io.BytesIO(content), name) for content, name in files], **fields}
    if mapping is not None:
        data["mapping"] = (io.BytesIO(mapping), "bank.toml")
    return app.test_client(user="web-test").post("/payments/import", data=data,
                                                 content_type="multipart/form-data")


def payments_of(app: Flask, case_id: str) -> list[dict]:
    service = app.extensions["arrears"].service
    return [e for e in service.history(UUID(case_id)) if e["type"] == "PaymentReceived"]


def stored_events(app: Flask, seeded: dict[str, str]) -> int:
    service = app.extensions["arrears"].service
    return sum(len(service.history(UUID(case_id))) for case_id in seeded.values())


class TestTheStatementUploadPage:
    def test_the_form_offers_files_a_mapping_and_a_dry_run(self, app: Flask) -> None:
        html = text(app.test_client(user="web-test").get("/payments/import"))
        assert 'type="file"' in html and 'name="mapping"' in html
        assert 'name="dry_run"' in html and 'name="csrf_token"' in html

    def test_a_statement_pays_two_invoices_and_leaves_an_unknown_credit_for_review(
            self, app: Flask, seeded: dict[str, str]) -> None:
        response = upload(app, (statement(), "march.xml"))
        assert response.status_code == 200, text(response)[-2000:]
        html = text(response)
        assert "2 matched, 0 already recorded, 1 sent to the review queue" in html
        assert 'href="/payments/unmatched"' in html and "Review the 1 credit" in html
        assert [p["data"]["amount"]["amount"] for p in payments_of(app, seeded["INV-1004"])] \
            == ["300.00"]
        assert [p["data"]["reference"] for p in payments_of(app, seeded["INV-1007"])] == [
            "WEB-2"]
        [row] = queued(app.extensions["arrears"].service)
        assert (row.credit.debtor_name, str(row.credit.amount)) == ("Nobody We Know SA",
                                                                   "55.00")
        review = text(app.test_client(user="web-test").get("/payments/unmatched"))
        assert "55.00 EUR from Nobody We Know SA" in review

    def test_the_same_statement_again_records_nothing_twice(
            self, app: Flask, seeded: dict[str, str]) -> None:
        upload(app, (statement(), "march.xml"))
        before = stored_events(app, seeded)
        again = upload(app, (statement(), "march-again.xml"))
        assert again.status_code == 200
        assert "0 matched, 3 already recorded, 0 sent to the review queue" in text(again)
        assert stored_events(app, seeded) == before
        assert len(payments_of(app, seeded["INV-1004"])) == 1
        assert len(queued(app.extensions["arrears"].service)) == 1

    def test_a_dry_run_shows_the_matches_and_stores_nothing(
            self, app: Flask, seeded: dict[str, str]) -> None:
        before = stored_events(app, seeded)
        html = text(upload(app, (statement(), "march.xml"), dry_run="y"))
        assert "Dry run: nothing stored" in html
        assert "2 matched, 0 already recorded, 1 sent to the review queue" in html
        assert stored_events(app, seeded) == before
        assert queued(app.extensions["arrears"].service) == []

    def test_a_bad_file_is_refused_by_name_and_nothing_is_stored(
            self, app: Flask, seeded: dict[str, str]) -> None:
        before = stored_events(app, seeded)
        bad = b"<?xml version='1.0'?><Invoice xmlns='urn:oasis:names:specification'/>"
        response = upload(app, (statement(), "good.xml"), (bad, "not-a-statement.xml"))
        assert response.status_code == 400
        html = text(response)
        assert "not-a-statement.xml: Document:" in html
        assert "nothing was stored" in html
        assert stored_events(app, seeded) == before
        assert queued(app.extensions["arrears"].service) == []

    def test_a_bad_entry_is_named_with_its_place_and_reason(
            self, app: Flask, seeded: dict[str, str]) -> None:
        bad = camt([Entry("12,5", ref="BAD-1", currency="EUR",
                          txs=[Tx(ustrd=("INV-1004",))])]).encode()
        response = upload(app, (bad, "odd.xml"))
        assert response.status_code == 400
        assert "odd.xml: Stmt 1 Ntry 1: " in text(response)
        assert payments_of(app, seeded["INV-1004"]) == []

    def test_a_csv_export_needs_its_mapping_and_is_read_by_it(
            self, app: Flask, seeded: dict[str, str]) -> None:
        export = (b"Date,Amount,Ref,Details,Payer\n"
                  b"2026-03-01,300.00,CSV-1,INV-1004,Carla Jensen\n")
        refused = upload(app, (export, "bank.csv"))
        assert refused.status_code == 400
        assert "bank.csv: mapping: not camt XML; a CSV bank export needs a mapping file" in \
            text(refused)
        done = upload(app, (export, "bank.csv"), mapping=MAPPING)
        assert "1 matched" in text(done)
        assert [p["data"]["reference"] for p in payments_of(app, seeded["INV-1004"])] == [
            "CSV-1"]

    def test_a_bad_mapping_is_refused(self, app: Flask, seeded: dict[str, str]) -> None:
        response = upload(app, (b"Date,Amount\n", "bank.csv"), mapping=b"account = 'x'\n")
        assert response.status_code == 400
        assert "mapping: bank.toml: [columns] must name the 'date' column" in unescape(
            text(response))

    def test_a_file_over_the_import_limit_is_refused(
            self, app: Flask, seeded: dict[str, str], monkeypatch) -> None:
        monkeypatch.setenv("ARREARS_IMPORT_MAX_BYTES", "100")
        response = upload(app, (statement(), "big.xml"))
        assert response.status_code == 400
        assert "big.xml: file: the file is larger than the 100 bytes an import may be" in \
            text(response)

    def test_no_file_is_refused(self, app: Flask) -> None:
        response = app.test_client(user="web-test").post("/payments/import", data={})
        assert response.status_code == 400
        assert "choose 1 to 20 files" in text(response)

    def test_the_invoice_upload_and_the_review_queue_link_to_it(self, app: Flask) -> None:
        client = app.test_client(user="web-test")
        for page in ("/imports/new", "/payments/unmatched"):
            assert 'href="/payments/import"' in text(client.get(page)), page
