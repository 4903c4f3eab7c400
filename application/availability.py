"""When the database is away: how long to wait for it, and how to say that it is away.

Two settings bound every wait (README, Faults):
- ARREARS_DB_CONNECT_TIMEOUT (seconds, default 5): how long a connection may take to open;
  SQLite: how long a write waits for another writer's lock.
- ARREARS_DB_STATEMENT_TIMEOUT (seconds, default 10): how long one statement may run
  (PostgreSQL's statement_timeout, and a client-side deadline per checkout of a connection).

`unavailable(error)` tells a database that cannot be used now (unreachable, stopped, timed
out, locked, read-only, full) from any other failure, as a `DatabaseUnavailable` whose
message is one line naming why. The CLI exits with its own code on it, the web app answers
503.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass

from application.settings import SettingsError

CONNECT_TIMEOUT = "ARREARS_DB_CONNECT_TIMEOUT"
STATEMENT_TIMEOUT = "ARREARS_DB_STATEMENT_TIMEOUT"
DEFAULT_CONNECT_TIMEOUT = 5.0
DEFAULT_STATEMENT_TIMEOUT = 10.0
MAX_REASON = 240


class DatabaseUnavailable(Exception):
    """The database cannot be used now; `reason` is one line saying why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Timeouts:
    """How long to wait for the database (seconds)."""

    connect: float = DEFAULT_CONNECT_TIMEOUT
    statement: float = DEFAULT_STATEMENT_TIMEOUT

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Timeouts:
        env = os.environ if environ is None else environ
        return cls(_seconds(env, CONNECT_TIMEOUT, DEFAULT_CONNECT_TIMEOUT),
                   _seconds(env, STATEMENT_TIMEOUT, DEFAULT_STATEMENT_TIMEOUT))

    @property
    def deadline(self) -> float:
        """The longest one use of a connection may take before it is cut off."""
        return self.connect + self.statement


def _seconds(env: Mapping[str, str], name: str, default: float) -> float:
    text = env.get(name, "").strip()
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        raise SettingsError(f"{name}: '{text}' is not a number of seconds") from None
    if not 0 < value <= 3600:
        raise SettingsError(f"{name}: must be more than 0 and at most 3600 seconds")
    return value


# SQLite's messages for a store that cannot be used now (not a bad statement).
_SQLITE_FAULTS = {
    "database is locked": "the SQLite database is locked by another writer (waited "
                          f"as long as {CONNECT_TIMEOUT} allows)",
    "readonly database": "the SQLite database is read-only: nothing can be stored",
    "disk is full": "the disk holding the SQLite database is full: nothing was stored",
    "unable to open database": "the SQLite database file cannot be opened",
    "disk i/o error": "the SQLite database cannot be read or written (disk I/O error: is "
                      "the disk full?)",
}


def unavailable(error: BaseException) -> DatabaseUnavailable | None:
    """The error as a `DatabaseUnavailable` if it says the database cannot be used now."""
    if isinstance(error, DatabaseUnavailable):
        return error
    links = _chain(error)
    if any(_is_conflict(link) for link in links):  # a write that lost a race: not the database
        return None
    if any(isinstance(link, sqlite3.Error) for link in links):
        return next(filter(None, (_sqlite(str(link)) for link in links)), None)
    for link in links:
        if _is_connection_error(link):
            if (known := _sqlite(str(link))) is not None:
                return known
            text = _one_line(link)
            if not text.startswith(("cannot connect", "the database")):
                text = f"the database cannot be used now: {text}"
            return DatabaseUnavailable(text)
    return None


def _chain(error: BaseException) -> list[BaseException]:
    links: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in links and len(links) < 10:
        links.append(current)
        current = current.__cause__ or current.__context__
    return links


def _sqlite(message: str) -> DatabaseUnavailable | None:
    lowered = message.lower()
    for words, reason in _SQLITE_FAULTS.items():
        if words in lowered:
            return DatabaseUnavailable(reason)
    return None


def _is_conflict(error: BaseException) -> bool:
    """A refused write (a unique key taken by another writer), or what it leaves behind in
    psycopg's pipeline (`PipelineAborted`): the database answered."""
    import psycopg
    from eventsourcing import persistence
    from sqlalchemy import exc

    return isinstance(error, psycopg.IntegrityError | psycopg.errors.PipelineAborted
                      | persistence.IntegrityError | exc.IntegrityError)


def _is_connection_error(error: BaseException) -> bool:
    import psycopg
    from eventsourcing import persistence
    from sqlalchemy import exc

    if isinstance(error, psycopg.OperationalError | psycopg.InterfaceError):
        return True
    return isinstance(error, exc.OperationalError | exc.InterfaceError | exc.TimeoutError
                      | persistence.OperationalError | persistence.InterfaceError)


def _one_line(error: BaseException) -> str:
    text = " ".join(str(error).split()) or type(error).__name__
    return text if len(text) <= MAX_REASON else text[: MAX_REASON - 3] + "..."
