"""The event store's connections, bounded in time (application.availability's timeouts).

PostgreSQL: each connection opens within ARREARS_DB_CONNECT_TIMEOUT and runs each statement
within ARREARS_DB_STATEMENT_TIMEOUT (the server's statement_timeout). A checkout of a
connection whose statement goes unanswered for both together (the server stopped answering
mid-statement) is cut off by a watchdog: the client gets an error instead of hanging, and
the transaction it held is rolled back by the server when it sees the closed connection.
Each statement starts the deadline again (`WatchedCursor`), so a transaction of many quick
statements, an import, may take longer than it. Once the database could not be reached,
further attempts fail at once for a moment (the library retries each call ten times; without
that, one command would wait ten timeouts) and then try again: the service recovers by
itself when the database returns.

SQLite: a write waits ARREARS_DB_CONNECT_TIMEOUT for another writer's lock; a store whose
file or directory is read-only is opened read-only (URI mode=ro; no tables created, no
journal written), so the reading commands work on it.
"""

from __future__ import annotations

import logging
import os
import socket
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

import psycopg
from eventsourcing import postgres, sqlite
from eventsourcing.persistence import OperationalError
from psycopg_pool import PoolTimeout

from application.availability import CONNECT_TIMEOUT, STATEMENT_TIMEOUT, Timeouts

log = logging.getLogger(__name__)
# How long attempts fail at once after the database could not be reached.
PAUSE = 1.0


class Breaker:
    """Remembers that the database could not be reached, and why, for PAUSE seconds; and
    the last error of the pool's own connection attempts (made in its worker threads)."""

    def __init__(self) -> None:
        self.reason = ""
        self.until = 0.0
        self.last_connect_error = ""

    def trip(self, reason: str) -> None:
        self.reason, self.until = reason, time.monotonic() + PAUSE

    def check(self) -> None:
        if self.reason and time.monotonic() < self.until:
            raise OperationalError(self.reason)


class Watchdog:
    """Cuts off connections held past their deadline (one thread per process, on demand)."""

    def __init__(self) -> None:
        # id(conn): (when it is cut off, conn, breaker, how long each use may take)
        self._held: dict[int, tuple[float, Any, Breaker, float]] = {}
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def hold(self, conn: Any, deadline: float, breaker: Breaker) -> None:
        with self._lock:
            self._held[id(conn)] = (time.monotonic() + deadline, conn, breaker, deadline)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._watch, name="arrears-db-watchdog",
                                                daemon=True)
                self._thread.start()

    def rearm(self, conn: Any) -> None:
        """A held connection's holder is still making progress: its deadline starts again."""
        with self._lock:
            held = self._held.get(id(conn))
            if held is not None:
                _, conn, breaker, deadline = held
                self._held[id(conn)] = (time.monotonic() + deadline, conn, breaker, deadline)

    def release(self, conn: Any) -> None:
        with self._lock:
            self._held.pop(id(conn), None)

    def _watch(self) -> None:
        while True:
            time.sleep(0.2)
            now = time.monotonic()
            with self._lock:
                late = [(k, c, b) for k, (d, c, b, _) in self._held.items() if d < now]
                for key, _conn, _breaker in late:
                    del self._held[key]
            for _key, conn, breaker in late:
                breaker.trip("the database did not answer in time (ARREARS_DB_CONNECT_TIMEOUT "
                             "+ ARREARS_DB_STATEMENT_TIMEOUT)")
                _cut(conn)


WATCHDOG = Watchdog()


class WatchedCursor(psycopg.Cursor[Any]):
    """The cursor of a guarded connection: each statement starts the connection's deadline
    again, so the watchdog cuts off a statement left unanswered, not a long transaction of
    quick ones (an import of a big store)."""

    def execute(self, *args: Any, **kwargs: Any) -> Any:
        WATCHDOG.rearm(self.connection)
        return super().execute(*args, **kwargs)

    def executemany(self, *args: Any, **kwargs: Any) -> Any:
        WATCHDOG.rearm(self.connection)
        return super().executemany(*args, **kwargs)


