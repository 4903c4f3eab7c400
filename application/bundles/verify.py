"""Checking a bundle offline: only the zip (and, if given, the key expected to have signed it).

It checks, and names every file or event that does not match:
- the zip is safe to read: no absolute or `..` paths, no links, no encrypted or duplicate
  entries, bounded counts and sizes (nothing is extracted; every file is read as a stream);
- manifest.sig is the Ed25519 signature of manifest.json's exact bytes by the key in
  public-key.pem, which must be the expected key when one is pinned;
- every file's SHA-256 is the one the manifest gives, and no file is missing or extra;
  SHA256SUMS says the same as the manifest;
- events.jsonl, re-hashed event by event with the manifest's chain rule, ends at the
  manifest's chain head, with every event in version order.
"""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from application.bundles import layout
from application.bundles.ports import ChainRule

MAX_ENTRIES = 10_000
MAX_FILE_BYTES = 1 << 30  # 1 GiB
MAX_TOTAL_BYTES = 4 << 30  # 4 GiB
MAX_READ = {layout.MANIFEST: 1 << 20, layout.SIGNATURE: 1 << 10, layout.PUBLIC_KEY: 1 << 16,
            layout.SUMS: 1 << 24, layout.EVENTS: 1 << 28}  # the files read whole
MAX_PROBLEMS = 1000
HEX64 = re.compile(r"[0-9a-f]{64}")
UNREADABLE = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError,
              OSError)


@dataclass(frozen=True)
class Problem:
    """One thing that does not match: the file, and the event (its version) if one."""

    file: str
    problem: str
    event: int | None = None

    def line(self) -> str:
        where = self.file if self.event is None else f"{self.file}: event {self.event}"
        return f"{where}: {self.problem}"


@dataclass
class Verdict:
    """What the check found: no problem means the bundle is as it was signed."""

    bundle: str
    problems: list[Problem] = field(default_factory=list)
    manifest: dict[str, Any] | None = None
    signed_by: str = ""

    @property
    def verified(self) -> bool:
        return not self.problems

    def add(self, file: str, problem: str, event: int | None = None) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(file, problem, event))

    def as_dict(self) -> dict[str, Any]:
        manifest = self.manifest or {}
        return {"bundle": self.bundle, "verified": self.verified,
                "case": manifest.get("case"), "chain": manifest.get("chain"),
                "checkpoint": manifest.get("checkpoint"),
                "created_at": manifest.get("created_at"), "signed_by": self.signed_by,
                "files": len(manifest.get("files") or {}),
                "problems": [{"file": p.file, "event": p.event, "problem": p.problem}
                             for p in self.problems]}


def verify_bundle(path: Path | str, rules: Mapping[str, ChainRule],
                  expected_key: Ed25519PublicKey | None = None) -> Verdict:
    """Check the bundle at `path` against itself, and against `expected_key` if given."""
    verdict = Verdict(str(path))
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        verdict.add(Path(path).name, f"is not a readable zip archive ({error})")
        return verdict
    with archive:
        entries = _safe_entries(archive, verdict)
        whole = {name: _read(archive, entries[name], limit, verdict)
                 for name, limit in MAX_READ.items() if name in entries}
        manifest = _signed_manifest(whole, expected_key, verdict)
        if manifest is None:
            return verdict
        _check_files(archive, entries, manifest, verdict)
        _check_sums(whole.get(layout.SUMS), manifest, verdict)
        _check_events(whole.get(layout.EVENTS), manifest, rules, verdict)
    return verdict


def _unsafe(name: str) -> str:
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


def _safe_entries(archive: zipfile.ZipFile, verdict: Verdict) -> dict[str, zipfile.ZipInfo]:
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
        reason = _unsafe(name)
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


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int,
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


def _digest(archive: zipfile.ZipFile, info: zipfile.ZipInfo, verdict: Verdict) -> str | None:
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


def _public_key(pem: bytes, verdict: Verdict) -> Ed25519PublicKey | None:
    try:
        key = load_pem_public_key(pem)
    except ValueError:
        key = None
    if not isinstance(key, Ed25519PublicKey):
        verdict.add(layout.PUBLIC_KEY, "is not an Ed25519 public key in PEM")
        return None
    return key


def _signed_manifest(whole: Mapping[str, bytes | None], expected: Ed25519PublicKey | None,
                     verdict: Verdict) -> dict[str, Any] | None:
    """The manifest, once its signature is checked (None when it cannot be trusted at all)."""
    for name in (layout.MANIFEST, layout.SIGNATURE, layout.PUBLIC_KEY):
        if name not in whole:
            verdict.add(name, "is missing")
    bundled = _public_key(whole[layout.PUBLIC_KEY], verdict) if whole.get(
        layout.PUBLIC_KEY) is not None else None
    if expected is not None and bundled is not None and \
            layout.key_id_of(bundled) != layout.key_id_of(expected):
        verdict.add(layout.PUBLIC_KEY, f"is key {layout.key_id_of(bundled)}, not the expected "
                                       f"key {layout.key_id_of(expected)}")
    key = expected or bundled
    text, signature = whole.get(layout.MANIFEST), whole.get(layout.SIGNATURE)
    if key is None or text is None or signature is None:
        return None
    verdict.signed_by = layout.key_id_of(key)
    try:
        key.verify(signature, text)
    except InvalidSignature:
        verdict.add(layout.SIGNATURE, f"is not a signature of {layout.MANIFEST} by key "
                                      f"{verdict.signed_by}")
    manifest = _parsed_manifest(text, verdict)
    if manifest is not None and manifest.get("key_id") != verdict.signed_by:
        verdict.add(layout.MANIFEST, f"names key {manifest.get('key_id')}, but key "
                                     f"{verdict.signed_by} was checked")
    return manifest


