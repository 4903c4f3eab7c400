"""`verify` in several processes (ADR 0043): the case ids cut into ranges, each range's chains
checked by a worker process with its own connection, the parts added up in this one.

Each worker opens the store itself (`opener`, e.g. `CaseService` with the same URL and key
directory: a connection cannot cross a process) and checks a range at a time exactly as one
process checks the whole store (`verify.check_range`: the tight path, the full check of a
case that does not plainly hold, its sealed snapshots), so a break is named the same way.
What is given up: one read transaction for the whole store. Each range is read in a
transaction of its own (SQLite) or in pages (PostgreSQL, as before), so a case is always
checked from one consistent read, but two ranges may be read moments apart. Workers are
spawned (not forked): a forked copy of this process's connections and pool threads is not
safe to use or to close.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing import get_context
from typing import Any
from uuid import UUID

from application.evidence.digest import Head
from application.evidence.verify import Report, check_range
from application.recorders.base import CaseRange
from application.settings import in_memory

RANGES_PER_JOB = 8  # more ranges than workers, so a slow range does not hold the rest up
IN_PARALLEL_FROM = 100_000  # events: below this, starting processes costs more than it saves
MOST_JOBS = 4

# The opened store in a worker: (service, recorder, canonicalizer, snapshot check, wanted).
_opened: list[Any] = []


def jobs_for(requested: int | None, events: int, url: str) -> int:
    """How many processes verify: as requested, else one per core (up to MOST_JOBS) for a
    store of IN_PARALLEL_FROM events or more; always one for a database in memory."""
    if in_memory(url):
        return 1
    if requested is not None:
        return max(1, requested)
    return min(os.cpu_count() or 1, MOST_JOBS) if events >= IN_PARALLEL_FROM else 1


def _open(opener: Callable[[], Any]) -> None:
    """Once per worker: the store, opened by this process."""
    svc = opener()
    snapshots = svc.snapshot_check()
    wanted = snapshots.cases() if snapshots is not None else None
    _opened[:] = [svc, svc.chain_recorder, svc.chain_recorder.canonical, snapshots, wanted]


def _check(task: tuple[CaseRange, dict[UUID, Head], bool]) -> tuple[Report, bool]:
    """In a worker: one range of cases checked into a report of its own."""
    within, pinned, sealed = task
    _, recorder, canonical, snapshots, wanted = _opened
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
        tasks = [(within, {k: h for k, h in pinned.items() if within.holds(k)}, sealed)
                 for within in CaseRange.cut(self.jobs * RANGES_PER_JOB)]
        whole = True
        with get_context("spawn").Pool(self.jobs, initializer=_open,
                                       initargs=(self.opener,)) as pool:
            for part, complete in pool.imap_unordered(_check, tasks):
                whole = whole and complete
                _add(report, part)
                progress(part.cases)
        report.broken.sort(key=lambda b: b.case_id)
        report.unsealed.sort()
        return whole


def _add(report: Report, part: Report) -> None:
    report.cases += part.cases
    report.events += part.events
    report.broken += part.broken
    report.unsealed += part.unsealed
