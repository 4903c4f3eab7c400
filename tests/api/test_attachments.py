"""The attachments API: upload (multipart/form-data), list, download; refusals store nothing."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path
from typing import Any

import pytest
from openapi_spec_validator import validate

from application.attachments.policy import AttachmentPolicy
from application.attachments.types import EMAIL, KNOWN, PDF
from tests import attachment_files as files
from tests.api.conftest import API
from web.uploading import content_disposition


def multipart(name: str, content: bytes, **fields: str) -> tuple[bytes, str]:
    """A multipart/form-data body made here: werkzeug's test client would spool a body over
    500 KiB to a temporary file it never closes."""
    boundary = "arrears-test-boundary"
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n'
             f"{value}\r\n".encode() for key, value in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
                 f'filename="{name}"\r\nContent-Type: application/octet-stream\r\n\r\n'
                 .encode() + content + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), \
        f"multipart/form-data; boundary={boundary}"


def upload(client, case_id: str, name: str, content: bytes, **fields: Any):
    body, content_type = multipart(name, content, **fields)
    return client.post(f"{API}/cases/{case_id}/attachments", data=body,
                       content_type=content_type)


@pytest.fixture
def case(open_case) -> dict[str, Any]:
    return open_case()


@pytest.fixture
def blobs(app) -> Path:
    return app.extensions["arrears"].attachments.blobs.root


@pytest.fixture
def restrict(app):
    """Change the app's attachment policy (the size limit, the allowed types)."""
    def to(**policy: Any) -> None:
        app.extensions["arrears"].attachments.policy = AttachmentPolicy(**policy)
    return to


def stored(blobs: Path) -> list[Path]:
    return [p for p in blobs.rglob("*") if p.is_file()] if blobs.exists() else []


def events(client, case_id: str) -> list[str]:
    return [e["type"] for e in client.get(f"{API}/cases/{case_id}/timeline").json["items"]]


class TestUploading:
    def test_records_the_document_and_says_where_to_download_it(self, client, case):
        reply = upload(client, case["case_id"], "contract.pdf", files.pdf(),
                       kind="contract", description="Signed", occurred_on="2025-12-05")
        assert reply.status_code == 201, reply.json
        sha = hashlib.sha256(files.pdf()).hexdigest()
        attachment = reply.json["attachment"]
        assert {k: attachment[k] for k in ("name", "media_type", "size", "sha256", "kind",
                                           "description", "occurred_on", "actor")} == {
            "name": "contract.pdf", "media_type": PDF, "size": len(files.pdf()),
            "sha256": sha, "kind": "contract", "description": "Signed",
            "occurred_on": "2025-12-05", "actor": "api-test"}
        download = f"{API}/cases/{case['case_id']}/attachments/{sha}"
        assert reply.headers["Location"] == download == attachment["download"]
        assert (reply.json["version"], reply.json["views_behind"]) == (2, 0)

    def test_lists_the_documents_in_the_order_recorded(self, client, case):
        upload(client, case["case_id"], "mail.eml", files.email(), kind="email")
        upload(client, case["case_id"], "notes.txt", files.text())
        listed = client.get(f"{API}/cases/{case['case_id']}/attachments").json
        assert [(a["name"], a["media_type"]) for a in listed["items"]] == [
            ("mail.eml", EMAIL), ("notes.txt", "text/plain")]

    def test_keeps_only_the_file_name_of_a_path(self, client, case):
        reply = upload(client, case["case_id"], "../../etc/passwd.txt", files.text())
        assert reply.json["attachment"]["name"] == "passwd.txt"

    def test_a_closed_case_takes_a_document(self, client, case, command):
        command(case["case_id"], "record_payment", amount="1000.00", method="card")
        assert upload(client, case["case_id"], "receipt.pdf", files.pdf()).status_code == 201

    def test_shows_in_the_timeline_and_the_audit_trail(self, client, case):
        upload(client, case["case_id"], "contract.pdf", files.pdf())
        assert events(client, case["case_id"])[-1] == "AttachmentAdded"
        audit = client.get(f"{API}/audit", query_string={"event_type": "AttachmentAdded"})
        assert [e["summary"] for e in audit.json["items"]] == [
            f"Document attached: contract.pdf (other; PDF document, {len(files.pdf())} bytes)"]


