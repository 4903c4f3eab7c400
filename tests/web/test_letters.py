"""The case page's letters: a "Download letter (PDF)" link on each timeline entry with a
letter, the PDF served from the letter store, checked against its event's SHA-256.

INV-1003 (Bright Wholesale plc, GBP 5,000.00) was reminded by letter (version 2) and
demanded (version 4) in the seed; both have letters.
"""

from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path
from uuid import UUID

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader

from tests.web.pages_html import text


@pytest.fixture(autouse=True)
def pdf_here(pdf_ready: None) -> None:
    """Every test here reads a letter."""


def event(app: Flask, case_id: str, version: int) -> dict:
    history = app.extensions["arrears"].service.history(UUID(case_id))
    return next(e for e in history if e["version"] == version)


class TestTheDownload:
    def test_the_case_page_links_each_letter(self, client: FlaskClient, seeded):
        case_id = seeded["INV-1003"]
        html = text(client.get(f"/cases/{case_id}"))
        assert html.count("Download letter (PDF)") == 2
        for version in (2, 4):
            assert f'href="/cases/{case_id}/letters/{version}.pdf"' in html

    def test_serves_the_pdf_whose_hash_the_event_records(self, app, client, seeded):
        case_id = seeded["INV-1003"]
        response = client.get(f"/cases/{case_id}/letters/4.pdf")
        assert response.status_code == 200
        assert response.mimetype == "application/pdf"
        recorded = event(app, case_id, 4)["data"]["letter_sha256"]
        assert hashlib.sha256(response.data).hexdigest() == recorded
        assert response.headers["ETag"] == f'"{recorded}"'
        assert response.headers["Content-Disposition"] == \
            'attachment; filename="letter-INV-1003-v4.pdf"'
        page = " ".join(PdfReader(io.BytesIO(response.data)).pages[0].extract_text().split())
        assert "Formal demand for payment" in page and "Bright Wholesale plc" in page

    def test_the_reminder_by_letter_is_a_reminder(self, client, seeded):
        response = client.get(f"/cases/{seeded['INV-1003']}/letters/2.pdf")
        page = " ".join(PdfReader(io.BytesIO(response.data)).pages[0].extract_text().split())
        assert "Payment reminder" in page

    @pytest.mark.parametrize("version", [1, 3, 99])
    def test_an_event_without_a_letter_is_not_found(self, client, seeded, version):
        assert client.get(f"/cases/{seeded['INV-1003']}/letters/{version}.pdf"
                          ).status_code == 404

    def test_a_stored_letter_changed_since_is_not_served(self, app, client, seeded,
                                                         tmp_path: Path):
        case_id = seeded["INV-1003"]
        recorded = event(app, case_id, 4)["data"]["letter_sha256"]
        stored = tmp_path / "letters" / recorded[:2] / recorded[2:]
        os.chmod(stored, 0o640)
        stored.write_bytes(b"%PDF-1.7 something else\n")
        response = client.get(f"/cases/{case_id}/letters/4.pdf")
        assert response.status_code == 500
        assert "Stored letter not served" in text(response)
        assert b"something else" not in response.data
