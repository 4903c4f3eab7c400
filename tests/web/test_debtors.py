"""The debtor page: their key, tax id and last contact; the hold on the debtor placed and
lifted by its forms and shown on each of their case pages; the statement of account as a
page and as a PDF. Today is 2026-03-02; Acme Trading Ltd has INV-1001 (EUR 1,200.00) and
INV-1002 (EUR 800.00)."""

from __future__ import annotations

import io
from html import unescape

from flask.testing import FlaskClient
from pypdf import PdfReader

from tests.web.pages_html import section, text

ACME = "/debtors/email:accounts@acme.example"


class TestTheDebtorPage:
    def test_is_found_by_key_or_by_name(self, client: FlaskClient) -> None:
        by_name = text(client.get("/debtors/ACME Trading Ltd."))
        assert "accounts@acme.example" in by_name
        assert client.get(ACME).status_code == 200

    def test_shows_the_last_contact(self, client: FlaskClient) -> None:
        html = text(client.get(ACME))
        assert "invoice INV-100" in section(html, "last-contact")


class TestAHoldOnTheDebtor:
    def test_placed_by_the_form_it_shows_on_every_case_of_theirs(
            self, client: FlaskClient, seeded: dict[str, str]) -> None:
        response = client.post("/debtors/hold/" + ACME.removeprefix("/debtors/"),
                               data={"reason": "insolvency proceedings", "until": ""})
        assert response.status_code == 303
        assert "insolvency proceedings" in section(text(client.get(ACME)), "hold-now")
        for invoice in ("INV-1001", "INV-1002"):
            page = text(client.get(f"/cases/{seeded[invoice]}"))
            assert "insolvency proceedings, until lifted" in unescape(
                section(page, "debtor-hold"))
        other = text(client.get(f"/cases/{seeded['INV-1003']}"))
        assert 'id="debtor-hold"' not in other

    def test_lifted_by_the_form_it_is_gone(self, client: FlaskClient,
                                           seeded: dict[str, str]) -> None:
        key = ACME.removeprefix("/debtors/")
        client.post(f"/debtors/hold/{key}", data={"reason": "negotiation"})
        assert client.post(f"/debtors/release/{key}", data={}).status_code == 303
        assert 'id="debtor-hold"' not in text(client.get(f"/cases/{seeded['INV-1001']}"))

    def test_an_end_date_in_the_past_is_refused_naming_the_field(
            self, client: FlaskClient) -> None:
        response = client.post("/debtors/hold/email:accounts@acme.example",
                               data={"reason": "negotiation", "until": "2026-03-01"})
        assert response.status_code == 400
        assert "until: must not be before today (2026-03-02)" in text(response)


class TestTheStatement:
    def test_the_page_lists_the_open_invoices_and_the_total(self, client: FlaskClient) -> None:
        html = text(client.get("/debtors/statement/email:accounts@acme.example"))
        assert "INV-1001" in html and "INV-1002" in html
        # 1,200.00 + 800.00, nothing paid: EUR 2,000.00
        assert "EUR 2,000.00" in section(html, "currency-EUR")

    def test_the_pdf_says_the_same(self, client: FlaskClient, pdf_ready: None) -> None:
        response = client.get("/debtors/statement-pdf/email:accounts@acme.example")
        assert response.mimetype == "application/pdf"
        pdf = PdfReader(io.BytesIO(response.data))
        words = "\n".join(page.extract_text() for page in pdf.pages)
        assert "INV-1001" in words and "Total EUR" in words and "EUR 2,000.00" in words
