"""`verify_bundle`: offline, only the zip; every file or event that does not match is named."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from application.bundles import layout, zipsafety
from application.bundles.verify import verify_bundle
from application.bundles.wiring import chain_rules
from tests.bundles.zips import changed, files_of, flip_byte, pem_of, resigned, rezip, unzip, zipped

RULES = chain_rules()


def problems(path: Path, key=None) -> list[tuple[str, int | None]]:
    """(file, event) of every problem found."""
    return [(p.file, p.event) for p in verify_bundle(path, RULES, key).problems]


def messages(path: Path, key=None) -> list[str]:
    return [p.line() for p in verify_bundle(path, RULES, key).problems]


@pytest.fixture
def own_key(made):
    return load_pem_public_key(made.signer.public_key_pem())


def edited_event(line: bytes, amount: str) -> bytes:
    entry = json.loads(line)
    entry["event"]["data"]["amount"]["amount"] = amount
    return layout.canonical_json(entry)


class TestAnUntouchedBundle:
    def test_verifies(self, bundle):
        verdict = verify_bundle(bundle, RULES)
        assert verdict.verified, verdict.problems
        assert verdict.manifest["chain"]["events"] == 9

    def test_verifies_against_the_key_that_signed_it(self, bundle, own_key, made):
        verdict = verify_bundle(bundle, RULES, own_key)
        assert verdict.verified and verdict.signed_by == made.signer.key_id

    def test_verifies_after_being_unzipped_and_zipped_again(self, bundle, tmp_path):
        again = rezip(unzip(bundle, tmp_path / "unzipped"), tmp_path / "again.zip")
        assert problems(again) == []


class TestOneByteChanged:
    @pytest.mark.parametrize("name", ["chronology.pdf", "chronology.html", "README.txt",
                                      "SHA256SUMS", "events.jsonl", "attachments/"])
    def test_in_a_file_names_that_file(self, bundle, tmp_path, name):
        folder = unzip(bundle, tmp_path / "unzipped")
        target = next(p for p in sorted(folder.rglob("*"))
                      if p.relative_to(folder).as_posix().startswith(name) and p.is_file())
        flip_byte(target, offset=len(target.read_bytes()) // 2)
        altered = rezip(folder, tmp_path / "altered.zip")
        found = verify_bundle(altered, RULES)
        assert not found.verified
        named = {p.file for p in found.problems}
        assert target.relative_to(folder).as_posix() in named
        assert any("its SHA-256 is" in p.problem for p in found.problems)

    def test_in_the_manifest_breaks_its_signature(self, bundle, tmp_path):
        folder = unzip(bundle, tmp_path / "unzipped")
        manifest = folder / layout.MANIFEST
        manifest.write_bytes(manifest.read_bytes().replace(b'"version": 9', b'"version": 8'))
        assert (layout.SIGNATURE, None) in problems(rezip(folder, tmp_path / "altered.zip"))

    def test_in_the_signature_is_named(self, bundle, tmp_path):
        folder = unzip(bundle, tmp_path / "unzipped")
        flip_byte(folder / layout.SIGNATURE, 10)
        assert problems(rezip(folder, tmp_path / "altered.zip")) == [(layout.SIGNATURE, None)]

    def test_in_the_public_key_is_named(self, bundle, tmp_path):
        folder = unzip(bundle, tmp_path / "unzipped")
        flip_byte(folder / layout.PUBLIC_KEY, 40)
        assert (layout.PUBLIC_KEY, None) in problems(rezip(folder, tmp_path / "altered.zip"))

    def test_inside_the_zip_itself_names_the_damaged_file(self, bundle, tmp_path):
        data = bytearray(bundle.read_bytes())
        with zipfile.ZipFile(bundle) as archive:
            info = archive.getinfo(layout.PDF)
        start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
        data[start + info.compress_size // 2] ^= 0x01
        damaged = tmp_path / "damaged.zip"
        damaged.write_bytes(bytes(data))
        found = verify_bundle(damaged, RULES)
        assert [p.file for p in found.problems] == [layout.PDF]


class TestAChangedEvent:
    def test_is_named_by_its_version(self, bundle, tmp_path):
        altered = changed(bundle, tmp_path / "altered.zip", layout.EVENTS, lambda text: b"\n".join(
            edited_event(line, "20.00") if json.loads(line)["version"] == 5 else line
            for line in text.splitlines()) + b"\n")
        found = problems(altered)
        assert (layout.EVENTS, 5) in found
        assert (layout.EVENTS, None) in found  # its file's hash too
        assert [e for f, e in found if e is not None] == [5]

    def test_whose_later_hashes_were_made_again_ends_away_from_the_chain_head(self, bundle,
                                                                              tmp_path):
        rule, previous, lines = RULES[json.loads(files_of(bundle)[layout.MANIFEST])["chain"][
            "rule"]], None, []
        for line in files_of(bundle)[layout.EVENTS].splitlines():
            entry = json.loads(line if json.loads(line)["version"] != 5
                               else edited_event(line, "20.00"))
            previous = entry["hash"] = rule.link(previous, rule.canonical(entry["event"]))
            lines.append(layout.canonical_json(entry))
        altered = changed(bundle, tmp_path / "altered.zip", layout.EVENTS,
                          lambda _: b"\n".join(lines) + b"\n")
        found = messages(altered)
        assert any(m.startswith("events.jsonl: its chain ends at") for m in found)
        assert any(m.startswith("events.jsonl: its SHA-256 is") for m in found)

    def test_two_events_swapped_are_named(self, bundle, tmp_path):
        def swap(text: bytes) -> bytes:
            lines = text.splitlines()
            lines[2], lines[3] = lines[3], lines[2]
            return b"\n".join(lines) + b"\n"

        found = problems(changed(bundle, tmp_path / "altered.zip", layout.EVENTS, swap))
        assert {(layout.EVENTS, 3), (layout.EVENTS, 4)} <= set(found)

    def test_an_event_left_out_is_noticed(self, bundle, tmp_path):
        found = messages(changed(bundle, tmp_path / "altered.zip", layout.EVENTS,
                                 lambda text: b"\n".join(text.splitlines()[:-1]) + b"\n"))
        assert "events.jsonl: has 8 events, the manifest says 9" in found

    def test_a_line_that_is_no_event_is_named_by_its_line(self, bundle, tmp_path):
        found = messages(changed(bundle, tmp_path / "altered.zip", layout.EVENTS,
                                 lambda text: text.replace(b'{"event"', b'{"evnt"', 1)))
        assert "events.jsonl: line 1 is not an event (version, hash, event)" in found


class TestAnotherKey:
    def test_a_manifest_signed_by_another_key_is_refused(self, bundle, tmp_path, own_key):
        files = files_of(bundle)
        files[layout.SIGNATURE] = Ed25519PrivateKey.generate().sign(files[layout.MANIFEST])
        forged = zipped(files, tmp_path / "forged.zip")
        assert problems(forged) == [(layout.SIGNATURE, None)]
        assert problems(forged, own_key) == [(layout.SIGNATURE, None)]

    def test_a_swapped_public_key_with_a_manifest_signed_again_is_refused_when_pinned(
            self, bundle, tmp_path, own_key):
        forger = Ed25519PrivateKey.generate()
        files = files_of(bundle)
        files[layout.PDF] = b"%PDF a chronology that says something else"
        forged = resigned(files, forger, tmp_path / "forged.zip")
        assert problems(forged) == []  # consistent in itself: only the key tells
        found = messages(forged, own_key)
        assert found[0] == (f"public-key.pem: is key {layout.key_id_of(forger.public_key())}, "
                            f"not the expected key {layout.key_id_of(own_key)}")
        assert "manifest.sig: is not a signature of manifest.json by key " \
               f"{layout.key_id_of(own_key)}" in found

    def test_a_manifest_naming_another_key_than_the_one_that_signed_it(self, bundle, tmp_path):
        files = files_of(bundle)
        forger = Ed25519PrivateKey.generate()
        forged = resigned(files, forger, tmp_path / "forged.zip", swap_public_key=False)
        assert (layout.SIGNATURE, None) in problems(forged)


class TestFilesAddedOrTakenAway:
    def test_an_extra_file_is_named(self, bundle, tmp_path):
        files = {**files_of(bundle), "attachments/extra.txt": b"planted"}
        assert problems(zipped(files, tmp_path / "more.zip")) == [
            ("attachments/extra.txt", None)]

    def test_a_missing_file_is_named(self, bundle, tmp_path):
        files = files_of(bundle)
        del files[layout.PDF]
        assert problems(zipped(files, tmp_path / "less.zip")) == [(layout.PDF, None)]

    def test_a_missing_manifest_stops_the_check(self, bundle, tmp_path):
        files = files_of(bundle)
        del files[layout.MANIFEST]
        assert problems(zipped(files, tmp_path / "less.zip")) == [(layout.MANIFEST, None)]

    def test_sha256sums_saying_other_than_the_manifest_is_named(self, bundle, tmp_path):
        files, forger = files_of(bundle), Ed25519PrivateKey.generate()
        sums = layout.parse_sums(files[layout.SUMS])
        sums[layout.PDF] = "0" * 64
        sums[layout.PUBLIC_KEY] = layout.sha256(pem_of(forger))
        files[layout.SUMS] = layout.sums_text(sums)
        found = messages(resigned(files, forger, tmp_path / "x.zip", remake_sums=False))
        assert found == [f"SHA256SUMS: says {'0' * 64} for chronology.pdf, the manifest says "
                         f"{layout.sha256(files[layout.PDF])}"]


class TestAnUnsafeZip:
    @pytest.mark.parametrize("name", ["../outside.txt", "/etc/passwd", "attachments/../../x",
                                      "C:/Windows/x", "a\\b", "attachments//x", "bell\x07"])
    def test_an_entry_leaving_the_folder_is_named_and_never_read(self, bundle, tmp_path, name):
        files = {**files_of(bundle), name: b"planted"}
        found = problems(zipped(files, tmp_path / "unsafe.zip"))
        assert found == [(name, None)]

    def test_a_link_is_named(self, bundle, tmp_path):
        path = zipped(files_of(bundle), tmp_path / "link.zip")
        with zipfile.ZipFile(path, "a") as archive:
            link = zipfile.ZipInfo("attachments/link")
            link.external_attr = 0o120777 << 16
            archive.writestr(link, "/etc/passwd")
        assert problems(path) == [("attachments/link", None)]

    def test_a_name_twice_is_named(self, bundle, tmp_path):
        path = zipped(files_of(bundle), tmp_path / "twice.zip")
        with pytest.warns(UserWarning, match="Duplicate name"), \
                zipfile.ZipFile(path, "a") as archive:
            archive.writestr(layout.README, b"another readme")
        assert (layout.README, None) in problems(path)

    def test_too_many_entries_or_bytes_are_refused(self, bundle, monkeypatch):
        monkeypatch.setattr(zipsafety, "MAX_ENTRIES", 5)
        assert problems(bundle) == [("bundle.zip", None), ("manifest.json", None),
                                    ("manifest.sig", None), ("public-key.pem", None)]
        monkeypatch.setattr(zipsafety, "MAX_ENTRIES", 10_000)
        monkeypatch.setattr(zipsafety, "MAX_TOTAL_BYTES", 1000)
        assert messages(bundle)[0].startswith("bundle.zip: unpacks to more than 1,000 bytes")

    def test_a_file_larger_than_its_bound_is_not_read(self, bundle, monkeypatch):
        monkeypatch.setitem(zipsafety.MAX_READ, layout.EVENTS, 100)
        assert "events.jsonl: is larger than 100 bytes" in messages(bundle)
        monkeypatch.setattr(zipsafety, "MAX_FILE_BYTES", 1000)
        assert "chronology.pdf: is larger than 1,000 bytes" in messages(bundle)

    def test_a_file_that_is_no_zip_is_named(self, tmp_path):
        path = tmp_path / "bundle.zip"
        path.write_bytes(b"PK not really")
        assert problems(path) == [("bundle.zip", None)]

    def test_an_unknown_chain_rule_is_named(self, bundle):
        found = [p.line() for p in verify_bundle(bundle, {}).problems]
        assert found == ["manifest.json: uses chain rule 'arrears-standin-sha256-chain/1', which "
                         "this Arrears does not know (it knows: )"]
