"""The case page's documents (the upload form, the list, downloads) and the case as it was
known at a recorded time (`?as_of=`)."""

from __future__ import annotations

import hashlib
import io
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from flask import Flask
from flask.testing import FlaskClient

from application.attachments.policy import AttachmentPolicy, Upload
from application.attachments.types import PDF
from tests import attachment_files as files
from tests.web.conftest import Seeder
from tests.web.pages_html import field_error, section, text, unlabelled


def attach(client: FlaskClient, case_id: str, name: str, content: bytes, **fields: str):
    return client.post(f"/cases/{case_id}/attach_document",
                       data={"file": (io.BytesIO(content), name), **fields},
                       content_type="multipart/form-data")


@pytest.fixture
def case_id(seeded: dict[str, str]) -> str:
    return seeded["INV-1001"]


@pytest.fixture
def blobs(app: Flask) -> Path:
    return app.extensions["arrears"].attachments.blobs.root


def stored(blobs: Path) -> list[Path]:
    return [p for p in blobs.rglob("*") if p.is_file()] if blobs.exists() else []


def event_types(app: Flask, case_id: str) -> list[str]:
    return [row["event_type"] for row in app.extensions["arrears"].views.timeline(case_id)]


class TestTheUploadForm:
    def test_is_a_labelled_multipart_form_telling_the_types_and_the_limit(self, client,
                                                                          case_id):
        html = text(client.get(f"/cases/{case_id}"))
        form = section(html, "form-attach_document")
        assert (f'action="/cases/{case_id}/attach_document" enctype="multipart/form-data"'
                in form)
        assert 'type="file"' in form and 'accept="application/pdf,' in form
        assert "at most 20 MiB. The type is read from the file." in form
        assert "Kind of document" in form
        assert unlabelled(html) == []

    def test_a_closed_case_still_offers_it(self, client, seeded):
        html = text(client.get(f"/cases/{seeded['INV-1006']}"))
        assert f'action="/cases/{seeded["INV-1006"]}/attach_document"' in html

    def test_no_documents_yet(self, client, case_id):
        assert "No documents attached." in section(text(client.get(f"/cases/{case_id}")),
                                                    "attachments")


class TestAttaching:
    def test_records_it_and_lists_it_with_a_download_link(self, app, client, case_id):
        response = attach(client, case_id, "contract.pdf", files.pdf(), kind="contract",
                          description="Signed by both", occurred_on="2026-02-27")
        assert response.status_code == 303
        page = text(client.get(response.headers["Location"]))
        assert ("Recorded: Document attached: contract.pdf (contract; PDF document, "
                f"{len(files.pdf())} bytes)") in page
        listed = section(page, "attachments")
        sha = hashlib.sha256(files.pdf()).hexdigest()
        assert f'href="/cases/{case_id}/attachments/{sha}"' in listed
        assert "Signed by both" in listed and "2026-02-27" in listed and sha in listed
        assert event_types(app, case_id)[-1] == "AttachmentAdded"

    def test_the_download_gives_back_the_same_bytes(self, client, case_id):
        attach(client, case_id, "transcript.txt", files.text(), kind="transcript")
        sha = hashlib.sha256(files.text()).hexdigest()
        response = client.get(f"/cases/{case_id}/attachments/{sha}")
        assert response.status_code == 200
        assert response.data == files.text()
        assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
        assert response.headers["Content-Disposition"].startswith(
            'attachment; filename="transcript.txt"')
        assert response.headers["X-Content-Type-Options"] == "nosniff"

    def test_the_timeline_and_the_audit_trail_show_it(self, client, case_id):
        attach(client, case_id, "contract.pdf", files.pdf(), kind="contract")
        timeline = section(text(client.get(f"/cases/{case_id}")), "timeline")
        assert "AttachmentAdded" in timeline and "Kind of document" in timeline
        assert "SHA-256" in timeline
        audit = text(client.get("/audit?event_type=AttachmentAdded"))
        assert "Document attached: contract.pdf" in audit

    def test_a_closed_case_takes_one(self, app, client, seeded):
        response = attach(client, seeded["INV-1006"], "receipt.pdf", files.pdf())
        assert response.status_code == 303
        assert event_types(app, seeded["INV-1006"])[-1] == "AttachmentAdded"


