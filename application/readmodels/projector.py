"""The projector: follows the notification log and keeps every read model up to date.

Events are read in pages and applied in flushes: ONE read-model transaction holds up to
`flush_size` events (fewer after `flush_seconds`), every row they make and the new tracked
position, so a crash at any point neither loses nor double-applies an event. A case touched
on several pages of a flush is written once (application/readmodels/flush.py), and kept in
a bounded cache for the next flush (cache.py), which is emptied whenever the tracked position
is not where this projector left it. A second process racing on the same events finds the
position moved and rolls back its copy.

An event the projector cannot apply (its data does not fit a read model, a bug in a
projection) does not wedge the read side: the failing flush is applied again in halves until
the one event is found, every event before it is committed, and the projector stops AT it,
records the fault (`rm_fault`, shown by `status()`) and returns. Each later catch-up tries
that event again, alone, and goes on from there once it applies. Errors of the database
itself (connection, disk, locks) are raised as before, with nothing of the flush kept.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence

from eventsourcing import persistence
from eventsourcing.persistence import Notification
from sqlalchemy import Connection, Engine, delete, insert, select, update
from sqlalchemy import exc as sql

from application.readmodels import parallel
from application.readmodels.cache import CaseCache
from application.readmodels.checkpoint import checkpointer_for
from application.readmodels.collector import collecting_less
from application.readmodels.database import (
    create_indexes,
    create_tables,
    drop_indexes,
    is_read_only,
)
from application.readmodels.flush import Flush, decoded, write_states
from application.readmodels.state import CaseStates
from application.readmodels.status import Fault, Status
from application.readmodels.tables import READ_MODELS, fault, tracking
from application.service import CaseService
from application.workers import jobs_for

NAME = "case_views"
FLUSH_SIZE = 50_000  # events at most in one transaction ...
FLUSH_SECONDS = 2.0  # ... and no pages more after 2 s (others wait for its lock) ...
REBUILD_FLUSH_SECONDS = 30.0  # ... or 30 s in a rebuild: the views are being made anew
CACHE_SIZE = 15_000  # cases kept between transactions (and touched at most in one): ~14 KB each
log = logging.getLogger(__name__)

# Failures of the databases themselves, not of the events being applied: raised, not recorded.
INFRASTRUCTURE = (OSError, MemoryError, sql.OperationalError, sql.InterfaceError,
                  sql.DisconnectionError, sql.TimeoutError, persistence.OperationalError,
                  persistence.InterfaceError)
PROGRAM_LIMIT = "54"  # PostgreSQL's SQLSTATE class for data too big for it: the event's fault


def about_the_database(error: Exception) -> bool:
    """Whether the failure is the database's own (connection, disk, locks), not the events'."""
    sqlstate = getattr(getattr(error, "orig", None), "sqlstate", None) or ""
    return isinstance(error, INFRASTRUCTURE) and not sqlstate.startswith(PROGRAM_LIMIT)


class _Once:
    """A call made once, the first time it succeeds."""

    def __init__(self, call: Callable[[], None]) -> None:
        self.call, self.done = call, False

    def __call__(self) -> None:
        if not self.done:
            self.call()
            self.done = True


class PositionMoved(Exception):
    """Another process applied these events first; this copy is rolled back."""


class PageFailed(Exception):
    """A page could not be applied because of one of its events (the page is rolled back)."""

    def __init__(self, notifications: Sequence[Notification], error: Exception) -> None:
        super().__init__(str(error))
        self.notifications = notifications
        self.error = error


class Projector:
    """Applies new events to the read models, page by page."""

    def __init__(self, service: CaseService, engine: Engine, page_size: int = 1000,
                 flush_size: int = FLUSH_SIZE, cache_size: int = CACHE_SIZE) -> None:
        self.service = service
        self.engine = engine
        self.page_size = page_size
        self.flush_size = flush_size  # events at most in one transaction
        self.flush_seconds = FLUSH_SECONDS
        self.rebuild_flush_seconds = REBUILD_FLUSH_SECONDS
        self._rebuilding = False
        self.cache = CaseCache(cache_size)
        self.states = CaseStates(service.mapper, service.recorder)  # rm_case_state's rows
        self._lock = threading.Lock()
        self._applied = 0  # the position this process last applied and committed, or read
        self.built: parallel.Built | None = None  # what the workers of a rebuild made, if any
        # A read-only store's views are read as they stand; nothing is applied to them.
        self.read_only = is_read_only(engine)
        self.checkpointer = checkpointer_for(engine, self.read_only)  # SQLite's WAL, ADR 46
        create_tables(engine)
        if not self.read_only:
            self._track()

    def _track(self) -> None:
        """The projection's tracking row (a process starting at the same time may add it)."""
        try:
            with self.engine.begin() as conn:
                if conn.execute(select(tracking.c.position)
                                .where(tracking.c.projection == NAME)).first() is None:
                    conn.execute(insert(tracking).values(projection=NAME, position=0))
        except sql.IntegrityError:
            pass  # the other process inserted it first

    def status(self) -> Status:
        """Position, head and lag, and the event it is stuck at, if any (one query each side)."""
        with self.engine.connect() as conn:
            position, stuck = self._where(conn)
        head = self.service.recorder.max_notification_id() or 0
        return Status(NAME, position, head, stuck if stuck and stuck.position > position else None)

    def catch_up(self, progress: Callable[[int], None] | None = None,
                 through: int | None = None) -> int:
        """Apply every event not yet applied, up to one it cannot apply; return how many.

        With `through` (the last notification id stored when the caller asked: a command's
        own events are before it), it stops once that far, and does nothing at all when this
        process already applied that far: a command that waited for the lock while another
        caught up finds its events applied, without a transaction of its own.
        At an event it cannot apply it records the fault and returns (see the module's doc).
        """
        applied, limit, window_end = 0, self.flush_size, 0
        if self.read_only:
            return 0
        with self._lock, collecting_less():
            while True:
                if through is not None and self._applied >= through:
                    return applied
                try:
                    count, position, at_end = self._apply_page(limit)
                except PositionMoved:
                    continue
                except PageFailed as failed:
                    if len(failed.notifications) == 1:
                        self._record_fault(Fault.of(failed.notifications[0], failed.error))
                        return applied
                    limit = len(failed.notifications) // 2  # the culprit is in this window
                    window_end = failed.notifications[-1].id
                    continue
                self._applied = position
                if count == 0:
                    return applied
                self.checkpointer.wake()
                applied += count
                if progress:
                    progress(count)
                if at_end:  # the log held no more: no second transaction to find nothing
                    return applied
                if position >= window_end:  # past the failed window: full flushes again
                    limit = self.flush_size

    def rebuild(self, progress: Callable[[int], None] | None = None,
                jobs: int | None = None) -> int:
        """Empty every read model and apply the whole event log again (up to a stuck event).

        With SQLite files for the events and the read models, a big log (or `jobs` > 1) is
        first projected case by case by `jobs` worker processes (by default one per core)
        and copied in at once (ADR 50, `parallel`); else, and when that does not succeed,
        the log is applied in order. The read models' secondary indexes are dropped while it
        runs and made again at the end, also when it fails; a process killed meanwhile
        leaves them to the next start (`create_tables` makes any index that is missing). At
        the end, the cases still in the cache get their state rows, which flushes write
        only when they must (ADR 44).
        """
        empty = _Once(self._empty)  # while workers run, else before the log is applied
        try:
            self._rebuilding = True
            applied = self._in_parallel(jobs, progress, empty)
            with self._lock:
                empty()
            applied += self.catch_up(progress)
            self._write_states()
            return applied
        finally:
            self._rebuilding = False
            with self.engine.begin() as conn:
                create_indexes(conn)

    def _empty(self) -> None:
        """Every read model emptied, its secondary indexes dropped, the position at 0 (the
        caller holds the lock)."""
        with self.engine.begin() as conn:
            for table in READ_MODELS:
                conn.execute(delete(table))
            drop_indexes(conn)
            conn.execute(delete(fault).where(fault.c.projection == NAME))
            conn.execute(update(tracking).where(tracking.c.projection == NAME)
                         .values(position=0))
            self.cache.clear()
            self._applied = 0

    def _in_parallel(self, jobs: int | None, progress: Callable[[int], None] | None,
                     empty: Callable[[], None]) -> int:
        """The log up to its head projected by worker processes and copied into the read
        models with the position, in one transaction; the events applied (0: none, the log
        is then applied in order). The read models are emptied (`empty`) while they run."""
        self.built = None
        root = parallel.scratch_root(self.engine, self.service.url)
        if root is None:
            return 0
        head = self.service.recorder.max_notification_id() or 0
        count = min(jobs_for(jobs, head, self.service.url), parallel.MOST_WORKERS)
        if count < 2 or head == 0:
            return 0
        with self._lock:
            try:
                built, folder = parallel.build(self.service.opener(), head, root, count,
                                               self.flush_size, progress, meanwhile=empty)
            except Exception as error:  # noqa: BLE001 - applied in order, which says why
                log.warning("the rebuild applies the log in order: its workers' rows cannot "
                            "be used (%s)", error)
                return 0
            try:
                return built.applied if self._adopt(built, head) else 0
            finally:
                parallel.remove(folder)

    def _adopt(self, built: parallel.Built, head: int) -> bool:
        """Copy what the workers built in, at position `head`, unless a projector moved
        the position meanwhile (its events are then its to apply, from where it is)."""
        with self.engine.connect() as conn:
            try:
                with conn.begin():
                    self._lock_tracking(conn)
                    position, stuck = self._where(conn)
                    if position != 0 or stuck is not None:
                        return False
                    parallel.merge(conn, built)
                    conn.execute(update(tracking).where(tracking.c.projection == NAME)
                                 .values(position=head))
            finally:
                parallel.detach(conn)
        self.cache.clear()
        self._applied = head
        self.built = built
        self.checkpointer.wake()
        return True

    def _write_states(self) -> None:
        """The state rows of the cases the cache holds ahead of them (after a rebuild: a
        process starting next reads each case's row, not its events)."""
        with self._lock, self.engine.begin() as conn:
            write_states(conn, self.states, self.cache.ahead())
        self.checkpointer.wake()

    def close(self) -> None:
        """Stop the checkpointer's thread (the engine is the caller's to dispose)."""
        self.checkpointer.close()

    def _where(self, conn: Connection) -> tuple[int, Fault | None]:
        """The tracked position and the recorded fault, in one query."""
        row = conn.execute(
            select(tracking.c.position, fault.c.position.label("at"), fault.c.case_id,
                   fault.c.version, fault.c.event_type, fault.c.error)
            .select_from(tracking.outerjoin(fault, fault.c.projection == tracking.c.projection))
            .where(tracking.c.projection == NAME)).one()
        if row.at is None:
            return row.position, None
        return row.position, Fault(row.at, row.case_id, row.version, row.event_type, row.error)

    def _lock_tracking(self, conn: Connection) -> None:
        """Take the write lock first (a no-op update), before reading where we stand."""
        conn.execute(update(tracking).where(tracking.c.projection == NAME)
                     .values(position=tracking.c.position))

    def _apply_page(self, limit: int) -> tuple[int, int, bool]:
        """Apply the next events (up to `limit`) in one transaction: how many, the new
        position, and whether the log held no more than that when it was read."""
        with self.engine.begin() as conn:
            self._lock_tracking(conn)
            position, stuck = self._where(conn)
            if stuck and stuck.position == position + 1:
                limit = 1  # try the stuck event alone: cheap while it still fails
            self.cache.follow(position)
            try:
                notifications, at_end = self._apply(conn, position, limit)
            except BaseException:
                self.cache.clear()  # its cases were changed in place
                raise
            if not notifications:
                return 0, position, True
            last = notifications[-1].id
            if stuck:
                self._clear_fault(conn, stuck, last)
            moved = conn.execute(
                update(tracking)
                .where(tracking.c.projection == NAME, tracking.c.position == position)
                .values(position=last))
            if moved.rowcount != 1:
                self.cache.clear()
                raise PositionMoved
            self.cache.left_at(last)  # a failed commit leaves the position elsewhere
            return len(notifications), last, at_end

    def _apply(self, conn: Connection, position: int,
               limit: int) -> tuple[list[Notification], bool]:
        """Select and apply pages until `limit` events, a full cache or `flush_seconds`;
        the events applied, and whether a page came back short (the log held no more)."""
        flush, applied, at_end = Flush(conn, self.states, self.cache), [], False
        seconds = self.rebuild_flush_seconds if self._rebuilding else self.flush_seconds
        deadline = time.monotonic() + seconds
        try:
            while len(applied) < limit:
                wanted = min(self.page_size, limit - len(applied))
                page = self.service.recorder.select_notifications(start=position + 1,
                                                                  limit=wanted)
                at_end = len(page) < wanted
                if not page:
                    break
                applied += page
                position = page[-1].id
                flush.add(decoded(self.states, page))
                if flush.touched >= self.cache.size or time.monotonic() >= deadline:
                    break
            flush.write()
        except Exception as error:
            if about_the_database(error):
                raise
            raise PageFailed(applied, error) from error
        return applied, at_end

    def _clear_fault(self, conn: Connection, stuck: Fault, last: int) -> None:
        if stuck.position <= last:
            conn.execute(delete(fault).where(fault.c.projection == NAME))
            log.info("projection %s applied event #%d it was stuck at", NAME, stuck.position)

    def _record_fault(self, found: Fault) -> None:
        """Record the event it is stuck at (logged once, not at every retry)."""
        with self.engine.begin() as conn:
            self._lock_tracking(conn)
            position, recorded = self._where(conn)
            if position != found.position - 1 or recorded == found:
                return  # moved on meanwhile, or nothing new to say
            conn.execute(delete(fault).where(fault.c.projection == NAME))
            conn.execute(insert(fault).values(projection=NAME, position=found.position,
                                              case_id=found.case_id, version=found.version,
                                              event_type=found.event_type, error=found.error))
        log.warning("projection %s is %s; the views hold every event before it",
                    NAME, found.describe())
