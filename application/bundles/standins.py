"""Simple working adapters for the bundle's ports, until the real ones are wired in.

- `FileSigner`: an Ed25519 key in a PEM file, generated on first use (mode 0600).
- `SimpleChainRule` and `RecomputedChain`: a SHA-256 chain over each event's canonical JSON,
  recomputed from the store (the real chain stores each hash with its event).
- `NoAttachments` (a case has none yet) and `ListedAttachments` (the documents given).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any
from uuid import UUID

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from application.bundles.layout import canonical_json, key_id_of
from application.bundles.ports import Attachment, Checkpoint
from application.records import event_record
from domain.events import CaseEvent

if TYPE_CHECKING:
    from application.service import CaseService

GENESIS = bytes(32)


class FileSigner:
    """An Ed25519 private key kept in a PEM file (PKCS #8), created on first use."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._key = self._load_or_create()

    def _load_or_create(self) -> Ed25519PrivateKey:
        if not self.path.exists():
            self.path.parent.mkdir(parents=True, exist_ok=True)
            pem = Ed25519PrivateKey.generate().private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption())
            try:  # O_EXCL: of two processes creating it at once, one key wins
                fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                pass
            else:
                with os.fdopen(fd, "wb") as file:
                    file.write(pem)
        key = serialization.load_pem_private_key(self.path.read_bytes(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError(f"{self.path}: not an Ed25519 private key")
        return key

    @property
    def key_id(self) -> str:
        return key_id_of(self._key.public_key())

    def sign(self, data: bytes) -> bytes:
        return self._key.sign(data)

    def public_key_pem(self) -> bytes:
        return self._key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


class SimpleChainRule:
    """hash(n) = SHA-256(hash(n-1) as 32 bytes ‖ canonical JSON of event n); hash(0) = 32 zero
    bytes."""

    name = "arrears-standin-sha256-chain/1"

    def canonical(self, data: Mapping[str, Any]) -> bytes:
        return canonical_json(data)

    def link(self, previous: str | None, canonical: bytes) -> str:
        before = GENESIS if previous is None else bytes.fromhex(previous)
        return hashlib.sha256(before + canonical).hexdigest()


class RecomputedChain:
    """The simple chain, recomputed from the case's events in the store on each call."""

    def __init__(self, service: CaseService) -> None:
        self.service = service
        self.rule = SimpleChainRule()

    def event_data(self, event: CaseEvent) -> dict[str, Any]:
        """The event's record without its summary (wording may change; the facts do not)."""
        record = event_record(event)
        del record["summary"]
        return record

    def head(self, case_id: UUID, version: int) -> str:
        head = None
        for event in self.service.case_events(case_id):
            if event.originator_version > version:
                break
            head = self.rule.link(head, self.rule.canonical(self.event_data(event)))
        if head is None:
            raise LookupError(f"case {case_id} has no event at version {version}")
        return head

    def checkpoint(self, case_id: UUID, version: int) -> Checkpoint | None:
        return None  # no checkpoints until the store digest is wired in


class NoAttachments:
    """No case has attachments (until the blob store is wired in)."""

    def for_case(self, case_id: UUID, version: int) -> Iterable[Attachment]:
        return ()


class ListedAttachments:
    """The documents given, by case id (tests)."""

    def __init__(self, by_case: Mapping[UUID, list[Attachment]]) -> None:
        self.by_case = by_case

    def for_case(self, case_id: UUID, version: int) -> Iterable[Attachment]:
        return list(self.by_case.get(case_id, []))