class TestRefusedWithNothingStored:
    @pytest.fixture
    def only_pdf(self, app: Flask) -> None:
        app.extensions["arrears"].attachments.policy = AttachmentPolicy(max_bytes=1024,
                                                                        allowed=(PDF,))

    def refused(self, app, response, case_id, blobs, status: int) -> str:
        assert response.status_code == status
        html = text(response)
        assert "Nothing was stored." in html
        assert 'id="form-attach_document" open' in html
        assert event_types(app, case_id)[-1] != "AttachmentAdded"
        assert stored(blobs) == []
        return field_error(html, "attach_document-file") or ""

    def test_a_pdf_named_png_that_is_not_allowed(self, app, client, case_id, blobs,
                                                 only_pdf):
        response = attach(client, case_id, "invoice.pdf", files.png(), kind="invoice",
                          description="kept")
        message = self.refused(app, response, case_id, blobs, 415)
        assert message == ("the content of 'invoice.pdf' is a PNG image (image/png), which "
                           "may not be attached; allowed: PDF document")
        assert ">kept</textarea>" in text(response)  # the other fields are kept

    def test_an_oversized_file(self, app, client, case_id, blobs, only_pdf):
        response = attach(client, case_id, "big.pdf", files.pdf() + b"%" * 1024)
        assert "at most 1 KiB (1,024 bytes) may be attached" in self.refused(
            app, response, case_id, blobs, 413)

    def test_a_disallowed_type(self, app, client, case_id, blobs):
        response = attach(client, case_id, "bundle.docx", files.zip_archive())
        assert "is of type application/zip, which may not be attached" in self.refused(
            app, response, case_id, blobs, 415)

    def test_no_file_chosen(self, app, client, case_id, blobs):
        response = client.post(f"/cases/{case_id}/attach_document",
                               data={"file": (io.BytesIO(b""), ""), "kind": "contract"},
                               content_type="multipart/form-data")
        assert self.refused(app, response, case_id, blobs, 400) == "choose a file to attach"

    def test_the_same_content_twice(self, app, client, case_id, blobs):
        attach(client, case_id, "contract.pdf", files.pdf())
        response = attach(client, case_id, "copy.pdf", files.pdf())
        assert response.status_code == 409
        assert field_error(text(response), "attach_document-file") == (
            "this content is already attached to the case as 'contract.pdf'")
        assert event_types(app, case_id).count("AttachmentAdded") == 1
        assert len(stored(blobs)) == 1

    def test_a_date_before_the_invoice(self, app, client, case_id, blobs):
        response = attach(client, case_id, "c.pdf", files.pdf(), occurred_on="2025-01-01")
        assert response.status_code == 422
        assert field_error(text(response), "attach_document-occurred_on")
        assert stored(blobs) == []


class TestAStoredFileThatNoLongerMatches:
    def test_is_refused_loudly_not_served(self, client, case_id, blobs, caplog):
        attach(client, case_id, "contract.pdf", files.pdf())
        sha = hashlib.sha256(files.pdf()).hexdigest()
        path = blobs / sha[:2] / sha[2:]
        path.chmod(0o640)
        path.write_bytes(files.pdf("forged"))
        response = client.get(f"/cases/{case_id}/attachments/{sha}")
        assert response.status_code == 500
        html = text(response)
        assert "no longer matches the SHA-256 recorded when it was attached" in html
        assert "Traceback" not in html and "forged" not in html
        assert any(r.levelname == "ERROR" and sha in r.getMessage() for r in caplog.records)

    def test_an_unknown_document_is_404(self, client, case_id):
        assert client.get(f"/cases/{case_id}/attachments/{'0' * 64}").status_code == 404
        assert client.get(f"/cases/{case_id}/attachments/..%2F..%2Fetc").status_code == 404