def _cut(conn: Any) -> None:
    """Shut the connection's socket: the waiting client gets an error at once."""
    try:
        duplicate = socket.socket(fileno=os.dup(conn.pgconn.socket))
    except (OSError, ValueError, Exception):  # noqa: BLE001 (already closed: nothing to cut)
        return
    try:
        duplicate.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    finally:
        duplicate.close()


def guard_postgres(datastore: postgres.PostgresDatastore, timeouts: Timeouts) -> None:
    """Bound the datastore's waits by the timeouts; cut off and remember a lost database."""
    pool = datastore.pool
    kwargs = dict(pool.kwargs or {})
    kwargs.update(connect_timeout=max(1, round(timeouts.connect)),
                  options=f"-c statement_timeout={int(timeouts.statement * 1000)}",
                  keepalives=1, keepalives_idle=max(1, round(timeouts.connect)),
                  keepalives_interval=1, keepalives_count=3,
                  tcp_user_timeout=int(timeouts.deadline * 1000), cursor_factory=WatchedCursor)
    pool.kwargs = kwargs
    pool.timeout = timeouts.connect
    pool.reconnect_timeout = timeouts.connect  # give up a slot soon; the next request grows it
    datastore.pool_open_timeout = None
    breaker = Breaker()
    _remember_connect_errors(pool, breaker)
    _watch_checks(pool, timeouts, breaker)
    opened = datastore.get_connection

    @contextmanager
    def get_connection() -> Iterator[Any]:
        breaker.check()
        entered = False
        try:
            with opened() as conn:
                entered = True
                WATCHDOG.hold(conn, timeouts.deadline, breaker)
                try:
                    yield conn
                finally:
                    WATCHDOG.release(conn)
        except OperationalError as error:
            if not entered:
                breaker.trip(_reason(error, breaker, pool, timeouts))
                raise OperationalError(breaker.reason) from error
            raise

    datastore.get_connection = get_connection  # type: ignore[method-assign]


def _remember_connect_errors(pool: Any, breaker: Breaker) -> None:
    """Keep why the pool's last connection attempt failed (the library silences its log)."""
    connect = pool._connect

    def remembering(timeout: float | None = None) -> Any:
        try:
            conn = connect(timeout)
        except Exception as error:
            breaker.last_connect_error = _one_line(error)
            raise
        breaker.last_connect_error = ""
        return conn

    pool._connect = remembering


def _watch_checks(pool: Any, timeouts: Timeouts, breaker: Breaker) -> None:
    """The pool's check of a connection before use (POSTGRES_PRE_PING), under the watchdog:
    a connection that no longer answers is cut off and replaced, not waited on."""
    check = pool._check
    if check is None:
        return

    def watched(conn: Any) -> None:
        WATCHDOG.hold(conn, timeouts.connect, breaker)
        try:
            check(conn)
        finally:
            WATCHDOG.release(conn)

    pool._check = watched


def _reason(error: Exception, breaker: Breaker, pool: Any, timeouts: Timeouts) -> str:
    """Why no connection could be had: the pool's own error, else the pool's timeout."""
    where = f"{pool.kwargs.get('host')}:{pool.kwargs.get('port')}"
    if breaker.last_connect_error:
        return f"cannot connect to PostgreSQL at {where}: {breaker.last_connect_error}"
    if isinstance(error.__cause__, PoolTimeout):
        return (f"cannot connect to PostgreSQL at {where}: no answer within "
                f"{timeouts.connect:g} s ({CONNECT_TIMEOUT})")
    return f"cannot connect to PostgreSQL at {where}: {_one_line(error)}"


def _one_line(error: BaseException) -> str:
    text = " ".join(str(error).split()) or type(error).__name__
    return text.removeprefix("connection failed: ")


class PostgresFactory(postgres.PostgresFactory):
    """The library's factory, its datastore bounded by ARREARS_DB_*_TIMEOUT."""

    def __init__(self, env: Any) -> None:
        super().__init__(env)
        guard_postgres(self.datastore, timeouts_of(self.env))


