"""The lines of an export file (format `arrears-export/v1`), one JSON object per line.

    {"kind": "header", "format": "arrears-export/v1", "database": "sqlite", "position": P}
    {"kind": "event", "id": N, "originator_id": UUID, "originator_version": V,
     "topic": T, "state": BASE64, "hash": HEX, "previous": HEX}          (one per event)
    {"kind": "key", "idempotency_key": K, "fingerprint": F, "case_id": UUID,
     "invoice_number": I, "first_version": V1, "version": V2, "recorded_at": ISO}
    {"kind": "checkpoint", "checkpoint_id": N, "created_at": ISO, "position": P, ...}
    {"kind": "trailer", "events": N, "keys": K, "checkpoints": C, "cases": S,
     "position": P, "root": HEX}

`state` is the stored bytes, base64: they round-trip exactly whatever the database. `hash`
is the event's stored chain hash, `previous` the one before it (zeros for version 1). The
trailer's `root` is the store digest's Merkle root over the case heads (ADR 0016's digest),
so a file cut short or edited is refused, and the copy's `arrears digest` is the original's.
"""

from __future__ import annotations

import base64
import binascii
import functools
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent

FORMAT = "arrears-export/v1"
HEADER, EVENT, KEY, CHECKPOINT, TRAILER = "header", "event", "key", "checkpoint", "trailer"
CHECKPOINT_BYTES = ("statement", "signature", "leaves", "tsa_token")


@dataclass(frozen=True)
class ExportedEvent:
    """One event as exported: its notification id, the stored event and its chain hashes."""

    id: int
    stored: StoredEvent
    hash: bytes | None  # None: the store holds no hash for it (the import refuses it)
    previous: bytes

    def line(self) -> dict[str, Any]:
        s = self.stored
        return {"kind": EVENT, "id": self.id, "originator_id": str(s.originator_id),
                "originator_version": s.originator_version, "topic": s.topic,
                "state": base64.b64encode(s.state).decode("ascii"),
                "hash": None if self.hash is None else self.hash.hex(),
                "previous": self.previous.hex()}

    @classmethod
    def of(cls, line: dict[str, Any]) -> ExportedEvent:
        stored = StoredEvent(UUID(line["originator_id"]), int(line["originator_version"]),
                             str(line["topic"]), base64.b64decode(line["state"], validate=True))
        digest = line["hash"]
        return cls(int(line["id"]), stored, None if digest is None else bytes.fromhex(digest),
                   bytes.fromhex(line["previous"]))


def event_line(notification_id: int, originator_id: str, version: int, topic: str,
               state: bytes, digest: bytes | None, previous: bytes) -> str:
    """`dumps(ExportedEvent(...).line())` and its newline, made without the dict (for
    `export`): the same keys in the same (sorted) order, the same bytes."""
    return (f'{{"hash":{"null" if digest is None else chr(34) + digest.hex() + chr(34)},'
            f'"id":{notification_id},"kind":"{EVENT}","originator_id":"{originator_id}",'
            f'"originator_version":{version},"previous":"{previous.hex()}",'
            f'"state":"{binascii.b2a_base64(state, newline=False).decode("ascii")}",'
            f'"topic":{_topic(topic)}}}\n')


@functools.lru_cache(maxsize=1024)
def _topic(topic: str) -> str:
    return json.dumps(topic, ensure_ascii=False)


def dumps(line: dict[str, Any]) -> str:
    return json.dumps(line, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def key_line(row: dict[str, Any]) -> dict[str, Any]:
    at = row["recorded_at"]
    return {"kind": KEY, **{k: str(v) if k == "case_id" else v for k, v in row.items()},
            "recorded_at": _utc(at if isinstance(at, datetime) else datetime.fromisoformat(at))}


def key_row(line: dict[str, Any]) -> dict[str, Any]:
    row = {k: v for k, v in line.items() if k != "kind"}
    row["recorded_at"] = datetime.fromisoformat(row["recorded_at"])
    row["case_id"] = UUID(row["case_id"])
    return row


def checkpoint_line(row: dict[str, Any]) -> dict[str, Any]:
    line: dict[str, Any] = {"kind": CHECKPOINT}
    for name, value in row.items():
        if name in CHECKPOINT_BYTES and value is not None:
            value = base64.b64encode(bytes(value)).decode("ascii")
        elif isinstance(value, datetime):
            value = _utc(value)
        line[name] = value
    return line


def _utc(at: datetime) -> str:
    """A time as ISO 8601 in UTC, whichever time zone the database session is in."""
    return at.astimezone(UTC).isoformat()


def checkpoint_row(line: dict[str, Any]) -> dict[str, Any]:
    row = {k: v for k, v in line.items() if k != "kind"}
    for name in CHECKPOINT_BYTES:
        if row.get(name) is not None:
            row[name] = base64.b64decode(row[name], validate=True)
    row["created_at"] = datetime.fromisoformat(row["created_at"])
    return row
