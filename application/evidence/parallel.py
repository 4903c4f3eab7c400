"""`verify` in several processes (ADR 0043): the case ids cut into ranges, each range's chains
checked by a worker process with its own connection, the parts added up in this one.

Each worker opens the store itself (`opener`, e.g. `CaseService` with the same URL and key
directory: a connection cannot cross a process) and checks a range at a time exactly as one
process checks the whole store (`verify.check_range`: the tight path, the full check of a
case that does not plainly hold, its sealed snapshots), so a break is named the same way.
What is given up: one read transaction for the whole store. Each range is read in a
transaction of its own (SQLite) or in pages (PostgreSQL, as before), so a case is always
checked from one consistent read, but two ranges may be read moments apart. Workers are
fresh processes, never forks of this one: a forked copy of this process's connections and
pool threads is not safe to use or to close (`application.workers`).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from application.evidence.digest import Head
from application.evidence.verify import Report, check_range
from application.recorders.base import CaseRange
from application.workers import store, worker_pool

# Many more ranges than workers, so that the last range to end leaves the other workers idle
# for a short time only (each of 64 ranges of 1M events is ~0.15 s of a worker's time).
RANGES_PER_JOB = 32


def _open(svc: Any) -> tuple[Any, ...]:
    """Once per worker: the store this process opened, and what each range needs of it
    (service, kept so that its connections stay open; recorder, canonicalizer, snapshot
    check, the cases with snapshots)."""
    snapshots = svc.snapshot_check()
    wanted = snapshots.cases() if snapshots is not None else None
    return svc, svc.chain_recorder, svc.chain_recorder.canonical, snapshots, wanted


def _check(task: tuple[Callable[[], Any], CaseRange, dict[UUID, Head], bool]
           ) -> tuple[Report, bool]:
    """In a worker: one range of cases checked into a report of its own."""
    opener, within, pinned, sealed = task
    _, recorder, canonical, snapshots, wanted = store(opener, _open)
    part = Report()
    whole = check_range(part, recorder, canonical, pinned, sealed, snapshots, within,
                        wanted=wanted)
    return part, whole


@dataclass(frozen=True)
class InParallel:
    """`verify_store(..., ranges=InParallel(opener, jobs))`: the streamed check in `jobs`
    worker processes, each opening the store with `opener` (picklable: a class or a
    `functools.partial` of one)."""

    opener: Callable[[], Any]
    jobs: int

    def __call__(self, report: Report, pinned: dict[UUID, Head], sealed: bool,
                 progress: Callable[[int], None]) -> bool:
        ranges = CaseRange.cut(self.jobs * RANGES_PER_JOB)
        tasks = [(self.opener, within, heads, sealed)
                 for within, heads in zip(ranges, pinned_by_range(ranges, pinned), strict=True)]
        whole = True
        with worker_pool(self.jobs) as pool:
            for part, complete in pool.imap_unordered(_check, tasks):
                whole = whole and complete
                _add(report, part)
                progress(part.cases)
        report.broken.sort(key=lambda b: b.case_id)
        report.unsealed.sort()
        return whole


def pinned_by_range(ranges: list[CaseRange], pinned: dict[UUID, Any]) -> list[dict[UUID, Any]]:
    """The checkpointed heads of each range's cases (`ranges` as `CaseRange.cut` makes them:
    in order, each beginning where the one before ends), in one pass over the heads."""
    lows = [within.low for within in ranges]
    parts: list[dict[UUID, Any]] = [{} for _ in ranges]
    for case_id, head in pinned.items():
        parts[bisect_right(lows, case_id) - 1][case_id] = head
    return parts


def _add(report: Report, part: Report) -> None:
    report.cases += part.cases
    report.events += part.events
    report.broken += part.broken
    report.unsealed += part.unsealed
