"""The blob store: documents' bytes, content-addressed by SHA-256.

`BlobStore` is the port; `FileBlobStore` keeps each blob in a file named by its hash under a
root folder (`var/blobs/ab/cdef...`: the first two hex digits name a sub-folder). A blob is
written to a temporary file in that sub-folder, flushed and fsync'd, then renamed over its
name (atomic on POSIX) and the folder fsync'd: a reader sees all of a blob or none of it.
The same content is stored once. Every read is checked against the hash it is named by.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from pathlib import Path
from typing import Protocol

from domain.attachments import SHA256

log = logging.getLogger(__name__)
DEFAULT_BLOB_DIR = "var/blobs"


class BlobError(Exception):
    """The store cannot give back what it was asked for (missing, or no longer matching)."""

    def __init__(self, message: str, sha256: str) -> None:
        super().__init__(message)
        self.message = message
        self.sha256 = sha256


class BlobMissing(BlobError):
    """No blob is stored under that hash."""


class BlobCorrupt(BlobError):
    """The stored bytes no longer match the hash they are stored under."""


class BlobStore(Protocol):
    def put(self, content: bytes) -> str:
        """Store the content (once, however often it is put); return its SHA-256 (hex)."""
        ...

    def get(self, sha256: str) -> bytes:
        """The content stored under the hash, checked; BlobMissing or BlobCorrupt if not."""
        ...

    def has(self, sha256: str) -> bool:
        """Whether a blob is stored under the hash (its bytes are not checked)."""
        ...


def digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def blob_dir(environ: dict[str, str] | None = None) -> Path:
    """ARREARS_BLOB_DIR, or var/blobs (relative to the working directory, as var/arrears.db)."""
    env = os.environ if environ is None else environ
    return Path(env.get("ARREARS_BLOB_DIR") or DEFAULT_BLOB_DIR)


class FileBlobStore:
    """Blobs as read-only files under `root`, created on the first write."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def path(self, sha256: str) -> Path:
        if not SHA256.fullmatch(sha256):
            raise ValueError(f"not a SHA-256 digest: {sha256[:80]!r}")
        return self.root / sha256[:2] / sha256[2:]

    def has(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def put(self, content: bytes) -> str:
        name = digest(content)
        target = self.path(name)
        if target.is_file():
            if digest(target.read_bytes()) == name:
                return name  # stored once
            log.error("blob %s no longer matched its hash; it is written again", name)
        self._make_folder(target.parent)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(content)
                file.flush()
                os.fsync(file.fileno())
            os.chmod(temporary, 0o440)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        _fsync_folder(target.parent)
        return name

    def get(self, sha256: str) -> bytes:
        path = self.path(sha256)
        try:
            content = path.read_bytes()
        except FileNotFoundError:
            raise BlobMissing(f"no blob {sha256} in {self.root}", sha256) from None
        found = digest(content)
        if found != sha256:
            log.error("blob %s in %s no longer matches its hash (its bytes hash to %s)",
                      sha256, self.root, found)
            raise BlobCorrupt(f"the blob stored as {sha256} no longer matches that hash "
                              f"(its bytes hash to {found})", sha256)
        return content

    def _make_folder(self, folder: Path) -> None:
        if folder.is_dir():
            return
        folder.mkdir(mode=0o750, parents=True, exist_ok=True)
        _fsync_folder(folder.parent)


def _fsync_folder(folder: Path) -> None:
    """Make a rename or a new entry in the folder durable (POSIX; a no-op where unsupported)."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)
