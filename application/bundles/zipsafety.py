"""Reading a bundle's zip safely: names that stay inside its folder, no links or encrypted
entries, bounded counts and sizes; nothing extracted, every file read as a stream.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
import zlib
from pathlib import Path

from application.bundles import layout
from application.bundles.verdict import Verdict

MAX_ENTRIES = 10_000
MAX_FILE_BYTES = 1 << 30  # 1 GiB
MAX_TOTAL_BYTES = 4 << 30  # 4 GiB
MAX_READ = {layout.MANIFEST: 1 << 20, layout.SIGNATURE: 1 << 10, layout.PUBLIC_KEY: 1 << 16,
            layout.SUMS: 1 << 24, layout.EVENTS: 1 << 28}  # the files read whole
UNREADABLE = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError,
              OSError)


def unsafe(name: str) -> str:
    """Why a name must not be in a bundle ('' when it may)."""
    parts = name.removesuffix("/").split("/")
    if len(name) > 300:
        return "its name is too long"
    if name.startswith("/") or re.match(r"[A-Za-z]:", name):
        return "is an absolute path"
    if "\\" in name or any(ord(c) < 32 or ord(c) == 127 for c in name):
        return "its name has a backslash or a control character"
    if any(part in ("", ".", "..") for part in parts):
        return "its path leaves the bundle's folder or has an empty part"
    return ""


def safe_entries(archive: zipfile.ZipFile, verdict: Verdict) -> dict[str, zipfile.ZipInfo]:
    """The zip's files that are safe to read, by name; every other entry is a problem."""
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES:
        verdict.add(Path(verdict.bundle).name, f"has {len(infos):,} entries, more than "
                                               f"{MAX_ENTRIES:,}")
        return {}
    entries: dict[str, zipfile.ZipInfo] = {}
    total = 0
    for info in infos:
        name, mode = info.filename, (info.external_attr >> 16) & 0o170000
        reason = unsafe(name)
        if not reason and mode == 0o120000:
            reason = "is a symbolic link"
        if not reason and info.flag_bits & 0x1:
            reason = "is encrypted"
        if not reason and name in entries:
            reason = "appears twice in the zip"
        if not reason and info.file_size > MAX_FILE_BYTES:
            reason = f"is larger than {MAX_FILE_BYTES:,} bytes"
        total += info.file_size
        if reason:
            verdict.add(name, reason)
        elif not info.is_dir():
            entries[name] = info
    if total > MAX_TOTAL_BYTES:
        verdict.add(Path(verdict.bundle).name, f"unpacks to more than {MAX_TOTAL_BYTES:,} bytes")
        return {}
    return entries


def read_whole(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int,
          verdict: Verdict) -> bytes | None:
    """A small file read whole (None, with the problem named, if it is too big or damaged)."""
    if info.file_size > limit:
        verdict.add(info.filename, f"is larger than {limit:,} bytes")
        return None
    try:
        with archive.open(info) as stream:
            return stream.read(limit + 1)[:limit]
    except UNREADABLE as error:
        verdict.add(info.filename, f"cannot be read from the zip ({error})")
        return None


def digest(archive: zipfile.ZipFile, info: zipfile.ZipInfo, verdict: Verdict) -> str | None:
    """A file's SHA-256, read as a stream (None, with the problem named, if damaged)."""
    digest = hashlib.sha256()
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(1 << 20):
                digest.update(chunk)
    except UNREADABLE as error:
        verdict.add(info.filename, f"cannot be read from the zip ({error})")
        return None
    return digest.hexdigest()
