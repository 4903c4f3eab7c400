"""The hash chain of a case: hash_n = SHA-256(hash_{n-1} || canonical bytes of event n).

hash_0 is 32 zero bytes. The hash of each event is stored beside it (table `event_hashes`,
written by the recorders in the events' transaction). `follow` checks stored rows against
their stored hashes from a trusted link (the start, or a head this process verified, or the
head a sealed snapshot carries) and names the first version where they part.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Mapper, StoredEvent

from application.errors import ChainBroken, ChainUnsealed
from application.evidence.canonical import event_bytes

ZERO = bytes(32)
HASH_SIZE = 32
# Events are stored as bytes: a state read back as text was rewritten outside Arrears.
TEXT_STATE = "the event cannot be read: its state is stored as text, not bytes"


@dataclass(frozen=True)
class Link:
    """A case's chain at a version: the hash of its events up to and including it."""

    version: int
    hash: bytes


START = Link(0, ZERO)


@dataclass(frozen=True)
class ChainRow:
    """One version of a case as stored: the event (None when missing) and its stored hash."""

    version: int
    event: StoredEvent | None
    stored_hash: bytes | None


@dataclass(frozen=True)
class ChainedEvent:
    """One event of a verified chain: its canonical bytes and its hash (for bundles)."""

    version: int
    canonical: bytes
    hash: bytes


def chained(events: Iterable[StoredEvent], canonical: Callable[[StoredEvent], bytes]
            ) -> list[ChainedEvent]:
    """Each event's canonical bytes and chain hash, from the start of the chain."""
    made, previous = [], ZERO
    for event in events:
        data = canonical(event)
        previous = next_hash(previous, data)
        made.append(ChainedEvent(event.originator_version, data, previous))
    return made


def next_hash(previous: bytes, canonical: bytes) -> bytes:
    return hashlib.sha256(previous + canonical).digest()


class Canonicalizer:
    """The canonical bytes of stored events, decoded as the application's mapper decodes them."""

    def __init__(self, mapper: Mapper[Any]) -> None:
        self.mapper = mapper

    def state(self, stored: StoredEvent) -> dict[str, Any]:
        data = stored.state
        if self.mapper.cipher:
            data = self.mapper.cipher.decrypt(data)
        if self.mapper.compressor:
            data = self.mapper.compressor.decompress(data)
        return self.mapper.transcoder.decode(data)

    def bytes_of(self, stored: StoredEvent) -> bytes:
        case_id = stored.originator_id
        return event_bytes(stored.topic, case_id if isinstance(case_id, UUID) else UUID(case_id),
                           stored.originator_version, self.state(stored))


def links(anchor: Link, events: Iterable[StoredEvent],
          canonical: Callable[[StoredEvent], bytes]) -> list[Link]:
    """The links of new events that follow the anchor (their versions must follow it)."""
    made, head = [], anchor
    for event in events:
        if event.originator_version != head.version + 1:
            raise ValueError(f"version {event.originator_version} does not follow "
                             f"{head.version}")
        head = Link(event.originator_version, next_hash(head.hash, canonical(event)))
        made.append(head)
    return made


# Bytes that may be an event's canonical bytes, or None: trusted only when they hash to the
# stored hash (`application.evidence.canonical_fast`, ADR 0037), else the canonicalizer judges.
Shortcut = Callable[[StoredEvent], bytes | None]


def follow(case_id: UUID, anchor: Link, rows: Sequence[ChainRow],
           canonical: Callable[[StoredEvent], bytes],
           sealed: Callable[[], bool] = lambda: True, shortcut: Shortcut | None = None) -> Link:
    """The last link of the rows, checked from the anchor; ChainBroken names the first break.

    Rows are every stored version from the anchor's (included, unless it is the start) on,
    with the hashes stored for versions whose event is gone. `sealed` says whether the store
    has sealed its history: a case without any stored hash is then broken, else unsealed.
    An event whose `shortcut` bytes hash to its stored hash holds without `canonical`.
    """
    if not any(row.stored_hash for row in rows) and any(row.event for row in rows) \
            and anchor == START and not sealed():
        raise ChainUnsealed(case_id)
    position = 0
    if anchor.version > 0:
        _check_anchor(case_id, anchor, rows[0] if rows else None)
        position = 1
    head = anchor
    for row in rows[position:]:
        head = _shortcut(head, row, shortcut) or _step(case_id, head, row, canonical)
    return head


def _shortcut(head: Link, row: ChainRow, shortcut: Shortcut | None) -> Link | None:
    """The row's link when the shortcut's bytes give its stored hash; None: no verdict."""
    if shortcut is None or row.event is None or row.stored_hash is None \
            or row.version != head.version + 1:
        return None
    made = shortcut(row.event)
    if made is None:
        return None
    computed = next_hash(head.hash, made)
    return Link(row.version, computed) if computed == row.stored_hash else None


def _check_anchor(case_id: UUID, anchor: Link, row: ChainRow | None) -> None:
    if row is None or row.version != anchor.version or row.event is None:
        raise ChainBroken(case_id, anchor.version, "the event is missing")
    if row.stored_hash != anchor.hash:
        raise ChainBroken(case_id, anchor.version,
                          "its stored hash is not the one verified before")


def _step(case_id: UUID, head: Link, row: ChainRow,
          canonical: Callable[[StoredEvent], bytes]) -> Link:
    expected = head.version + 1
    if row.version != expected or row.event is None:
        return _missing(case_id, expected, row)
    if row.stored_hash is None:
        raise ChainBroken(case_id, expected, "no hash is stored for the event")
    if isinstance(row.event.state, str):  # SQLite keeps the TEXT an UPDATE may have made
        raise ChainBroken(case_id, expected, TEXT_STATE)
    try:
        computed = next_hash(head.hash, canonical(row.event))
    except (ValueError, TypeError, KeyError) as error:
        raise ChainBroken(case_id, expected, f"the event cannot be read: {error}") from None
    if computed != row.stored_hash:
        raise ChainBroken(case_id, expected, "the event does not match its stored hash")
    return Link(expected, computed)


def _missing(case_id: UUID, expected: int, row: ChainRow) -> Link:
    if row.version < expected:
        raise ChainBroken(case_id, row.version, "the version is stored twice")
    raise ChainBroken(case_id, expected, "the event is missing")
