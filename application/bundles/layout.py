"""What is where in a bundle: its file names, the manifest, SHA256SUMS and the README.

Shared by the producer (`application.bundles.produce`) and the offline verifier
(`application.bundles.verify`), so both read the one format.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

FORMAT = "arrears-evidence-bundle/1"
README = "README.txt"
PDF = "chronology.pdf"
HTML = "chronology.html"
EVENTS = "events.jsonl"
PUBLIC_KEY = "public-key.pem"
SUMS = "SHA256SUMS"
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
ATTACHMENTS = "attachments/"
REQUIRED = (README, PDF, HTML, EVENTS, PUBLIC_KEY, SUMS, MANIFEST, SIGNATURE)
UNSIGNED = (MANIFEST, SIGNATURE)  # every other file is listed, with its hash, in the manifest

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def canonical_json(data: Any) -> bytes:
    """JSON with sorted keys, no spaces, UTF-8 (not escaped), no NaN: one text per value."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode("utf-8")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def key_id_of(public_key: Ed25519PublicKey) -> str:
    """`sha256:` + the hex SHA-256 of the key's DER SubjectPublicKeyInfo (the fingerprint
    `openssl pkey -pubin -in KEY.pem -outform DER | sha256sum` prints)."""
    der = public_key.public_bytes(serialization.Encoding.DER,
                                  serialization.PublicFormat.SubjectPublicKeyInfo)
    return "sha256:" + sha256(der)


def attachment_path(digest: str, name: str) -> str:
    """attachments/<sha256>-<name>, the name reduced to letters, digits, '.', '_' and '-'."""
    safe = _UNSAFE.sub("_", name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]).strip("._") or "file"
    return f"{ATTACHMENTS}{digest}-{safe[:120]}"


def sums_text(hashes: Mapping[str, str]) -> bytes:
    """SHA256SUMS as `sha256sum` writes it: `HASH  NAME` a line, by name."""
    return "".join(f"{hashes[name]}  {name}\n" for name in sorted(hashes)).encode("utf-8")


def parse_sums(text: bytes) -> dict[str, str]:
    """SHA256SUMS read back: name → hash (a malformed line raises ValueError)."""
    found = {}
    for number, line in enumerate(text.decode("utf-8").splitlines(), start=1):
        digest, sep, name = line.partition("  ")
        if not sep or not re.fullmatch(r"[0-9a-f]{64}", digest) or not name:
            raise ValueError(f"line {number} is not 'SHA-256  NAME'")
        found[name] = digest
    return found


def manifest_bytes(manifest: Mapping[str, Any]) -> bytes:
    """The manifest as signed: indented JSON, keys sorted, one file a line (grep finds it)."""
    return (json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()


CONTENTS = (
    (PDF, "the chronology and statement of account, to read and print"),
    (HTML, "the same, as a web page"),
    (EVENTS, "every event of the case as recorded, one JSON object a line, in the order "
             "recorded, each with its chain hash"),
    (ATTACHMENTS, "the documents attached to the case, named <SHA-256>-<name>"),
    (PUBLIC_KEY, "the Ed25519 public key that signed the manifest"),
    (MANIFEST, "the SHA-256 of every other file, the case's chain head, the store checkpoint "
               "it belongs to, when it was made and by which key"),
    (SIGNATURE, f"the Ed25519 signature of {MANIFEST}, exactly as it is"),
    (SUMS, "the SHA-256 of every file but the manifest and its signature"),
)


def readme(manifest: Mapping[str, Any]) -> bytes:
    """How a lawyer checks the bundle with standard tools (tests run these very commands)."""
    case, chain = manifest["case"], manifest["chain"]
    fingerprint = manifest["key_id"].removeprefix("sha256:")
    contents = "\n".join(f"  {name:<16} {text}" for name, text in CONTENTS)
    return f"""\
Evidence bundle of invoice {case['invoice_number']} ({case['creditor']})
Case {case['id']}: its {chain['events']} recorded events, produced {manifest['created_at']}.

What is in it
{contents}

How to check it (OpenSSL 3 and GNU coreutils; run each command in the unzipped folder)
1. Unzip it into an empty folder and go there: unzip BUNDLE.zip -d bundle && cd bundle
2. The manifest is signed by the key in {PUBLIC_KEY}; this prints
   "Signature Verified Successfully":
       openssl pkeyutl -verify -pubin -inkey {PUBLIC_KEY} -rawin -in {MANIFEST} -sigfile {SIGNATURE}
3. The key is the creditor's: this prints its fingerprint, which must be
   {fingerprint}
   and the fingerprint the creditor gave you:
       openssl pkey -pubin -in {PUBLIC_KEY} -outform DER | sha256sum
4. {SUMS} is the list the manifest signed; these two print the same SHA-256:
       sha256sum {SUMS}
       grep '"{SUMS}"' {MANIFEST}
5. Every file is as it was signed; this prints OK for each:
       sha256sum -c {SUMS}

Arrears checks all of this in one command, and also recomputes the chain of events in
{EVENTS} up to the chain head in the manifest (no database needed, only this file):
       arrears verify-bundle BUNDLE.zip --key CREDITOR-PUBLIC-KEY.pem
""".encode()