def _parsed_manifest(text: bytes, verdict: Verdict) -> dict[str, Any] | None:
    try:
        manifest = json.loads(text)
        if manifest["format"] != layout.FORMAT:
            raise ValueError(f"format {manifest['format']!r} is not {layout.FORMAT}")
        files, case, chain = manifest["files"], manifest["case"], manifest["chain"]
        if not (isinstance(files, dict) and all(isinstance(v, str) for v in files.values())):
            raise ValueError("files is not a map of names to SHA-256 digests")
        _ = case["id"], chain["rule"], chain["head"], chain["events"]
    except (ValueError, KeyError, TypeError) as error:
        verdict.add(layout.MANIFEST, f"is not a bundle manifest ({error})")
        return None
    verdict.manifest = manifest
    return manifest


def _check_files(archive: zipfile.ZipFile, entries: Mapping[str, zipfile.ZipInfo],
                 manifest: Mapping[str, Any], verdict: Verdict) -> None:
    listed: Mapping[str, str] = manifest["files"]
    for name in entries:
        if name not in listed and name not in layout.UNSIGNED:
            verdict.add(name, "is not listed in the manifest")
    for name, expected in sorted(listed.items()):
        if name not in entries:
            verdict.add(name, "is missing (the manifest lists it)")
            continue
        found = _digest(archive, entries[name], verdict)
        if found is not None and found != expected:
            verdict.add(name, f"its SHA-256 is {found}, the manifest says {expected}")
    for name in layout.REQUIRED:
        if name not in listed and name not in layout.UNSIGNED:
            verdict.add(name, "is not in the manifest, and every bundle has one")


def _check_sums(text: bytes | None, manifest: Mapping[str, Any], verdict: Verdict) -> None:
    """SHA256SUMS (what `sha256sum -c` checks) must say what the signed manifest says."""
    if text is None:
        return
    try:
        sums = layout.parse_sums(text)
    except (ValueError, UnicodeDecodeError) as error:
        verdict.add(layout.SUMS, f"cannot be read ({error})")
        return
    listed = {n: h for n, h in manifest["files"].items() if n != layout.SUMS}
    for name in sorted(set(sums) | set(listed)):
        if sums.get(name) != listed.get(name):
            verdict.add(layout.SUMS, f"says {sums.get(name) or 'nothing'} for {name}, the "
                                     f"manifest says {listed.get(name) or 'nothing'}")


def _check_events(text: bytes | None, manifest: Mapping[str, Any],
                  rules: Mapping[str, ChainRule], verdict: Verdict) -> None:
    """Re-hash events.jsonl into the chain; name each event whose hash does not follow."""
    chain = manifest["chain"]
    rule = rules.get(chain["rule"])
    if rule is None:
        verdict.add(layout.MANIFEST, f"uses chain rule {chain['rule']!r}, which this Arrears "
                                     f"does not know (it knows: {', '.join(sorted(rules))})")
        return
    if text is None:
        return
    previous, count = None, 0
    for count, raw in enumerate(text.splitlines(), start=1):
        line = _event_line(raw)
        computed = None if line is None else _link(rule, previous, line[2])
        if line is None or computed is None:
            verdict.add(layout.EVENTS, f"line {count} is not an event (version, hash, event)")
            previous = None
            continue
        version, stated, _ = line
        if version != count:
            verdict.add(layout.EVENTS, f"is on line {count}, where event {count} belongs",
                        version)
        if stated != computed:
            verdict.add(layout.EVENTS, f"its hash {stated} does not follow from its content "
                                       f"and the previous event's hash ({computed})", version)
        previous = stated if HEX64.fullmatch(stated) else computed
    if count != chain["events"]:
        verdict.add(layout.EVENTS, f"has {count} events, the manifest says {chain['events']}")
    if previous != chain["head"]:
        verdict.add(layout.EVENTS, f"its chain ends at {previous}, the manifest's chain head "
                                   f"is {chain['head']}")


def _link(rule: ChainRule, previous: str | None, data: Any) -> str | None:
    """The event's hash by the rule (None when the rule cannot read the event's data)."""
    try:
        return rule.link(previous, rule.canonical(data))
    except (TypeError, ValueError, AttributeError):
        return None


def _event_line(raw: bytes) -> tuple[int, str, Any] | None:
    try:
        line = json.loads(raw)
        version, stated, data = line["version"], line["hash"], line["event"]
    except (ValueError, KeyError, TypeError):
        return None
    if not isinstance(version, int) or not isinstance(stated, str):
        return None
    return version, stated, data