class SQLiteFactory(sqlite.SQLiteFactory):
    """The library's factory; a read-only store opened read-only (see the module's doc); a
    new file put in WAL mode first, one process at a time; connections that keep their
    prepared statements (`StatementCachingPool`)."""

    def __init__(self, env: Any) -> None:
        name = env.get("SQLITE_DBNAME") or ""
        if name and name != ":memory:" and not name.startswith("file:"):
            wal_first(name, float(env.get("SQLITE_LOCK_TIMEOUT") or 5))
        super().__init__(env)
        made = self.datastore.pool
        self.datastore.pool = StatementCachingPool(db_name=made.db_name,
                                                   lock_timeout=made.lock_timeout)
        made.close()  # it has made no connection yet


STATEMENTS = 128  # prepared statements each SQLite connection keeps (sqlite3's default)


class StatementCachingPool(sqlite.SQLiteConnectionPool):
    """The library's pool, each connection keeping `STATEMENTS` prepared statements.

    The library opens its connections with `cached_statements=True`, which sqlite3 reads as
    a cache of one statement: every statement of a command (the fast-forward read and its
    hashes, the inserts) was prepared again each time, ~40 µs of a command's CPU (README,
    Performance). The rest is the library's own `_create_connection`.
    """

    def _create_connection(self) -> sqlite.SQLiteConnection:
        try:
            conn = sqlite3.connect(database=self.db_name, uri=True, check_same_thread=False,
                                   isolation_level=None, cached_statements=STATEMENTS,
                                   timeout=self.lock_timeout
                                   or sqlite.SQLITE3_DEFAULT_LOCK_TIMEOUT)
        except (sqlite3.Error, TypeError) as error:
            raise sqlite.InterfaceError(error) from error
        if not self.is_sqlite_memory_mode and not self.is_journal_mode_wal:
            mode = conn.execute("PRAGMA journal_mode;").fetchone()[0]
            if mode.lower() != "wal":
                conn.execute("PRAGMA journal_mode=WAL;")
                self.journal_mode_was_changed_to_wal = True
            self.is_journal_mode_wal = True
        conn.row_factory = sqlite3.Row
        return sqlite.SQLiteConnection(sqlite_conn=conn, max_age=self.max_age)


def wal_first(path: str, timeout: float) -> None:
    """Put a new (or empty) SQLite file in WAL mode before the library's connections do.

    Each library connection starts with `PRAGMA journal_mode=WAL`; on a new file that needs
    the file alone, and processes starting on it at once deadlock on it, one failing at
    once with "database is locked" (no busy timeout helps a deadlock). Tried here again
    until it is done or `timeout` has passed; a file already in WAL mode is left alone, and
    anything else (a directory that cannot be written) is left to the library to report.
    """
    file = Path(path)
    if file.exists() and file.stat().st_size > 0:
        return
    deadline = time.monotonic() + timeout
    while True:
        try:
            with closing(sqlite3.connect(path, timeout=timeout)) as conn:
                conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                return  # the library's own connection says what is wrong
            time.sleep(0.02)


def timeouts_of(env: Any) -> Timeouts:
    """The timeouts carried in the application's environment (see `eventsourcing_env`)."""
    return Timeouts.from_env({CONNECT_TIMEOUT: env.get(CONNECT_TIMEOUT) or "",
                              STATEMENT_TIMEOUT: env.get(STATEMENT_TIMEOUT) or ""})


def read_only(path: str) -> bool:
    """Whether a SQLite store's file (or, for a new one, its directory) cannot be written."""
    file = Path(path)
    if file.exists():
        return not os.access(file, os.W_OK) or not os.access(file.parent, os.W_OK)
    return file.parent.exists() and not os.access(file.parent, os.W_OK)


def read_only_uri(path: str) -> str:
    """The URI opening a SQLite file read-only; `immutable` where no journal can be made
    beside it (a read-only directory: nobody can write the file there either)."""
    file = Path(path).resolve()
    wal = file.with_name(file.name + "-wal")
    pending = wal.exists() and wal.stat().st_size > 0  # committed writes not yet in the file
    immutable = not os.access(file.parent, os.W_OK) and not pending
    return f"file:{quote(str(file))}?mode=ro" + ("&immutable=1" if immutable else "")
