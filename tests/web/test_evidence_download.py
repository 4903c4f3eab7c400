"""The case page's evidence bundle: a zip to download, recorded on the case and the audit
trail as downloaded from the case page, by whom."""

from __future__ import annotations

import hashlib
import io
import zipfile
from uuid import UUID

import pytest
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from flask import Flask
from flask.testing import FlaskClient

from application.bundles import layout
from application.bundles.verify import verify_bundle
from application.bundles.wiring import chain_rules
from application.readmodels.queries import AuditFilter
from tests.web.pages_html import text
from web.pages.evidence import sources


def download(client: FlaskClient, case_id: str, **headers: str):
    return client.get(f"/cases/{case_id}/evidence.zip", headers=headers, buffered=True)


@pytest.fixture
def downloaded(pdf_ready, client: FlaskClient, seeded: dict[str, str]):
    response = download(client, seeded["INV-1003"])
    assert response.status_code == 200, text(response)
    return response


class TestTheDownload:
    def test_is_a_zip_named_after_the_invoice_and_the_events_it_covers(self, downloaded):
        assert downloaded.mimetype == "application/zip"
        assert downloaded.headers["Content-Disposition"] == \
            "attachment; filename=evidence-INV-1003-v4.zip"
        assert downloaded.headers["Cache-Control"] == "no-store"
        with zipfile.ZipFile(io.BytesIO(downloaded.data)) as archive:
            assert layout.PDF in archive.namelist()

    def test_verifies_against_the_installations_key(self, downloaded, app: Flask, tmp_path):
        path = tmp_path / "download.zip"
        path.write_bytes(downloaded.data)
        with app.app_context():
            key = load_pem_public_key(sources().signer.public_key_pem())
        verdict = verify_bundle(path, chain_rules(), key)
        assert verdict.verified, verdict.problems
        assert verdict.manifest["case"]["invoice_number"] == "INV-1003"

    def test_is_recorded_on_the_case_page_and_in_the_audit_trail(self, downloaded, client, app,
                                                                 seeded):
        digest = hashlib.sha256(downloaded.data).hexdigest()
        summary = (f"Evidence bundle of events 1 to 4 downloaded from the case page: 8 files, "
                   f"SHA-256 {digest}")
        assert summary in text(client.get(f"/cases/{seeded['INV-1003']}"))
        rows = app.extensions["arrears"].views.audit(
            AuditFilter(event_type="EvidenceBundleProduced"), 1, 10).rows
        assert [(r["invoice_number"], r["actor"], r["summary"]) for r in rows] == [
            ("INV-1003", "web-test", summary)]

    def test_of_a_closed_case_works_too(self, pdf_ready, client, seeded):
        response = download(client, seeded["INV-1006"])  # paid
        assert response.status_code == 200
        assert "evidence-INV-1006-v3.zip" in response.headers["Content-Disposition"]

    def test_each_download_is_recorded_again(self, downloaded, client, seeded, app):
        again = download(client, seeded["INV-1003"])
        assert "evidence-INV-1003-v5.zip" in again.headers["Content-Disposition"]
        history = app.extensions["arrears"].service.history(
            UUID(seeded["INV-1003"]))
        assert [e["type"] for e in history[-2:]] == ["EvidenceBundleProduced"] * 2


class TestWhatIsRefused:
    @pytest.mark.parametrize("case_id", ["not-a-uuid", "00000000-0000-0000-0000-000000000007"])
    def test_no_such_case_is_404(self, pdf_ready, client, case_id):
        assert download(client, case_id).status_code == 404

    def test_another_site_asking_for_it_is_403_and_nothing_is_recorded(self, client, seeded,
                                                                       app):
        response = download(client, seeded["INV-1003"], **{"Sec-Fetch-Site": "cross-site"})
        assert response.status_code == 403
        history = app.extensions["arrears"].service.history(
            UUID(seeded["INV-1003"]))
        assert history[-1]["type"] == "DemandIssued"


class TestTheCasePage:
    def test_links_to_the_download(self, client, seeded):
        html = text(client.get(f"/cases/{seeded['INV-1001']}"))
        assert (f'<a class="button secondary" id="evidence-bundle" '
                f'href="/cases/{seeded["INV-1001"]}/evidence.zip" download>'
                "Download evidence bundle</a>") in html
