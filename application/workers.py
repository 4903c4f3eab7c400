"""Worker processes for a long read of a whole store (`verify`; ADRs 0043, 0049).

A worker is a fresh process: forked from the fork server (a process started for this one
that has only imported the modules a worker runs, `WORKER_MODULES`: no store opened, no
thread started), or spawned where the platform has no fork server. It is never a fork of
this process: a forked copy of this process's connections and pool threads is not safe to
use or to close. It opens the store itself with `opener` (a picklable callable sent with
each task: `CaseService` with the same URL and key directory), once, on its first task;
it has the environment this process had when it made the pool (a fork server keeps the one
it started with, so the pool's initializer sets it).

The fork server imports the worker's modules once (~0.3 s), so a pool of workers starts in
~30 ms instead of each spawned worker importing them before its first task; `prestart`
starts it early, alongside this process's own imports (`arrears verify`, `cli`).

A worker does not run this process's main module first, as a spawned process otherwise
does: its tasks are module-level functions of the application, and the main module (the
`arrears` script, whose imports take ~0.6 s) would only delay every worker's start
(`worker_pool`).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from multiprocessing import forkserver, get_all_start_methods, get_context
from multiprocessing.context import BaseContext
from multiprocessing.pool import Pool
from typing import Any

IN_PARALLEL_FROM = 100_000  # events: below this, starting processes costs more than it saves
MOST_JOBS = 4


def jobs_for(requested: int | None, events: int, url: str) -> int:
    """How many processes read the store: as requested, else one per core (up to
    MOST_JOBS) for a store of IN_PARALLEL_FROM events or more; always one for a database in
    memory (no other process can open it)."""
    from application.settings import in_memory  # here: `prestart` runs before the imports

    if in_memory(url):
        return 1
    if requested is not None:
        return max(1, requested)
    return min(os.cpu_count() or 1, MOST_JOBS) if events >= IN_PARALLEL_FROM else 1


# What a worker runs: imported once by the fork server, so that each worker forked from it
# starts with them imported (~0.3 s of imports a worker otherwise spends before its task).
WORKER_MODULES = ["application.evidence.parallel", "application.readmodels.parallel",
                  "application.service"]


def _context() -> BaseContext:
    """The fork server where the platform has one (workers forked from a process that only
    imported WORKER_MODULES: no store opened, no thread started), else spawn."""
    if "forkserver" not in get_all_start_methods():
        return get_context("spawn")
    context = get_context("forkserver")
    context.set_forkserver_preload(WORKER_MODULES)
    return context


def prestart() -> None:
    """Start the fork server now (it imports WORKER_MODULES while this process goes on), for
    a command that may soon want workers (`arrears verify`); it ends with this process."""
    if _context().get_start_method() == "forkserver":
        forkserver.ensure_running()  # it runs no main module: none is in its preload


def worker_pool(jobs: int) -> Pool:
    """A pool of `jobs` workers, each a fresh process (forked from the fork server, or
    spawned). Each opens its store on its first task (`store`): a store that cannot be
    opened fails that task, and the caller gets the error (a pool's initializer that fails
    would only be started again, for ever)."""
    with _main_not_inherited():
        return _context().Pool(jobs, initializer=_adopt, initargs=(dict(os.environ),))


def _adopt(environ: dict[str, str]) -> None:
    """In a new worker: the environment of the process that made the pool, as a spawned
    process has it (a fork server keeps the environment it started with)."""
    if os.environ != environ:
        os.environ.clear()
        os.environ.update(environ)


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
