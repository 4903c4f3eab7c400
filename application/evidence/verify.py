"""`arrears verify`: every case's chain checked from its first event, and optionally against a
signed checkpoint.

Alone, it recomputes each case's chain from the stored events and names, for every broken
case, the first version where the events and their stored hashes part; a case whose chain
holds has its newest sealed snapshots checked too (seal and chain head). Against a checkpoint
it also proves that the history the checkpoint signed is unchanged: the checkpoint's
signature holds under the public key, its kept heads hash to its signed root, and every case
it covers still passes through its checkpointed head (same hash at that version), whether
its head moved since or not; cases opened since need only their own chain. A tree of case
heads is not an append-only log (heads move, new cases sort between old ones), so RFC 6962
consistency proofs do not apply; the per-case check is what stands in for them, at one
extra comparison per case.

How it reads (ADR 0037): every event with its stored hash is streamed in (case, version)
order (SQLite: one read transaction; PostgreSQL: pages, each a short transaction), and each
case is first tried on a tight path: versions 1, 2, ... each with a stored hash, the
canonical bytes made straight from the stored JSON (`canonical_fast`), one SHA-256 each, no
per-event objects. Only a case whose chain holds that way is passed; any other case (a gap,
a missing hash, bytes the shortcut cannot make, a hash that differs, a checkpointed head not
passed through) is judged by the rows and the checks used before (`_check`, the full
canonicalizer), which name the break. Hashes stored without their event are not in that
stream: when the stored hashes outnumber the events' ones read with them, the whole store
is checked again the case-by-case way (`_by_batches`).
Sealed snapshots are checked only for cases that have any. The stream can be cut by ranges of
case ids (`check_range`), each checked the same way; `application.evidence.parallel` checks
them in worker processes (ADR 0043) and `verify_store(..., ranges=...)` adds their parts up.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from eventsourcing.persistence import StoredEvent

from application.errors import ChainBroken, ChainUnsealed
from application.evidence.canonical_fast import FastCanonical, NotFast
from application.evidence.chain import START, ZERO, Canonicalizer, ChainRow, Link, follow
from application.evidence.checkpoints import Checkpoint
from application.evidence.digest import Head
from application.evidence.keys import key_id, verifies
from application.evidence.store import SnapshotChecks
from application.recorders.base import CaseRange

BATCH = 200
PROGRESS_EVERY = 1000  # cases
# A case's snapshot problem (version, reason), given its stored hashes by version.
SnapshotCheck = Callable[[UUID, dict[int, bytes]], "tuple[int, str] | None"]
# Checks every streamed case into the report (given the checkpointed heads, whether the store
# is sealed, the progress callback); False when hashes are stored without their events.
RangeChecks = Callable[["Report", dict[UUID, Head], bool, Callable[[int], None]], bool]


@dataclass(frozen=True)
class Break:
    case_id: UUID
    version: int
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"case_id": str(self.case_id), "version": self.version, "reason": self.reason}


@dataclass
class Report:
    cases: int = 0
    events: int = 0
    broken: list[Break] = field(default_factory=list)
    unsealed: list[UUID] = field(default_factory=list)
    checkpoint: int | None = None
    checkpoint_problem: str = ""

    @property
    def ok(self) -> bool:
        return not (self.broken or self.unsealed or self.checkpoint_problem)

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "cases": self.cases, "events": self.events,
                "broken": [b.as_dict() for b in self.broken],
                "unsealed": [str(c) for c in self.unsealed],
                "checkpoint": self.checkpoint,
                "checkpoint_problem": self.checkpoint_problem or None}


def checkpoint_problem(checkpoint: Checkpoint, public: Ed25519PublicKey) -> str:
    """Why the checkpoint itself cannot be relied on, or ""."""
    if not verifies(public, checkpoint.signature, checkpoint.statement):
        other = "" if key_id(public) == checkpoint.key_id else \
            f" (it names key {checkpoint.key_id[:16]}, not {key_id(public)[:16]})"
        return f"checkpoint {checkpoint.checkpoint_id}: the signature does not verify{other}"
    if not checkpoint.leaves_hold():
        return (f"checkpoint {checkpoint.checkpoint_id}: its kept heads do not hash to its "
                "signed root")
    return ""


def verify_store(recorder: Any, canonical: Canonicalizer, *,
                 checkpoint: Checkpoint | None = None, public: Ed25519PublicKey | None = None,
                 snapshots: SnapshotCheck | None = None,
                 progress: Callable[[int], None] = lambda n: None,
                 ranges: RangeChecks | None = None) -> Report:
    """Check every case (and its sealed snapshots, given `snapshots`); with a checkpoint and
    the public key, check the checkpoint and the history against it. `ranges` checks the
    streamed cases instead of this process (`application.evidence.parallel`)."""
    report = Report(checkpoint=checkpoint.checkpoint_id if checkpoint else None)
    pinned: dict[UUID, Head] = {}
    if checkpoint is not None and public is not None:
        report.checkpoint_problem = checkpoint_problem(checkpoint, public)
        pinned = {} if report.checkpoint_problem else {h.case_id: h for h in checkpoint.heads}
    sealed = recorder.is_sealed()
    whole = ranges(report, pinned, sealed, progress) if ranges is not None else \
        check_range(report, recorder, canonical, pinned, sealed, snapshots, None, progress)
    if not whole:
        report = Report(checkpoint=report.checkpoint,
                        checkpoint_problem=report.checkpoint_problem)
        _by_batches(report, recorder, canonical, pinned, sealed, snapshots, progress)
    return report


def _by_batches(report: Report, recorder: Any, canonical: Canonicalizer,
                pinned: dict[UUID, Head], sealed: bool, snapshots: SnapshotCheck | None,
                progress: Callable[[int], None]) -> None:
    """Every case with its events and its stored hashes (those without an event too)."""
    ids = sorted(set(recorder.case_ids()) | set(pinned))
    for start in range(0, len(ids), BATCH):
        batch = ids[start:start + BATCH]
        chains = recorder.select_chains(batch)
        for case_id in batch:
            rows = chains.get(case_id, [])
            report.cases += 1
            report.events += sum(1 for row in rows if row.event is not None)
            if _check(report, case_id, rows, canonical, pinned.get(case_id), sealed) \
                    and snapshots is not None:
                _check_snapshots(report, case_id, rows, snapshots)
        progress(len(batch))


def check_range(report: Report, recorder: Any, canonical: Canonicalizer,
                pinned: dict[UUID, Head], sealed: bool, snapshots: SnapshotCheck | None,
                within: CaseRange | None, progress: Callable[[int], None] = lambda n: None,
                wanted: set[UUID] | None = None) -> bool:
    """Every case (`within` the range, or all) from one stream, its checkpointed heads in
    `pinned`; False when hashes are stored without their events. `wanted`: the cases with
    snapshots, when already read."""
    fast, left = FastCanonical(canonical), set(pinned)
    if wanted is None and isinstance(snapshots, SnapshotChecks):
        wanted = snapshots.cases()
    matched = done = 0
    stream = recorder.chain_stream(within)
    for case_id, rows in stream.cases():
        left.discard(case_id)
        matched += sum(1 for row in rows if row[4] is not None)
        report.cases += 1
        report.events += len(rows)
        chain = None if _holds(fast, case_id, rows, pinned.get(case_id)) \
            else _chain_rows(case_id, rows)
        holds = chain is None or _check(report, case_id, chain, canonical,
                                        pinned.get(case_id), sealed)
        if holds and snapshots is not None and (wanted is None or case_id in wanted):
            _check_snapshots(report, case_id, chain or _chain_rows(case_id, rows), snapshots)
        done += 1
        if done == PROGRESS_EVERY:
            progress(done)
            done = 0
    if matched != stream.hashes:
        return False
    for case_id in sorted(left):  # checkpointed cases of which no event is left
        report.cases += 1
        _check(report, case_id, [], canonical, pinned[case_id], sealed)
    report.broken.sort(key=lambda b: b.case_id)
    progress(done + len(left))
    return True


def _holds(fast: FastCanonical, case_id: UUID, rows: list[Sequence[Any]],
           pinned: Head | None) -> bool:
    """Whether the case's chain plainly holds: versions from 1 with their stored hashes, each
    the hash of the one before and the event's canonical bytes (and through the pinned head).
    False is no verdict: the rows are then checked the full way."""
    text, previous, through = str(case_id), ZERO, pinned is None
    sha256, bytes_of = hashlib.sha256, fast.bytes_of
    for expected, (_, version, topic, state, stored) in enumerate(rows, 1):
        if version != expected or stored is None:
            return False
        try:
            previous = sha256(previous + bytes_of(topic, text, version, state)).digest()
        except NotFast:
            return False
        if previous != stored:
            return False
        if pinned is not None and version == pinned.version:
            through = previous == pinned.hash
    return through


def _chain_rows(case_id: UUID, rows: list[Sequence[Any]]) -> list[ChainRow]:
    return [ChainRow(version, StoredEvent(case_id, version, topic,
                                          state if isinstance(state, str) else bytes(state)),
                     None if stored is None else bytes(stored))
            for _, version, topic, state, stored in rows]


def _check_snapshots(report: Report, case_id: UUID, rows: list[ChainRow],
                     snapshots: SnapshotCheck) -> None:
    chain = {row.version: row.stored_hash for row in rows if row.stored_hash}
    problem = snapshots(case_id, chain)
    if problem is not None:
        report.broken.append(Break(case_id, *problem))


def _check(report: Report, case_id: UUID, rows: list[ChainRow], canonical: Canonicalizer,
           pinned: Head | None, sealed: bool) -> bool:
    """Whether the case's chain holds (else its break or its not being sealed is noted)."""
    try:
        if pinned is None:
            follow(case_id, START, rows, canonical.bytes_of, lambda: sealed)
            return True
        before = [row for row in rows if row.version <= pinned.version]
        at = follow(case_id, START, before, canonical.bytes_of, lambda: sealed)
        if at != Link(pinned.version, pinned.hash):
            raise ChainBroken(case_id, min(at.version + 1, pinned.version),
                              "the history no longer passes through the checkpoint's head")
        follow(case_id, at, rows[len(before) - 1:], canonical.bytes_of, lambda: sealed)
    except ChainBroken as error:
        report.broken.append(Break(case_id, error.version, error.reason))
    except ChainUnsealed:
        report.unsealed.append(case_id)
    else:
        return True
    return False
