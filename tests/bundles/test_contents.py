"""What a bundle holds, how each file is made, and that making one is recorded on the case."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path
from uuid import UUID

import pytest
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from application.bundles import layout
from application.bundles.ports import Attachment, BundleSources
from application.bundles.produce import BundleRefused, deliver, produce
from application.bundles.standins import FileSigner, RecomputedChain, SimpleChainRule
from application.errors import CaseNotFound
from domain.bundles import Interface
from tests.bundles.conftest import CONTRACT, CONTRACT_ATTACHMENT
from tests.bundles.zips import files_of
from tests.commands import execute

ATTACHED = f"attachments/{CONTRACT_ATTACHMENT.sha256}-Contract_2026_signed_.pdf"


class TestABundle:
    def test_holds_the_chronology_events_attachments_key_sums_readme_and_signed_manifest(
            self, bundle):
        assert set(files_of(bundle)) == {
            "README.txt", "chronology.pdf", "chronology.html", "events.jsonl", ATTACHED,
            "public-key.pem", "SHA256SUMS", "manifest.json", "manifest.sig"}

    def test_carries_each_attachment_under_its_hash_and_safe_name(self, bundle):
        assert files_of(bundle)[ATTACHED] == CONTRACT
        assert layout.attachment_path("ab" * 32, "../../etc/passwd") == \
            f"attachments/{'ab' * 32}-passwd"
        assert layout.attachment_path("ab" * 32, "...") == f"attachments/{'ab' * 32}-file"

    def test_has_every_event_as_a_canonical_json_line_in_version_order(self, bundle, made):
        raw = files_of(bundle)[layout.EVENTS].splitlines()
        lines = [json.loads(line) for line in raw]
        assert [line["version"] for line in lines] == list(range(1, 10))
        assert [line["event"]["type"] for line in lines] == \
            [e["type"] for e in made.history]
        assert all(line == layout.canonical_json(json.loads(line)) for line in raw)
        assert lines[4]["event"]["data"]["amount"] == {"amount": "200.00", "currency": "GBP"}

    def test_chains_the_events_to_the_head_in_the_manifest(self, bundle):
        files = files_of(bundle)
        rule, previous = SimpleChainRule(), None
        for line in files[layout.EVENTS].splitlines():
            entry = json.loads(line)
            previous = rule.link(previous, rule.canonical(entry["event"]))
            assert entry["hash"] == previous
        manifest = json.loads(files[layout.MANIFEST])
        assert manifest["chain"] == {"rule": rule.name, "head": previous, "events": 9}

    def test_manifest_names_case_checkpoint_time_key_and_every_other_file(self, bundle, made):
        files = files_of(bundle)
        manifest = json.loads(files[layout.MANIFEST])
        assert manifest["case"] == {"id": str(made.case_id), "creditor": "Acme Supplies Ltd",
                                    "invoice_number": "INV-7001", "version": 9}
        assert manifest["created_at"] == "2026-03-01T09:00:00+00:00"
        assert manifest["checkpoint"] is None
        assert manifest["key_id"] == made.signer.key_id
        assert manifest["files"] == {n: hashlib.sha256(b).hexdigest() for n, b in files.items()
                                     if n not in ("manifest.json", "manifest.sig")}

    def test_manifest_is_signed_by_the_bundled_public_key(self, bundle, made):
        files = files_of(bundle)
        key = load_pem_public_key(files[layout.PUBLIC_KEY])
        key.verify(files[layout.SIGNATURE], files[layout.MANIFEST])  # raises if not
        assert files[layout.PUBLIC_KEY] == made.signer.public_key_pem()
        assert layout.key_id_of(key) == made.signer.key_id

    def test_sha256sums_lists_every_file_but_the_manifest_its_signature_and_itself(self, bundle):
        files = files_of(bundle)
        assert layout.parse_sums(files[layout.SUMS]) == {
            n: hashlib.sha256(b).hexdigest() for n, b in files.items()
            if n not in ("manifest.json", "manifest.sig", "SHA256SUMS")}

    def test_every_entry_is_a_regular_file_dated_when_the_bundle_was_made(self, bundle):
        with zipfile.ZipFile(bundle) as archive:
            for info in archive.infolist():
                assert info.date_time == (2026, 3, 1, 9, 0, 0)
                assert (info.external_attr >> 16) == 0o100644


class TestMakingABundle:
    def test_is_recorded_on_the_case_with_who_the_zip_hash_and_its_files(self, produced,
                                                                         service, case_id):
        path, found = produced
        event = service.history(case_id)[-1]
        assert (event["type"], event["actor"], event["version"]) == \
            ("EvidenceBundleProduced", "wendy.wright", 10)
        assert event["data"] == {"sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
                                 "files": 9, "covers_version": 9, "interface": "cli"}
        assert (found.sha256, found.files, found.size) == \
            (event["data"]["sha256"], 9, path.stat().st_size)

    def test_the_next_bundle_covers_the_recording_of_the_last(self, produced, service, sources,
                                                             case_id):
        out = io.BytesIO()
        found = produce(service, sources, case_id, out)
        assert found.covers_version == 10
        with zipfile.ZipFile(out) as archive:
            last = archive.read(layout.EVENTS).splitlines()[-1]
        assert json.loads(last)["event"]["type"] == "EvidenceBundleProduced"

    def test_a_closed_case_has_its_bundle_too(self, pdf_ready, service, sources, case_id):
        execute(service, case_id, "write_off", reason="uncollectable")
        assert service.case(case_id)["stage"] == "written_off"
        found, recorded = deliver(service, sources, case_id, io.BytesIO(), actor="ann",
                                  interface=Interface.WEB)
        assert recorded.version == found.covers_version + 1
        assert service.history(case_id)[-1]["summary"].startswith(
            "Evidence bundle of events 1 to 10 downloaded from the case page: 9 files, SHA-256 ")

    def test_an_unknown_case_has_none(self, service, sources):
        with pytest.raises(CaseNotFound):
            produce(service, sources, UUID(int=7), io.BytesIO())

    def test_is_refused_when_the_stored_chain_does_not_match_the_events(self, pdf_ready,
                                                                        service, sources,
                                                                        case_id):
        class Forked(RecomputedChain):
            def head(self, case_id: UUID, version: int) -> str:
                return "0" * 64

        forked = BundleSources(sources.signer, Forked(service), sources.attachments)
        with pytest.raises(BundleRefused, match="does not match its events"):
            deliver(service, forked, case_id, io.BytesIO(), actor="ann",
                    interface=Interface.CLI)
        assert service.history(case_id)[-1]["type"] == "WrittenOff"  # nothing recorded

    def test_is_refused_when_an_attachment_does_not_match_its_hash(self, pdf_ready, service,
                                                                   sources, case_id):
        class Corrupt:
            def for_case(self, case_id, version):
                return [Attachment("x.pdf", "application/pdf",
                                                      CONTRACT_ATTACHMENT.sha256, b"other")]

        corrupt = BundleSources(sources.signer, sources.chain, Corrupt())
        with pytest.raises(BundleRefused, match="attachment x.pdf: its content does not match"):
            produce(service, corrupt, case_id, io.BytesIO())


class TestTheSigningKey:
    def test_is_made_once_readable_only_by_its_owner_and_kept(self, signer, tmp_path: Path):
        path = tmp_path / "keys" / "signing-key.pem"
        assert path.stat().st_mode & 0o777 == 0o600
        assert FileSigner(path).key_id == signer.key_id

    def test_names_itself_by_the_sha256_of_its_public_key(self, signer):
        key = load_pem_public_key(signer.public_key_pem())
        assert signer.key_id == layout.key_id_of(key)
        assert signer.key_id.startswith("sha256:") and len(signer.key_id) == 7 + 64


def test_the_stand_in_rule_is_deterministic():
    rule = SimpleChainRule()
    assert rule.canonical({"b": 1, "a": "é"}) == '{"a":"é","b":1}'.encode()
    assert rule.link(None, b"x") == hashlib.sha256(bytes(32) + b"x").hexdigest()
