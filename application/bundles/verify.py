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

import json
import re
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from application.bundles import layout, zipsafety
from application.bundles.ports import ChainRule
from application.bundles.verdict import Verdict

HEX64 = re.compile(r"[0-9a-f]{64}")


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
        entries = zipsafety.safe_entries(archive, verdict)
        whole = {name: zipsafety.read_whole(archive, entries[name], limit, verdict)
                 for name, limit in zipsafety.MAX_READ.items() if name in entries}
        manifest = _signed_manifest(whole, expected_key, verdict)
        if manifest is None:
            return verdict
        _check_files(archive, entries, manifest, verdict)
        _check_sums(whole.get(layout.SUMS), manifest, verdict)
        _check_events(whole.get(layout.EVENTS), manifest, rules, verdict)
    return verdict


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
        found = zipsafety.digest(archive, entries[name], verdict)
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
