"""Worker processes for a long read of a whole store (`verify`; ADR 0043).

A worker is *spawned* (not forked: a forked copy of this process's connections and pool
threads is not safe to use or to close) and opens the store itself with `opener` (a
picklable callable sent with each task: `CaseService` with the same URL and key
directory), once, on its first task.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from multiprocessing import get_context
from multiprocessing.pool import Pool
from typing import Any

from application.settings import in_memory

IN_PARALLEL_FROM = 100_000  # events: below this, starting processes costs more than it saves
MOST_JOBS = 4


def jobs_for(requested: int | None, events: int, url: str) -> int:
    """How many processes read the store: as requested, else one per core (up to
    MOST_JOBS) for a store of IN_PARALLEL_FROM events or more; always one for a database in
    memory (no other process can open it)."""
    if in_memory(url):
        return 1
    if requested is not None:
        return max(1, requested)
    return min(os.cpu_count() or 1, MOST_JOBS) if events >= IN_PARALLEL_FROM else 1


def spawned(jobs: int) -> Pool:
    """A pool of `jobs` spawned workers. Each opens its store on its first task (`store`): a
    store that cannot be opened fails that task, and the caller gets the error (a pool's
    initializer that fails would only be started again, for ever)."""
    return get_context("spawn").Pool(jobs)


_store: list[Any] = []  # in a worker: what `start` made of the store it opened


def store(opener: Callable[[], Any], start: Callable[[Any], Any]) -> Any:
    """In a worker: `start(opener())`, made on the first call, the same on later ones."""
    if not _store:
        _store.append(start(opener()))
    return _store[0]
