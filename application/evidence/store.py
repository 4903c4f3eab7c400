"""The event store and snapshot store of CaseService: every load checks the case's chain.

`ChainedEventStore.get` reads the events with their stored hashes and checks them from a
trusted link: the start of the chain, or the head this process verified or wrote last (kept
in `Heads`, for the aggregate cache's fast-forward), or the head a sealed snapshot carries.
A break raises ChainBroken: the case is not loaded. `put` hands the recorder the head it
knows, so a command costs no extra query; the recorder hashes the new events in the events'
own transaction.

Snapshots are derived data: `SealedSnapshotStore` stores each with the chain head at its
version and an HMAC of both under the installation's key (`keys.snapshot_key`), and uses
only a snapshot whose seal holds (one sealed under another key is passed over: the case is
replayed from its events); a snapshot altered in the store refuses the load.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol
from uuid import UUID

from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import EventStore, Mapper, Notification, Recording, StoredEvent

from application.errors import ChainBroken
from application.evidence.canonical_fast import FastCanonical
from application.evidence.chain import START, Canonicalizer, ChainRow, Link, Shortcut, follow
from application.groupcommit import GroupCommitter, Pending

CHAIN_KEYWORD = "chain"  # the keyword argument to insert_events carrying a ChainWrite


class ChainRecorder(Protocol):
    canonical: Canonicalizer | None

    def select_chain(self, originator_id: UUID, start: int,
                     lte: int | None = None) -> list[ChainRow]: ...

    def is_sealed(self) -> bool: ...

    def insert_events(self, stored_events: Sequence[StoredEvent],
                      **kwargs: Any) -> Sequence[int] | None: ...

    @property
    def committer(self) -> GroupCommitter: ...


@dataclass
class ChainWrite:
    """What a save tells the recorder (the heads it knows) and learns (the new heads)."""

    anchors: dict[UUID, Link] = field(default_factory=dict)
    heads: dict[UUID, Link] = field(default_factory=dict)


@dataclass
class Save:
    """A save prepared for the group committer (`application.groupcommit`)."""

    domain_events: list[DomainEventProtocol[UUID]]
    pending: Pending
    write: ChainWrite


class Heads:
    """The last links this process verified or wrote, a few per case, for the most recent cases.

    Sized above the aggregate cache: a cached case normally finds its head here. A case
    that does not is read from the start of its chain (correct, only slower).
    """

    def __init__(self, cases: int = 4096, per_case: int = 4) -> None:
        self._links: OrderedDict[UUID, dict[int, bytes]] = OrderedDict()
        self._cases, self._per_case = cases, per_case
        self._lock = threading.Lock()

    def remember(self, case_id: UUID, link: Link) -> None:
        if link.version == 0:
            return
        with self._lock:
            known = self._links.pop(case_id, {})
            known[link.version] = link.hash
            while len(known) > self._per_case:
                del known[min(known)]
            self._links[case_id] = known
            while len(self._links) > self._cases:
                self._links.popitem(last=False)

    def at(self, case_id: UUID, version: int) -> Link | None:
        if version == 0:
            return START
        with self._lock:
            known = self._links.get(case_id, {})
            return Link(version, known[version]) if version in known else None


class ChainedEventStore(EventStore[UUID]):
    """The library's event store, checking every case it reads against its chain."""

    def __init__(self, mapper: Mapper[UUID], recorder: Any, heads: Heads) -> None:
        super().__init__(mapper, recorder)
        self.heads = heads
        self.chained: ChainRecorder = recorder
        self._fast: FastCanonical | None = None

    def verified(self, case_id: UUID, gt: int | None = None,
                 lte: int | None = None) -> tuple[list[StoredEvent], Link]:
        """The stored events after gt (to lte), checked; and the chain's link at the last."""
        anchor = self.heads.at(case_id, gt or 0) or START
        rows = self.chained.select_chain(case_id, max(anchor.version, 1), lte)
        canonical = self._canonical()
        head = follow(case_id, anchor, rows, canonical.bytes_of, self.chained.is_sealed,
                      self._shortcut(canonical))
        self.heads.remember(case_id, head)
        after = gt or 0
        return [r.event for r in rows if r.event is not None and r.version > after], head

    def get(self, originator_id: UUID, *, gt: int | None = None, lte: int | None = None,
            desc: bool = False, limit: int | None = None
            ) -> Iterator[DomainEventProtocol[UUID]]:
        stored, _ = self.verified(originator_id, gt, lte)
        if desc:
            stored.reverse()
        if limit is not None:
            stored = stored[:limit]
        return map(self.mapper.to_domain_event, stored)

    def put(self, domain_events: Sequence[DomainEventProtocol[UUID]],
            **kwargs: Any) -> list[Recording[UUID]]:
        save = self.prepare(domain_events, **kwargs)
        self.chained.committer.submit([save.pending])
        return self.finish(save)

    def prepare(self, domain_events: Sequence[DomainEventProtocol[UUID]],
                after: Pending | None = None, **kwargs: Any) -> Save:
        """The events as a pending save, with the chain heads this process knows."""
        stored_events = [self.mapper.to_stored_event(e) for e in domain_events]
        write = ChainWrite()
        for event in stored_events:
            case_id = event.originator_id
            if case_id not in write.anchors:
                known = self.heads.at(case_id, event.originator_version - 1)
                if known is not None:
                    write.anchors[case_id] = known
        pending = Pending(stored_events, {**kwargs, CHAIN_KEYWORD: write}, after)
        return Save(list(domain_events), pending, write)

    def finish(self, save: Save) -> list[Recording[UUID]]:
        """The save's recordings once committed (its error raised if it was refused)."""
        ids = save.pending.outcome()
        for case_id, head in save.write.heads.items():
            self.heads.remember(case_id, head)
        return [Recording(d, Notification(id=n, originator_id=s.originator_id,
                                          originator_version=s.originator_version,
                                          topic=s.topic, state=s.state))
                for d, s, n in zip(save.domain_events, save.pending.stored_events, ids or [],
                                   strict=False)]

    def _canonical(self) -> Canonicalizer:
        if self.chained.canonical is None:
            self.chained.canonical = Canonicalizer(self.mapper)
        return self.chained.canonical

    def _shortcut(self, canonical: Canonicalizer) -> Shortcut:
        """`verify`'s bytes straight from the stored JSON, for `follow` to try first: what
        they do not vouch for, the canonicalizer judges (ADR 0037)."""
        if self._fast is None:
            self._fast = FastCanonical(canonical)
        return self._fast.of_stored


