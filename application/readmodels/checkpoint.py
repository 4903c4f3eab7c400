"""The read models' SQLite WAL checkpointed in a thread of its own, not in the projector's commit.

SQLite copies the write-ahead log back into the database file (a checkpoint: two fsyncs
and every page the log holds) in the connection whose commit took the log past
`wal_autocheckpoint` pages, so a projector's commit of 1,000 touched cases (~3,500 pages)
paid a checkpoint each time, on its caller's clock. The views see a flush at its commit;
the checkpoint only moves the pages. Here the read models' connections check their own
commits only past SAFETY_PAGES (a bound on the log if no checkpointer runs), and the
projector wakes a `Checkpointer` after each commit that applied events: one thread per
process, started on the first wake, that runs `PRAGMA wal_checkpoint(PASSIVE)` (it waits
for no lock; what it cannot copy now, the next one does). PostgreSQL, a database in memory
and a read-only file have no log to checkpoint: no thread (ADR 46).
"""

from __future__ import annotations

import logging
import os
import threading

from sqlalchemy import Engine

from application.settings import sqlite_file

SAFETY_PAGES = 10_000  # ~40 MB of log at most between checkpoints if no checkpointer runs
log = logging.getLogger(__name__)


class Checkpointer:
    """Checkpoints the WAL of one SQLite file after the commits it is woken for."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.done = 0  # checkpoints run
        self._cond = threading.Condition()
        self._asked = self._reached = 0  # wakes asked for, and the last one checkpointed
        self._closed = False
        self._thread: threading.Thread | None = None
        self._pid = 0

    def wake(self) -> None:
        """A commit wrote pages to the log: checkpoint them soon, in the thread."""
        with self._cond:
            if self._closed:
                return
            self._asked += 1
            self._started()
            self._cond.notify_all()

    def wait(self, timeout: float = 10.0) -> bool:
        """Whether every commit woken for so far is checkpointed within `timeout` seconds."""
        with self._cond:
            return self._cond.wait_for(lambda: self._reached >= self._asked, timeout)

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        if self._thread is not None and self._pid == os.getpid():
            self._thread.join(timeout=10)

    def _started(self) -> None:
        """The thread, started in this process (a forked worker starts its own)."""
        if self._thread is None or self._pid != os.getpid():
            self._pid = os.getpid()
            self._thread = threading.Thread(target=self._run, name="arrears-wal-checkpoint",
                                            daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._closed or self._asked > self._reached)
                if self._closed:
                    return
                target = self._asked
            self._checkpoint()
            with self._cond:
                self._reached = target
                self._cond.notify_all()

    def _checkpoint(self) -> None:
        try:
            with self.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)")
            self.done += 1
        except Exception:  # the next commit's wake tries again; the views are already right
            log.warning("checkpoint of the read models' log failed", exc_info=True)


class NoCheckpointer(Checkpointer):
    """For a database with no log of its own to checkpoint: every call does nothing."""

    def wake(self) -> None:
        return None

    def wait(self, timeout: float = 10.0) -> bool:
        return True


def checkpointer_for(engine: Engine, read_only: bool) -> Checkpointer:
    """A checkpointer for a writable SQLite file, else one that does nothing."""
    if read_only or sqlite_file(str(engine.url)) is None:
        return NoCheckpointer(engine)
    return Checkpointer(engine)
