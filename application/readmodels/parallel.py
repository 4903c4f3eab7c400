"""A rebuild of the read models from the start in worker processes, case by case (ADR 0050).

Applying the whole log from the start needs no order across cases: every read-model row but
a debtor's is made from the events of one case, and the pages' aggregates are sums. So the
case ids are cut into ranges (`CaseRange.cut`), and worker processes (`application.workers`)
project each range case after case, in id order (each case's events in version order), into
a scratch SQLite file of their own holding the read models' tables: a case's state and
summary are made once, instead of on every page of an interleaved log that touches it.

This process then copies every scratch file's rows into the read models in ONE transaction
with the tracked position (the log's head when the workers began): the aggregates summed,
and each debtor's row taken from its latest opening with the cases opened added up (what
applying the log in order leaves). `catch_up` applies the events stored since, as usual.

Only that commit makes the rebuild: a worker that fails (an event it cannot apply, a full
disk), a projector that moved the position meanwhile, or a kill at any moment leaves the
read models as the rebuild emptied them, at position 0; the caller then applies the log in
order as before, which stops at an event it cannot apply and says so. Scratch files are
removed at the end, and those of a rebuild killed earlier at the next one.

Used when the events and the read models are both SQLite files (ATTACH copies the rows in
SQLite's own code) and the log is big enough for processes to pay (`workers.jobs_for`).
"""

from __future__ import annotations

import os
import resource
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from eventsourcing.persistence import Notification
from sqlalchemy import Connection, Engine, Table, create_engine, event

from application.readmodels.aggregates import COUNTERS
from application.readmodels.bulk import insert_rows
from application.readmodels.cache import CaseCache
from application.readmodels.database import create_tables, drop_indexes, is_read_only
from application.readmodels.flush import Debtors, Flush, add_debtors, decoded, write_states
from application.readmodels.state import CaseStates
from application.readmodels.tables import (
    READ_MODELS,
    action_day,
    case_totals,
    debtor,
    stage_totals,
)
from application.recorders.base import CaseRange
from application.settings import sqlite_file
from application.workers import store, worker_pool

ATTACHED = "scratch_part"  # the names scratch files are attached under: scratch_part0, ...
MOST_WORKERS = 8  # SQLite attaches at most 10 files to a connection (SQLITE_MAX_ATTACHED)
RANGES_PER_JOB = 8  # ranges a worker: the last to end leaves the others idle for little time
WORKER_CACHE = 5_000  # cases a worker keeps between flushes: it reads case after case
SUMMED: dict[Table, tuple[str, ...]] = {case_totals: COUNTERS, stage_totals: COUNTERS,
                                        action_day: ("delta",)}
PER_CASE = tuple(t for t in READ_MODELS if t not in SUMMED and t is not debtor)
STALE_PREFIX = ".arrears-rebuild-"  # scratch folders: this prefix, the pid, a random part


@dataclass(frozen=True)
class Part:
    """One range of cases for a worker: the events stored up to `through`, projected into
    a scratch file in `folder`."""

    opener: Callable[[], Any]
    within: CaseRange
    through: int
    folder: str
    flush_size: int


@dataclass
class Built:
    """What the workers made: their scratch files, the events they applied, the debtors."""

    files: set[str] = field(default_factory=set)
    applied: int = 0
    debtors: Debtors = field(default_factory=dict)
    peak_rss_kib: int = 0  # of the worker that used the most memory
    cpu_seconds: float = 0.0  # of all the workers' parts

    def add(self, file: str, applied: int, debtors: Debtors, peak_rss_kib: int,
            cpu_seconds: float) -> None:
        self.files.add(file)
        self.applied += applied
        add_debtors(self.debtors, debtors)
        self.peak_rss_kib = max(self.peak_rss_kib, peak_rss_kib)
        self.cpu_seconds += cpu_seconds


def scratch_root(readmodel_engine: Engine, events_url: str) -> Path | None:
    """Where a rebuild's scratch files go (beside the read models' file), or None when the
    events and the read models are not both SQLite files."""
    if is_read_only(readmodel_engine) or sqlite_file(events_url) is None:
        return None
    path = sqlite_file(readmodel_engine.url.render_as_string())
    return path.resolve().parent if path is not None else None


def build(opener: Callable[[], Any], through: int, root: Path, jobs: int, flush_size: int,
          progress: Callable[[int], None] | None = None,
          meanwhile: Callable[[], None] = lambda: None) -> tuple[Built, Path]:
    """The log up to `through` projected range by range by `jobs` workers into scratch files
    in a new folder under `root` (removed if a worker fails; else the caller removes it);
    `meanwhile` runs here once the workers have their ranges."""
    remove_stale(root)
    folder = Path(tempfile.mkdtemp(prefix=f"{STALE_PREFIX}{os.getpid()}-", dir=root))
    parts = [Part(opener, within, through, str(folder), flush_size)
             for within in CaseRange.cut(jobs * RANGES_PER_JOB)]
    built = Built()
    try:
        with worker_pool(jobs) as pool:
            results = pool.imap_unordered(_project, parts)
            meanwhile()
            for file, applied, debtors, peak, cpu in results:
                built.add(file, applied, debtors, peak, cpu)
                if progress:
                    progress(applied)
    except BaseException:
        remove(folder)
        raise
    return built, folder


