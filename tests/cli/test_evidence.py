"""`arrears evidence CASE --out FILE.zip` and `arrears verify-bundle FILE.zip`."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from application.bundles import layout
from tests.bundles.zips import changed, pem_of


@pytest.fixture
def written(pdf_ready, ok, case, tmp_path) -> tuple[str, Path, dict]:
    """The case's bundle written by the CLI: (invoice number, the zip, its --json output)."""
    out = tmp_path / "evidence.zip"
    return case, out, ok("evidence", case, "--out", str(out), "--actor", "wendy.wright")


class TestEvidence:
    def test_writes_the_bundle_and_says_its_hash(self, written, show):
        case, out, reported = written
        assert reported["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()
        assert (reported["files"], reported["covers_version"], reported["version"]) == (8, 1, 2)
        assert reported["case_id"] == show(case)["case_id"]
        with zipfile.ZipFile(out) as archive:
            assert len(archive.namelist()) == 8
        assert not list(out.parent.glob(".evidence.zip.*"))  # no partial file left

    def test_records_who_wrote_it_on_the_case(self, written, last_event):
        case, out, reported = written
        event = last_event(case)
        assert (event["type"], event["actor"]) == ("EvidenceBundleProduced", "wendy.wright")
        assert event["data"] == {"sha256": reported["sha256"], "files": 8, "covers_version": 1,
                                 "interface": "cli"}
        assert event["summary"] == ("Evidence bundle of events 1 to 1 written with the CLI: "
                                    f"8 files, SHA-256 {reported['sha256']}")

    def test_says_in_words_what_it_wrote(self, pdf_ready, arrears, case, tmp_path):
        out = tmp_path / "e.zip"
        result = arrears("evidence", case, "--out", str(out))
        assert result.exit_code == 0, result.stderr
        assert result.stdout.startswith(f"Wrote {out}: the evidence bundle of invoice {case}, "
                                        "events 1 to 1, 8 files.\n  SHA-256 ")
        assert result.stdout.endswith("recorded on the case as version 2\n")

    def test_a_closed_case_has_one_too(self, pdf_ready, ok, case, tmp_path):
        ok("write-off", case, "--reason", "uncollectable")
        reported = ok("evidence", case, "--out", str(tmp_path / "closed.zip"))
        assert reported["covers_version"] == 2

    def test_an_unknown_case_writes_nothing(self, arrears, tmp_path):
        out = tmp_path / "none.zip"
        result = arrears("evidence", "INV-NOPE", "--out", str(out))
        assert result.exit_code == 2
        assert result.stderr == "error: case: no case 'INV-NOPE'\n"
        assert list(tmp_path.glob("*.zip")) == [] and not list(tmp_path.glob(".none*"))

    def test_an_out_folder_that_does_not_exist_is_named(self, ok, case, arrears, tmp_path):
        result = arrears("evidence", case, "--out", str(tmp_path / "no" / "such" / "e.zip"))
        assert result.exit_code == 2
        assert result.stderr.startswith("error: --out: cannot write there (")

    def test_needs_out(self, arrears, case):
        result = arrears("evidence", case)
        assert (result.exit_code, result.stderr) == (2, "error: --out: is required\n")


class TestVerifyBundle:
    def test_an_untouched_bundle_verifies(self, written, arrears):
        case, out, _ = written
        result = arrears("verify-bundle", str(out))
        assert result.exit_code == 0, result.stdout + result.stderr
        assert result.stdout.startswith(f"Verified: {out}, the evidence bundle of invoice {case}")
        assert "(the bundle's own key: compare it with the creditor's, or give --key)" in \
            result.stdout

    def test_needs_no_database(self, written, arrears, env):
        _, out, _ = written
        env["ARREARS_DATABASE_URL"] = "postgresql://nobody@127.0.0.1:9/nothing"
        result = arrears("verify-bundle", str(out), "--json")
        assert result.exit_code == 0, result.stderr
        assert json.loads(result.stdout)["verified"] is True

    def test_a_changed_file_is_named_and_exits_4(self, written, arrears, tmp_path):
        _, out, _ = written
        altered = changed(out, tmp_path / "altered.zip", layout.PDF, lambda b: b[:-1] + b"!")
        result = arrears("verify-bundle", str(altered))
        assert result.exit_code == 4
        assert result.stdout.startswith(f"NOT VERIFIED: {altered}\n  chronology.pdf: its SHA-256")
        assert result.stderr == f"error: {altered}: does not verify: 1 problem\n"

    def test_json_lists_every_problem(self, written, arrears, tmp_path):
        _, out, _ = written
        altered = changed(out, tmp_path / "altered.zip", layout.EVENTS,
                          lambda b: b.replace(b'"GBP"', b'"EUR"', 1))
        result = arrears("verify-bundle", str(altered), "--json")
        assert result.exit_code == 4
        found = json.loads(result.stdout)
        assert found["verified"] is False
        assert {(p["file"], p["event"]) for p in found["problems"]} == {
            ("events.jsonl", 1), ("events.jsonl", None)}

    def test_pinned_to_its_key_it_verifies(self, written, arrears, env, tmp_path):
        _, out, _ = written
        with zipfile.ZipFile(out) as archive:
            (tmp_path / "creditor.pem").write_bytes(archive.read(layout.PUBLIC_KEY))
        result = arrears("verify-bundle", str(out), "--key", str(tmp_path / "creditor.pem"))
        assert result.exit_code == 0, result.stdout
        assert "compare it with the creditor's" not in result.stdout

    def test_pinned_to_another_key_it_is_refused(self, written, arrears, tmp_path):
        _, out, _ = written
        other = tmp_path / "other.pem"
        other.write_bytes(pem_of(Ed25519PrivateKey.generate()))
        result = arrears("verify-bundle", str(out), "--key", str(other))
        assert result.exit_code == 4
        assert "  public-key.pem: is key sha256:" in result.stdout
        assert "  manifest.sig: is not a signature of manifest.json by key sha256:" in \
            result.stdout

    def test_a_key_that_is_no_public_key_is_invalid_input(self, written, arrears, tmp_path):
        _, out, _ = written
        (tmp_path / "junk.pem").write_text("not a key")
        result = arrears("verify-bundle", str(out), "--key", str(tmp_path / "junk.pem"))
        assert result.exit_code == 2
        assert result.stderr == f"error: --key: {tmp_path / 'junk.pem'} is not an Ed25519 " \
                                "public key in PEM\n"

    def test_a_missing_file_is_invalid_input(self, arrears, tmp_path):
        result = arrears("verify-bundle", str(tmp_path / "none.zip"))
        assert result.exit_code == 2
        assert result.stderr == f"error: bundle: File '{tmp_path / 'none.zip'}' does not exist.\n"


class TestAttachmentsInTheBundle:
    def test_every_attached_document_is_in_the_bundle_and_verifies(self, pdf_ready, ok,
                                                                  arrears, case, tmp_path):
        import hashlib
        import zipfile

        from tests import attachment_files as files

        document = tmp_path / "contract.pdf"
        document.write_bytes(files.pdf())
        ok("attach", case, str(document), "--kind", "contract")
        out = tmp_path / "with-documents.zip"
        ok("evidence", case, "--out", str(out))
        digest = hashlib.sha256(files.pdf()).hexdigest()
        with zipfile.ZipFile(out) as bundle:
            names = bundle.namelist()
            assert f"attachments/{digest}-contract.pdf" in names
            assert bundle.read(f"attachments/{digest}-contract.pdf") == files.pdf()
        assert arrears("verify-bundle", str(out)).exit_code == 0


class TestTheStoresChainInTheBundle:
    def test_the_manifest_names_the_stores_chain_head_and_the_checkpoint_holding_it(
            self, pdf_ready, ok, arrears, case, tmp_path):
        import json
        import zipfile

        checkpoint = ok("checkpoint")
        out = tmp_path / "checked.zip"
        ok("evidence", case, "--out", str(out))
        with zipfile.ZipFile(out) as bundle:
            manifest = json.loads(bundle.read("manifest.json"))
            last = bundle.read("events.jsonl").splitlines()[-1]
        assert manifest["chain"]["rule"] == "arrears-chain-v1"
        assert manifest["chain"]["head"] == json.loads(last)["hash"]
        assert manifest["checkpoint"]["root"] == checkpoint["root"]
        assert arrears("verify-bundle", str(out)).exit_code == 0
