"""Signed checkpoints: a digest of the store at a moment, kept, like a log's signed tree head.

A checkpoint's statement (canonical JSON: kind, position, root, size, time) is signed with
the installation's key and, when ARREARS_TSA_URL names an RFC 3161 authority, time-stamped
by it (the token covers SHA-256 of the statement). The checkpoint keeps its heads (the
tree's leaves): `verify --against` names the case that no longer passes through its head;
the leaves prove nothing by themselves, they must hash to the signed root.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from application.evidence import tsa
from application.evidence.canonical import canonical_json
from application.evidence.digest import Digest, Head, pack, tree_root, unpack
from application.evidence.keys import InstallationKey

CHECKPOINT_KIND = "arrears-checkpoint/v1"


class CheckpointStore(Protocol):
    def insert_checkpoint(self, row: dict[str, Any]) -> int: ...

    def select_checkpoints(self, checkpoint_id: int | None = None) -> list[dict[str, Any]]: ...


@dataclass(frozen=True)
class Checkpoint:
    checkpoint_id: int
    created_at: datetime
    position: int
    size: int
    root: str
    statement: bytes
    signature: bytes
    key_id: str
    leaves: bytes
    tsa_url: str | None
    tsa_token: bytes | None

    @property
    def heads(self) -> list[Head]:
        return unpack(self.leaves)

    def leaves_hold(self) -> bool:
        """Whether the kept heads are the tree the statement names."""
        stated = json.loads(self.statement)
        return (len(self.heads) == self.size and tree_root(self.heads).hex() == self.root
                and stated.get("kind") == CHECKPOINT_KIND
                and (stated.get("position"), stated.get("root"), stated.get("size"))
                == (self.position, self.root, self.size))

    def as_dict(self) -> dict[str, Any]:
        stamped = tsa.info(self.tsa_token).time.isoformat() if self.tsa_token else None
        return {"checkpoint": self.checkpoint_id, "created_at": self.created_at.isoformat(),
                "position": self.position, "size": self.size, "root": self.root,
                "statement": self.statement.decode(), "key_id": self.key_id,
                "signature": base64.b64encode(self.signature).decode(),
                "timestamped_at": stamped, "tsa_url": self.tsa_url,
                "tsa_token": base64.b64encode(self.tsa_token).decode()
                if self.tsa_token else None}


def statement(position: int, root: str, size: int, at: datetime) -> bytes:
    return canonical_json({"kind": CHECKPOINT_KIND, "position": position, "root": root,
                           "size": size, "time": at})


def save(store: CheckpointStore, digest: Digest, key: InstallationKey, at: datetime,
         tsa_url: str = "") -> Checkpoint:
    """Sign the digest as a checkpoint at `at` (time-stamped when a TSA is named), store it."""
    text = statement(digest.position, digest.root.hex(), digest.size, at)
    row: dict[str, Any] = {
        "created_at": at, "position": digest.position, "size": digest.size,
        "root": digest.root.hex(), "statement": text, "signature": key.sign(text),
        "key_id": key.key_id, "leaves": pack(digest.heads), "tsa_url": tsa_url or None,
        "tsa_token": tsa.stamp(tsa_url, text) if tsa_url else None}
    row["checkpoint_id"] = store.insert_checkpoint(row)
    return Checkpoint(**row)


def load(store: CheckpointStore, checkpoint_id: int | None = None) -> list[Checkpoint]:
    return [Checkpoint(**row) for row in store.select_checkpoints(checkpoint_id)]