def remove_stale(root: Path) -> None:
    """Remove the scratch folders of rebuilds whose process is gone (killed midway)."""
    for folder in root.glob(f"{STALE_PREFIX}*"):
        pid = folder.name.removeprefix(STALE_PREFIX).split("-", 1)[0]
        if pid.isdigit() and not _running(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)


def merge(conn: Connection, built: Built) -> None:
    """Copy the scratch files' rows into the read models, in `conn`'s transaction (the
    files stay attached: `detach` them once it ends)."""
    names = []
    for index, file in enumerate(sorted(built.files)):
        names.append(f"{ATTACHED}{index}")
        conn.exec_driver_sql(f"ATTACH DATABASE ? AS {names[-1]}", (file,))
    for table in PER_CASE:
        columns = _columns(table.columns.keys())
        for name in names:
            conn.exec_driver_sql(f"INSERT INTO main.{table.name} ({columns}) "
                                 f"SELECT {columns} FROM {name}.{table.name}")
    for table, counters in SUMMED.items():
        keys = _columns(c.name for c in table.primary_key.columns)
        sums = ", ".join(f'SUM("{c}")' for c in counters)
        union = " UNION ALL ".join(f"SELECT * FROM {name}.{table.name}" for name in names)
        conn.exec_driver_sql(f"INSERT INTO main.{table.name} ({keys}, {_columns(counters)}) "
                             f"SELECT {keys}, {sums} FROM ({union}) GROUP BY {keys} "
                             f'HAVING SUM("{counters[0]}") != 0')
    insert_rows(conn, debtor, [{**values, "case_count": count}
                               for values, count, _ in built.debtors.values()])


def detach(conn: Connection) -> None:
    """Detach the scratch files `merge` attached (once its transaction has ended)."""
    for _, name, _ in conn.exec_driver_sql("PRAGMA database_list").all():
        if name.startswith(ATTACHED):
            conn.exec_driver_sql(f"DETACH DATABASE {name}")


def _columns(names: Any) -> str:
    return ", ".join(f'"{name}"' for name in names)


# -- in a worker ----------------------------------------------------------------------------

def _project(part: Part) -> tuple[str, int, Debtors, int, float]:
    """One range of cases projected into this worker's scratch file: the file, the events
    applied, the debtors of the cases opened, this worker's peak RSS (KiB), the CPU time."""
    cpu = time.process_time()
    service, engine, file, states = store(part.opener, partial(_scratch, part.folder))
    debtors: Debtors = {}
    pages = service.recorder.case_ordered(part.within, part.through)
    applied = project_cases(pages, engine, states, debtors, part.flush_size)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return file, applied, debtors, peak, time.process_time() - cpu


def _scratch(folder: str, service: Any) -> tuple[Any, Engine, str, CaseStates]:
    """Once per worker: its scratch file, with the read models' tables, no secondary index,
    and no journal (nothing in it is kept unless this rebuild's commit copies it)."""
    file = str(Path(folder) / f"{os.getpid()}.db")
    engine = create_engine(f"sqlite:///{file}")

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_connection.execute("PRAGMA journal_mode=OFF")
        dbapi_connection.execute("PRAGMA synchronous=OFF")

    create_tables(engine)
    with engine.begin() as conn:
        drop_indexes(conn)
    return service, engine, file, CaseStates(service.mapper, service.recorder)


def project_cases(pages: Iterator[list[Notification]], engine: Engine, states: CaseStates,
                  debtors: Debtors, flush_size: int) -> int:
    """Apply the pages (the events of cases one after the other) in flushes of up to
    `flush_size` events; how many events. The state rows are all written at the end."""
    cache, applied = CaseCache(WORKER_CACHE), 0
    page = next(pages, None)
    while page is not None:
        with engine.begin() as conn:
            flush, count = _CasesFlush(conn, states, cache, debtors), 0
            while page is not None and count < flush_size and flush.touched < cache.size:
                flush.add(decoded(states, page))
                count += len(page)
                page = next(pages, None)
            flush.write()
            if page is None:
                write_states(conn, states, cache.ahead())
        cache.trim()
        applied += count
    return applied


class _CasesFlush(Flush):
    """A flush of cases taken in id order: its debtors are counted for the whole run (and
    written by the merge), since a later flush may hold an earlier opening."""

    def __init__(self, conn: Connection, states: CaseStates, cache: CaseCache,
                 debtors: Debtors) -> None:
        super().__init__(conn, states, cache)
        self.run_debtors = debtors

    def _write_debtors(self) -> None:
        add_debtors(self.run_debtors, self.debtors)
