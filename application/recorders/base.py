"""What both recorders share: the chain rows of new events, the tables' names, a seal's row."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import groupby
from typing import Any
from uuid import UUID

from eventsourcing.persistence import ProgrammingError, StoredEvent

from application.errors import ChainBroken
from application.evidence.chain import START, Canonicalizer, ChainRow, Link, links
from application.evidence.store import CHAIN_KEYWORD, ChainWrite

# The columns the recorders of both databases read and write, in this order.
KEY_COLUMNS = ("idempotency_key, fingerprint, case_id, invoice_number, first_version, "
               "version, recorded_at")
CHECKPOINT_COLUMNS = ("checkpoint_id, created_at, position, size, root, statement, signature, "
                      "key_id, leaves, tsa_url, tsa_token")
SEAL_COLUMNS = "sealed_at, kind, position, cases, events, sealed_by"

HASHES = "event_hashes"
SEALS = "chain_seals"
CHECKPOINTS = "checkpoints"
SNAPSHOT_SEALS = "snapshot_seals"
# The tables that refuse UPDATE and DELETE (and TRUNCATE where the database has it).
PROTECTED = ("stored_events", HASHES, SEALS, CHECKPOINTS)
REFUSAL = "is append-only: events and their evidence are never changed or removed"


@dataclass(frozen=True)
class Seal:
    """One sealing of the chain: the store born chained, or `arrears chain init`."""

    sealed_at: datetime
    kind: str  # "new store" or "existing history"
    position: int
    cases: int
    events: int
    sealed_by: str


def chain_rows(stored_events: Sequence[StoredEvent], kwargs: dict[str, Any],
               canonical: Canonicalizer | None,
               stored_hash: Callable[[UUID, int], bytes | None]
               ) -> list[tuple[UUID, int, bytes]]:
    """(case, version, hash) of each new event, chained from the head the save knows."""
    if canonical is None:
        raise ProgrammingError("the recorder has no canonicalizer: use it through CaseService")
    write: ChainWrite = kwargs.get(CHAIN_KEYWORD) or ChainWrite()
    rows = []
    for case_id, group in groupby(stored_events, key=lambda e: e.originator_id):
        events = list(group)
        uuid = case_id if isinstance(case_id, UUID) else UUID(str(case_id))
        anchor = _anchor(uuid, events[0].originator_version, write, stored_hash)
        made = links(anchor, events, canonical.bytes_of)
        write.heads[uuid] = made[-1]
        rows += [(uuid, link.version, link.hash) for link in made]
    return rows


def _anchor(case_id: UUID, first: int, write: ChainWrite,
            stored_hash: Callable[[UUID, int], bytes | None]) -> Link:
    known = write.anchors.get(case_id)
    if known is not None and known.version == first - 1:
        return known
    if first == 1:
        return START
    previous = stored_hash(case_id, first - 1)
    if previous is None:
        raise ChainBroken(case_id, first - 1,
                          f"no hash is stored for the event, so version {first} cannot follow")
    return Link(first - 1, previous)


def case_count_sql(events: str, hashes: str) -> str:
    """The count of cases with a stored event or a stored hash: the cases with events, and
    those with hashes only (each counted once, from ordered distinct ids)."""
    return (f"SELECT (SELECT COUNT(DISTINCT originator_id) FROM {events}) + "
            f"(SELECT COUNT(*) FROM (SELECT DISTINCT originator_id AS id FROM {hashes}) h "
            f"WHERE NOT EXISTS (SELECT 1 FROM {events} e WHERE e.originator_id = h.id)) AS cases")


def with_missing_tail(rows: list[ChainRow], highest_hash: int | None) -> list[ChainRow]:
    """The rows, and a row without its event after the last if hashes are stored past it."""
    if rows and highest_hash is not None and highest_hash > rows[-1].version:
        return [*rows, ChainRow(rows[-1].version + 1, None, None)]
    return rows


# The rows of `chain_stream`: originator_id (as the database returns it), originator_version,
# topic, state, stored hash (None when none is stored), case after case in id order.
STREAM_PAGE = 5000
Streamed = Iterator[tuple[UUID, list[Sequence[Any]]]]


@dataclass(frozen=True)
class CaseRange:
    """The cases whose ids lie from `low` (included) to `high` (excluded; None: no end)."""

    low: UUID
    high: UUID | None = None

    @classmethod
    def cut(cls, parts: int) -> list[CaseRange]:
        """The whole id space in `parts` ranges of equal width, in id order."""
        step = (1 << 128) // parts
        lows = [UUID(int=step * i) for i in range(parts)]
        return [cls(low, high) for low, high in zip(lows, [*lows[1:], None], strict=True)]

    def holds(self, case_id: UUID) -> bool:
        return self.low <= case_id and (self.high is None or case_id < self.high)


class ChainStream:
    """Every stored event with its stored hash, case after case in id order (`cases`), and
    how many hashes are stored in the range read (`hashes`, complete once `cases` is
    consumed): fewer hashes read with the events than that means hashes without events."""

    def __init__(self, pages: Callable[[ChainStream], Iterator[Sequence[Sequence[Any]]]],
                 to_uuid: Callable[[Any], UUID]) -> None:
        self.hashes = 0
        self._pages, self._to_uuid = pages, to_uuid

    def cases(self) -> Streamed:
        return grouped(self._pages(self), self._to_uuid)


def grouped(pages: Iterator[Sequence[Sequence[Any]]], to_uuid: Callable[[Any], UUID]
            ) -> Streamed:
    """The streamed rows, a case at a time (its rows in version order)."""
    key: Any = None
    rows: list[Sequence[Any]] = []
    for page in pages:
        for row in page:
            if row[0] != key:
                if rows:
                    yield to_uuid(key), rows
                key, rows = row[0], []
            rows.append(row)
    if rows:
        yield to_uuid(key), rows
