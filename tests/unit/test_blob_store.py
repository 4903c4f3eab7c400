"""The file blob store: content-addressed, written atomically, stored once, checked on read."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

import pytest

from application.attachments import store as blob_module
from application.attachments.store import BlobCorrupt, BlobMissing, FileBlobStore, blob_dir

CONTENT = b"%PDF-1.4 the signed contract"
SHA = hashlib.sha256(CONTENT).hexdigest()


@pytest.fixture
def blobs(tmp_path: Path) -> FileBlobStore:
    return FileBlobStore(tmp_path / "blobs")


def stored_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


class TestPutting:
    def test_names_the_blob_by_its_sha256_in_a_folder_of_its_first_two_digits(self, blobs):
        assert blobs.put(CONTENT) == SHA
        path = blobs.root / SHA[:2] / SHA[2:]
        assert path.read_bytes() == CONTENT
        assert stored_files(blobs.root) == [path]

    def test_creates_nothing_until_the_first_blob(self, tmp_path):
        FileBlobStore(tmp_path / "later")
        assert not (tmp_path / "later").exists()

    def test_stores_the_same_content_once(self, blobs, monkeypatch):
        blobs.put(CONTENT)
        writes = []
        monkeypatch.setattr(blob_module.os, "replace",
                            lambda *a: writes.append(a) or os.replace(*a))
        assert blobs.put(CONTENT) == SHA
        assert writes == []
        assert len(stored_files(blobs.root)) == 1

    def test_stores_two_contents_as_two_blobs(self, blobs):
        other = blobs.put(b"another document")
        blobs.put(CONTENT)
        assert {p.parent.name + p.name for p in stored_files(blobs.root)} == {SHA, other}

    def test_leaves_the_blob_read_only(self, blobs):
        blobs.put(CONTENT)
        mode = (blobs.root / SHA[:2] / SHA[2:]).stat().st_mode
        assert not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)

    def test_syncs_the_file_before_renaming_it_into_place(self, blobs, monkeypatch):
        steps = []
        real_fsync, real_replace = os.fsync, os.replace
        monkeypatch.setattr(blob_module.os, "fsync",
                            lambda fd: steps.append("fsync") or real_fsync(fd))
        monkeypatch.setattr(blob_module.os, "replace",
                            lambda *a: steps.append("rename") or real_replace(*a))
        blobs.put(CONTENT)
        renamed = steps.index("rename")
        assert steps.count("rename") == 1
        assert steps[renamed - 1] == "fsync"  # the file's bytes, before its name
        assert steps[renamed + 1:] == ["fsync"]  # then the folder, so the name is durable

    def test_a_write_that_fails_leaves_neither_the_blob_nor_a_temporary_file(
            self, blobs, monkeypatch):
        def disk_full(fd: int) -> None:
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(blob_module.os, "fsync", disk_full)
        with pytest.raises(OSError, match="No space left"):
            blobs.put(CONTENT)
        assert stored_files(blobs.root) == []
        assert not blobs.has(SHA)

    def test_a_crash_before_the_rename_leaves_no_blob_under_the_name(self, blobs, monkeypatch):
        def crash(*args: object) -> None:
            raise KeyboardInterrupt

        monkeypatch.setattr(blob_module.os, "replace", crash)
        with pytest.raises(KeyboardInterrupt):
            blobs.put(CONTENT)
        assert not blobs.has(SHA)
        assert stored_files(blobs.root) == []

    def test_writes_again_over_a_blob_that_no_longer_matches(self, blobs):
        blobs.put(CONTENT)
        path = blobs.root / SHA[:2] / SHA[2:]
        path.chmod(0o640)
        path.write_bytes(b"tampered")
        assert blobs.put(CONTENT) == SHA
        assert blobs.get(SHA) == CONTENT


class TestGetting:
    def test_gives_back_the_bytes(self, blobs):
        blobs.put(CONTENT)
        assert blobs.get(SHA) == CONTENT

    def test_refuses_bytes_that_no_longer_match_their_hash(self, blobs, caplog):
        blobs.put(CONTENT)
        path = blobs.root / SHA[:2] / SHA[2:]
        path.chmod(0o640)
        path.write_bytes(CONTENT.replace(b"signed", b"forged"))
        with pytest.raises(BlobCorrupt, match="no longer matches") as refused:
            blobs.get(SHA)
        assert refused.value.sha256 == SHA
        assert any(r.levelname == "ERROR" and SHA in r.getMessage() for r in caplog.records)

    def test_refuses_a_missing_blob(self, blobs):
        with pytest.raises(BlobMissing):
            blobs.get(SHA)

    @pytest.mark.parametrize("name", ["../../etc/passwd", SHA.upper(), SHA[:-1], ""])
    def test_refuses_a_name_that_is_not_a_sha256(self, blobs, name):
        with pytest.raises(ValueError, match="not a SHA-256"):
            blobs.get(name)


def test_the_folder_is_var_blobs_unless_configured():
    assert blob_dir({}) == Path("var/blobs")
    assert blob_dir({"ARREARS_BLOB_DIR": "/srv/arrears/blobs"}) == Path("/srv/arrears/blobs")
