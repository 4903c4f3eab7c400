"""What an evidence bundle needs from the rest of Arrears, as small ports.

The bundle is signed by the installation's key (`Signer`), carries the case's hash chain
(`ChainRule`, `ChainInfo`) and the documents attached to the case (`Attachments`). The
composition root passes real adapters; `application.bundles.standins` has simple working
ones for tests and for use until the real chain, key and blob store are wired in.

`verify-bundle` needs only a `ChainRule`: it is pure, and runs with no database.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol
from uuid import UUID

from domain.events import CaseEvent


class Signer(Protocol):
    """The installation's Ed25519 key."""

    @property
    def key_id(self) -> str:
        """Names the key: `sha256:` + the hex SHA-256 of its public key's DER
        (SubjectPublicKeyInfo), as `openssl pkey -pubin -outform DER | sha256sum` prints it."""
        ...

    def sign(self, data: bytes) -> bytes:
        """The 64-byte Ed25519 signature of `data` (the exact bytes, no pre-hashing)."""
        ...

    def public_key_pem(self) -> bytes:
        """The public key as PEM (SubjectPublicKeyInfo), as `openssl pkey -pubout` writes it."""
        ...


class ChainRule(Protocol):
    """How a case's chain hashes are computed from its events' canonical data. Pure: it
    needs no store, so `verify-bundle` runs it offline on the bundle's events.jsonl."""

    @property
    def name(self) -> str:
        """Names the rule in the manifest (`verify-bundle` refuses a rule it does not know)."""
        ...

    def canonical(self, data: Mapping[str, Any]) -> bytes:
        """The canonical bytes of one event's plain data (what the chain hashes)."""
        ...

    def link(self, previous: str | None, canonical: bytes) -> str:
        """The event's chain hash (hex) from the previous event's hash (None for the first
        event of the case) and its own canonical bytes."""
        ...


@dataclass(frozen=True)
class Checkpoint:
    """A signed store digest (Merkle root over the case heads) saved as a checkpoint."""

    id: str
    position: int  # the notification position the digest covers
    root: str  # the Merkle root, hex
    signature: str  # the installation key's signature of the checkpoint, hex


class ChainInfo(Protocol):
    """The case's hash chain as the store keeps it."""

    @property
    def rule(self) -> ChainRule:
        ...

    def event_data(self, event: CaseEvent) -> dict[str, Any]:
        """The event as the chain hashes it: plain JSON data (str, int, bool, None, lists
        and dicts), so that `rule.canonical` gives the same bytes after a JSON round trip."""
        ...

    def head(self, case_id: UUID, version: int) -> str:
        """The chain hash stored with the case's event at `version` (its head, when that is
        the latest version)."""
        ...

    def checkpoint(self, case_id: UUID, version: int) -> Checkpoint | None:
        """The latest checkpoint whose tree has the case's head at `version` as its leaf;
        None while that head is newer than every checkpoint."""
        ...


@dataclass(frozen=True)
class Attachment:
    """One document attached to a case (its bytes already checked against `sha256`)."""

    name: str
    media_type: str
    sha256: str
    content: bytes


class Attachments(Protocol):
    """The documents attached to a case, and the letters Arrears generated for it."""

    def for_case(self, case_id: UUID, version: int) -> Iterable[Attachment]:
        """Every document attached to the case by its events 1..version, in the order
        attached."""
        ...


@dataclass(frozen=True)
class BundleSources:
    """Everything a bundle is made from besides the case's events."""

    signer: Signer
    chain: ChainInfo
    attachments: Attachments