@dataclass(frozen=True)
class SnapshotSeal:
    """A snapshot's chain head and the HMAC binding it and the snapshot under a key."""

    head: bytes
    key_id: str
    mac: bytes


def seal_mac(key: bytes, stored: StoredEvent, head: bytes) -> bytes:
    message = b"|".join([b"arrears-snapshot-v1", str(stored.originator_id).encode(),
                         str(stored.originator_version).encode(), stored.topic.encode(),
                         head, hashlib.sha256(stored.state).digest()])
    return hmac.new(key, message, hashlib.sha256).digest()


class SnapshotRecorder(Protocol):
    def select_sealed(self, originator_id: UUID,
                      lte: int | None) -> list[tuple[StoredEvent, SnapshotSeal | None]]: ...

    def snapshotted(self) -> set[UUID]: ...

    def insert_events(self, stored_events: Sequence[StoredEvent],
                      **kwargs: Any) -> Sequence[int] | None: ...


SEALS_KEYWORD = "seals"


class SealedSnapshotStore(EventStore[UUID]):
    """Snapshots stored with the chain head at their version, sealed under the key."""

    def __init__(self, mapper: Mapper[UUID], recorder: Any, heads: Heads,
                 key: Callable[[], tuple[str, bytes] | None]) -> None:
        super().__init__(mapper, recorder)
        self.heads, self.key = heads, key
        self.sealed: SnapshotRecorder = recorder

    def put(self, domain_events: Sequence[DomainEventProtocol[UUID]],
            **kwargs: Any) -> list[Recording[UUID]]:
        sealing = self.key()
        if sealing is None:
            return []
        key_id, key = sealing
        for snapshot in domain_events:
            head = self.heads.at(snapshot.originator_id, snapshot.originator_version)
            if head is None:
                continue  # no verified head at its version: no snapshot (they are optional)
            stored = self.mapper.to_stored_event(snapshot)
            seal = SnapshotSeal(head.hash, key_id, seal_mac(key, stored, head.hash))
            self.recorder.insert_events([stored], **{SEALS_KEYWORD: [seal]})
        return []

    def get(self, originator_id: UUID, *, gt: int | None = None, lte: int | None = None,
            desc: bool = False, limit: int | None = None
            ) -> Iterator[DomainEventProtocol[UUID]]:
        """The latest snapshot up to lte whose seal holds (the library asks for one)."""
        sealing = self.key()
        if sealing is None:
            return iter([])
        key_id, key = sealing
        for stored, seal in self.sealed.select_sealed(originator_id, lte):
            if seal is None or seal.key_id != key_id:
                continue
            if not hmac.compare_digest(seal.mac, seal_mac(key, stored, seal.head)):
                raise ChainBroken(originator_id, stored.originator_version,
                                  "the snapshot at this version does not match its seal")
            self.heads.remember(originator_id, Link(stored.originator_version, seal.head))
            return iter([self.mapper.to_domain_event(stored)])
        return iter([])

    def check(self, case_id: UUID, chain: dict[int, bytes]) -> tuple[int, str] | None:
        """The first problem of the case's newest snapshots sealed under this key, if any:
        a seal that fails, or a head that is not the stored chain's at that version."""
        sealing = self.key()
        if sealing is None:
            return None
        key_id, key = sealing
        for stored, seal in self.sealed.select_sealed(case_id, None):
            if seal is None or seal.key_id != key_id:
                continue
            version = stored.originator_version
            if not hmac.compare_digest(seal.mac, seal_mac(key, stored, seal.head)):
                return version, "the snapshot at this version does not match its seal"
            if chain.get(version) != seal.head:
                return version, "the snapshot's chain head is not the stored chain's"
        return None


class SnapshotChecks:
    """What `verify` calls for a case's sealed snapshots (`SealedSnapshotStore.check`), and
    which cases have any snapshot at all: the others need no query."""

    def __init__(self, store: SealedSnapshotStore) -> None:
        self.store = store

    def __call__(self, case_id: UUID, chain: dict[int, bytes]) -> tuple[int, str] | None:
        return self.store.check(case_id, chain)

    def cases(self) -> set[UUID]:
        return self.store.sealed.snapshotted()
