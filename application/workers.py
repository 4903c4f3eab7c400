"""Worker processes for a long read of a whole store (`verify`; ADR 0043).

A worker is *spawned* (not forked: a forked copy of this process's connections and pool
threads is not safe to use or to close) and opens the store itself with `opener` (a
picklable callable sent with each task: `CaseService` with the same URL and key
directory), once, on its first task.

A worker does not run this process's main module first, as a spawned process otherwise
does: its tasks are module-level functions of the application, and the main module (the
`arrears` script, whose imports take ~0.6 s) would only delay every worker's start
(`spawned`).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
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
    with _main_not_inherited():
        return get_context("spawn").Pool(jobs)


@contextmanager
def _main_not_inherited() -> Iterator[None]:
    """While workers start, the main module names neither a module nor a file, so that
    multiprocessing's spawn does not import it in them (it looks at `__spec__` and
    `__file__` of `sys.modules["__main__"]` when it starts a process)."""
    main = sys.modules["__main__"]
    spec, path = getattr(main, "__spec__", None), main.__dict__.pop("__file__", None)
    main.__spec__ = None
    try:
        yield
    finally:
        main.__spec__ = spec
        if path is not None:
            main.__file__ = path


_store: list[Any] = []  # in a worker: what `start` made of the store it opened


def store(opener: Callable[[], Any], start: Callable[[Any], Any]) -> Any:
    """In a worker: `start(opener())`, made on the first call, the same on later ones."""
    if not _store:
        _store.append(start(opener()))
    return _store[0]