class TestDownloading:
    def test_gives_back_the_same_bytes_with_the_recorded_type(self, client, case):
        sha = upload(client, case["case_id"], "Vertrag über Miete.pdf",
                     files.pdf()).json["attachment"]["sha256"]
        reply = client.get(f"{API}/cases/{case['case_id']}/attachments/{sha}")
        assert reply.status_code == 200
        assert reply.data == files.pdf()
        assert reply.headers["Content-Type"] == PDF
        assert reply.headers["Content-Disposition"] == (
            "attachment; filename=\"Vertrag uber Miete.pdf\"; "
            "filename*=UTF-8''Vertrag%20%C3%BCber%20Miete.pdf")
        assert reply.headers["X-Content-Type-Options"] == "nosniff"
        assert reply.headers["ETag"] == f'"{sha}"'
        digest = base64.b64encode(hashlib.sha256(files.pdf()).digest()).decode()
        assert reply.headers["Repr-Digest"] == f"sha-256=:{digest}:"
        assert "sandbox" in reply.headers["Content-Security-Policy"]

    def test_a_name_with_quotes_cannot_break_out_of_the_header(self, client, case):
        sha = upload(client, case["case_id"], "it's; filename=evil.html", files.text()
                     ).json["attachment"]["sha256"]
        header = client.get(f"{API}/cases/{case['case_id']}/attachments/{sha}"
                            ).headers["Content-Disposition"]
        assert header == ("attachment; filename=\"it_s; filename=evil.html\"; "
                          "filename*=UTF-8''it%27s%3B%20filename%3Devil.html")
        assert content_disposition('a"b\\c.pdf') == (
            "attachment; filename=\"a_b_c.pdf\"; filename*=UTF-8''a%22b%5Cc.pdf")

    def test_text_is_served_as_utf_8_text(self, client, case):
        sha = upload(client, case["case_id"], "n.txt", files.text()).json["attachment"]["sha256"]
        reply = client.get(f"{API}/cases/{case['case_id']}/attachments/{sha}")
        assert reply.headers["Content-Type"] == "text/plain; charset=utf-8"

    def test_refuses_bytes_that_no_longer_match_their_hash(self, client, case, blobs):
        sha = upload(client, case["case_id"], "c.pdf", files.pdf()).json["attachment"]["sha256"]
        path = blobs / sha[:2] / sha[2:]
        path.chmod(0o640)
        path.write_bytes(files.pdf("forged"))
        reply = client.get(f"{API}/cases/{case['case_id']}/attachments/{sha}")
        assert reply.status_code == 500
        [message] = reply.json["errors"]["file"]
        assert message.startswith("The stored content of 'c.pdf' no longer matches the "
                                  f"SHA-256 recorded when it was attached ({sha})")

    def test_refuses_a_file_missing_from_the_store(self, client, case, blobs):
        sha = upload(client, case["case_id"], "c.pdf", files.pdf()).json["attachment"]["sha256"]
        (blobs / sha[:2] / sha[2:]).unlink()
        reply = client.get(f"{API}/cases/{case['case_id']}/attachments/{sha}")
        assert reply.status_code == 500
        assert "is missing from the blob store" in reply.json["errors"]["file"][0]

    @pytest.mark.parametrize("sha", ["0" * 64, "not-a-hash", "../../etc/passwd"])
    def test_a_document_not_attached_is_404(self, client, case, sha):
        reply = client.get(f"{API}/cases/{case['case_id']}/attachments/{sha}")
        assert reply.status_code == 404
        assert reply.json["errors"]

    def test_an_unknown_case_is_404(self, client):
        for url in (f"{API}/cases/00000000-0000-0000-0000-000000000000/attachments",
                    f"{API}/cases/nope/attachments/{'0' * 64}"):
            assert client.get(url).status_code == 404