@pytest.fixture
def later(app: Flask, seeder: Seeder, case_id: str) -> dict[str, Any]:
    """INV-1001 (seeded, recorded 2026-03-02 09:00): a document and a payment of EUR 500
    recorded a day later, a note two days later."""
    clock = app.config["CLOCK"]
    clock.advance(days=1)
    app.extensions["arrears"].attachments.attach(
        Upload("letter.pdf", files.pdf("letter")), case_id=UUID(case_id), actor="ann")
    seeder.run("INV-1001", "record_payment", date(2026, 3, 3), amount="500.00",
               method="card")
    clock.advance(days=1)
    seeder.run("INV-1001", "add_note", date(2026, 3, 4), text="Rang again")
    app.extensions["arrears"].projector.catch_up()
    return {"case_id": case_id, "before": "2026-03-02T12:00:00Z", "between": "2026-03-03"}


class TestTheCaseAsKnownAtATime:
    def test_hides_later_events_and_shows_the_balance_then(self, client, later):
        html = text(client.get(f"/cases/{later['case_id']}?as_of={later['before']}"))
        assert "As known on 2026-03-02 12:00:00 UTC" in html
        assert "3 events recorded later are not shown" in html
        timeline = section(html, "timeline")
        assert re.findall(r'class="event-type">(\w+)<', timeline) == [
            "CaseOpened", "ReminderSent"]
        money = section(html, "money")
        assert "EUR 1,200.00" in money and "EUR 500.00" not in money
        assert "No documents attached by then." in section(html, "attachments")
        assert "Outstanding as known then" in html

    def test_between_shows_what_was_known_by_the_end_of_that_day(self, client, later):
        html = text(client.get(f"/cases/{later['case_id']}?as_of={later['between']}"))
        assert "As known on 2026-03-03 23:59:59 UTC" in html
        assert re.findall(r'class="event-type">(\w+)<', section(html, "timeline")) == [
            "CaseOpened", "ReminderSent", "AttachmentAdded", "PaymentReceived"]
        assert "EUR 700.00" in section(html, "money")
        assert "letter.pdf" in section(html, "attachments")
        assert "1 event recorded later is not shown" in html

    def test_now_shows_everything(self, client, later):
        html = text(client.get(f"/cases/{later['case_id']}"))
        assert "As known on" not in html
        assert len(re.findall(r'class="event-type">', section(html, "timeline"))) == 5

    def test_offers_no_forms_to_record_into_the_past(self, client, later):
        html = text(client.get(f"/cases/{later['case_id']}?as_of={later['before']}"))
        assert 'method="post"' not in html
        assert "Events are recorded on" in html
        assert f'href="/cases/{later["case_id"]}">the case as it stands now' in html

    def test_has_a_form_to_choose_the_time(self, client, later):
        html = text(client.get(f"/cases/{later['case_id']}?as_of={later['between']}"))
        form = section(html, "timeline")
        assert 'method="get"' in form and 'name="as_of"' in form
        assert 'value="2026-03-03"' in form
        assert unlabelled(html) == []

    @pytest.mark.parametrize(("as_of", "notice"), [
        ("2026-02-30", "Ignored as of &#39;2026-02-30&#39;: &#39;2026-02-30&#39; is not a real "
                       "calendar date."),
        ("2026-03-02T10:00", "has no UTC offset"),
        ("2026-03-01", "the case was first recorded at 2026-03-02T09:00:00+00:00"),
    ])
    def test_a_time_it_cannot_use_is_ignored_with_a_notice(self, client, later, as_of,
                                                          notice):
        response = client.get(f"/cases/{later['case_id']}", query_string={"as_of": as_of})
        assert response.status_code == 200
        html = text(response)
        assert notice in html
        assert "As known on" not in html
        assert 'method="post"' in html  # the case as it stands now

    def test_the_business_day_is_the_day_of_that_time(self, client, later):
        html = text(client.get(f"/cases/{later['case_id']}?as_of=2026-03-02"))
        assert "Seen on 2026-03-02" in html
        next_day = (date(2026, 3, 2) + timedelta(days=1)).isoformat()
        assert f"Seen on {next_day}" not in html
