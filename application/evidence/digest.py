"""The store digest: an RFC 6962 tree over the case heads, signed with the installation's key.

A leaf is one case's head: its id (16 bytes), its version (8 bytes, big-endian) and the
chain hash at that version (32 bytes), leaves sorted by case id. The digest states the tree
size (cases), the notification position it covers and the root, as canonical JSON; the
statement is what the key signs (Ed25519 signatures are deterministic: the same store gives
the same digest, byte for byte, in any process).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any, Protocol
from uuid import UUID

from application.evidence import merkle
from application.evidence.canonical import canonical_json
from application.evidence.keys import InstallationKey

DIGEST_KIND = "arrears-digest/v1"
LEAF_SIZE = 16 + 8 + 32


@dataclass(frozen=True, order=True)
class Head:
    """A case's chain head: its latest version and the hash there."""

    case_id: UUID
    version: int
    hash: bytes

    def leaf(self) -> bytes:
        return self.case_id.bytes + self.version.to_bytes(8, "big") + self.hash

    @classmethod
    def from_leaf(cls, data: bytes) -> Head:
        return cls(UUID(bytes=data[:16]), int.from_bytes(data[16:24], "big"), data[24:56])


def pack(heads: list[Head]) -> bytes:
    return b"".join(head.leaf() for head in heads)


def unpack(data: bytes) -> list[Head]:
    return [Head.from_leaf(data[i:i + LEAF_SIZE]) for i in range(0, len(data), LEAF_SIZE)]


def tree_root(heads: list[Head]) -> bytes:
    return merkle.root([merkle.leaf_hash(head.leaf()) for head in heads])


class HeadsSource(Protocol):
    def select_heads(self) -> tuple[int, list[tuple[UUID, int, bytes]]]: ...


@dataclass(frozen=True)
class Digest:
    """The tree over the store's heads at a notification position."""

    position: int
    heads: list[Head]

    @property
    def size(self) -> int:
        return len(self.heads)

    @property
    def root(self) -> bytes:
        return tree_root(self.heads)

    def statement(self) -> bytes:
        return canonical_json({"kind": DIGEST_KIND, "position": self.position,
                               "root": self.root.hex(), "size": self.size})

    def signed(self, key: InstallationKey) -> dict[str, Any]:
        """The digest as JSON data: the statement, its fields and its signature."""
        statement = self.statement()
        return {"kind": DIGEST_KIND, "size": self.size, "position": self.position,
                "root": self.root.hex(), "statement": statement.decode(),
                "key_id": key.key_id,
                "signature": base64.b64encode(key.sign(statement)).decode()}

    def proof(self, case_id: UUID) -> dict[str, Any]:
        """The inclusion proof of a case's head in this tree (RFC 6962 audit path)."""
        index = next(i for i, head in enumerate(self.heads) if head.case_id == case_id)
        leaves = [merkle.leaf_hash(head.leaf()) for head in self.heads]
        head = self.heads[index]
        return {"case_id": str(case_id), "version": head.version, "head": head.hash.hex(),
                "leaf_index": index, "tree_size": self.size,
                "path": [p.hex() for p in merkle.inclusion_proof(leaves, index)]}


def current(recorder: HeadsSource) -> Digest:
    """The digest of the store as it is now (heads and position read in one transaction)."""
    position, rows = recorder.select_heads()
    return Digest(position, sorted(Head(case_id, version, bytes(digest))
                                   for case_id, version, digest in rows))