class TestNothingIsStoredWhenRefused:
    def test_a_pdf_named_png_when_png_is_not_allowed(self, client, case, restrict, blobs):
        restrict(allowed=(PDF,))
        reply = upload(client, case["case_id"], "invoice.pdf", files.png())
        assert reply.status_code == 415
        assert reply.json == {"errors": {"file": [
            "the content of 'invoice.pdf' is a PNG image (image/png), which may not be "
            "attached; allowed: PDF document"]}}
        self.assert_nothing_stored(client, case, blobs)

    def test_a_file_over_the_limit(self, client, case, restrict, blobs):
        restrict(max_bytes=1024)
        reply = upload(client, case["case_id"], "big.txt", b"a" * 1025)
        assert reply.status_code == 413
        assert reply.json["errors"]["file"] == [
            "'big.txt' is 1 KiB (1,025 bytes); at most 1 KiB (1,024 bytes) may be attached"]
        self.assert_nothing_stored(client, case, blobs)

    def test_a_body_far_over_the_limit_is_not_read(self, client, case, restrict, blobs):
        restrict(max_bytes=1024)
        reply = upload(client, case["case_id"], "huge.txt", b"a" * (2 * 1024 * 1024))
        assert reply.status_code == 413
        assert reply.json["errors"]["file"] == [
            "the upload is larger than the 1 KiB a document may be; nothing was stored"]
        self.assert_nothing_stored(client, case, blobs)

    def test_content_of_a_type_not_allowed(self, client, case, blobs):
        reply = upload(client, case["case_id"], "bundle.pdf", files.zip_archive())
        assert reply.status_code == 415
        assert "is of type application/zip" in reply.json["errors"]["file"][0]
        self.assert_nothing_stored(client, case, blobs)

    def test_the_same_content_twice(self, client, case, blobs):
        upload(client, case["case_id"], "contract.pdf", files.pdf())
        reply = upload(client, case["case_id"], "copy.pdf", files.pdf())
        assert reply.status_code == 409
        assert reply.json["errors"]["file"] == [
            "this content is already attached to the case as 'contract.pdf'"]
        assert events(client, case["case_id"]) == ["CaseOpened", "AttachmentAdded"]
        assert len(stored(blobs)) == 1

    @pytest.mark.parametrize(("fields", "field"), [
        ({"kind": "photo"}, "kind"), ({"occurred_on": "2026-02-30"}, "occurred_on"),
        ({"surprise": "x"}, "surprise"), ({"description": "d" * 2001}, "description"),
    ])
    def test_a_field_it_cannot_read(self, client, case, blobs, fields, field):
        reply = upload(client, case["case_id"], "c.pdf", files.pdf(), **fields)
        assert reply.status_code == 400
        assert field in reply.json["errors"]
        self.assert_nothing_stored(client, case, blobs)

    def test_no_file(self, client, case, blobs):
        reply = client.post(f"{API}/cases/{case['case_id']}/attachments",
                            data={"kind": "contract"}, content_type="multipart/form-data")
        assert (reply.status_code, reply.json["errors"]) == (
            400, {"file": ["choose a file to attach"]})
        self.assert_nothing_stored(client, case, blobs)

    def test_a_json_body(self, client, case, blobs):
        reply = client.post(f"{API}/cases/{case['case_id']}/attachments", json={"file": "x"})
        assert reply.status_code == 415
        assert "multipart/form-data" in reply.json["errors"]["body"][0]
        self.assert_nothing_stored(client, case, blobs)

    def test_an_unknown_case(self, client, blobs):
        reply = upload(client, "00000000-0000-0000-0000-000000000000", "c.pdf", files.pdf())
        assert reply.status_code == 404
        assert stored(blobs) == []

    @staticmethod
    def assert_nothing_stored(client, case, blobs) -> None:
        assert events(client, case["case_id"]) == ["CaseOpened"]
        assert client.get(f"{API}/cases/{case['case_id']}/attachments").json["items"] == []
        assert stored(blobs) == []


class TestTheOpenApiDocument:
    @pytest.fixture
    def spec(self, client) -> dict:
        document = client.get(f"{API}/openapi.json").json
        validate(document)
        return document

    def test_describes_the_upload_as_a_multipart_form_with_a_binary_file(self, spec):
        post = spec["paths"]["/cases/{case_id}/attachments"]["post"]
        body = post["requestBody"]["content"]
        assert body == {"multipart/form-data": {
            "schema": {"$ref": "#/components/schemas/AttachDocument"}}}
        form = spec["components"]["schemas"]["AttachDocument"]
        assert form["required"] == ["file"]
        assert {k: form["properties"]["file"][k] for k in ("type", "format")} == {
            "type": "string", "format": "binary"}
        assert form["properties"]["kind"]["enum"][0] == "contract"
        assert set(post["responses"]) == {"201", "400", "404", "409", "413", "415", "422",
                                          "500"}
        assert "Location" in post["responses"]["201"]["headers"]

    def test_describes_the_download_in_every_type_it_can_be(self, spec):
        get = spec["paths"]["/cases/{case_id}/attachments/{sha256}"]["get"]
        assert set(get["responses"]["200"]["content"]) == set(KNOWN)
        assert get["responses"]["200"]["content"][PDF]["schema"] == {
            "type": "string", "format": "binary"}
        assert {"Content-Disposition", "ETag", "Repr-Digest"} <= set(
            get["responses"]["200"]["headers"])
        assert get["responses"]["404"]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/Errors"}

    def test_describes_the_list(self, spec):
        get = spec["paths"]["/cases/{case_id}/attachments"]["get"]
        assert get["responses"]["200"]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/Attachments"}
        item = spec["components"]["schemas"]["Attachment"]
        assert {"sha256", "name", "media_type", "size", "kind", "download"} <= set(
            item["required"])
