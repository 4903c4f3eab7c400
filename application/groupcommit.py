"""Group commit: saves that arrive together share one transaction and one commit (ADR 35).

A caller hands the committer its pending saves and waits. If no save is being written, the
caller leads at once: it takes every save waiting (its own first among them, up to
`max_batch`), and the recorder writes them in ONE transaction, each in its own SAVEPOINT.
A save refused at its savepoint (another writer took the version: an integrity error) is
rolled back alone and gets its error; the others commit together, with one fsync. Saves
arriving while a batch is written queue up, and the first of them leads the next batch.
A caller with nothing waiting beside it commits at once: no added latency, no timer.

A save may build on an earlier save of the same batch (`after`: the next command on a case
opened or changed earlier in `CaseService.handle_many`); it is refused without being tried
when that one was refused. Every caller returns only once its saves are committed (or
refused): each is durable before it is acknowledged.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from eventsourcing.persistence import IntegrityError, StoredEvent

DEFAULT_MAX_BATCH = 256


class _Ticket:
    """One caller's wait: woken when its saves are decided, or when it is to lead."""

    def __init__(self, count: int) -> None:
        self.remaining = count
        self.leads = False
        self.wake = threading.Event()


@dataclass(eq=False)
class Pending:
    """A save waiting to be written: what to insert, and (once written) its outcome."""

    stored_events: Sequence[StoredEvent]
    kwargs: dict[str, Any] = field(default_factory=dict)
    after: Pending | None = None  # an earlier save of the batch this one builds on
    ids: Sequence[int] | None = None
    error: BaseException | None = None
    ticket: _Ticket | None = None

    def refused_before(self) -> IntegrityError | None:
        """An integrity error when the save this one builds on was refused, else None."""
        if self.after is not None and self.after.error is not None:
            return IntegrityError("an earlier save of the same case in this batch was refused")
        return None

    def outcome(self) -> Sequence[int] | None:
        if self.error is not None:
            raise self.error
        return self.ids


# Writes a batch: sets each save's ids or error; raises when the transaction fails whole.
WriteBatch = Callable[[list[Pending]], None]


class GroupCommitter:
    """Gathers the pending saves of concurrent callers and writes them a batch at a time."""

    def __init__(self, write: WriteBatch, max_batch: int = DEFAULT_MAX_BATCH) -> None:
        self._write = write
        self.max_batch = max_batch
        self._lock = threading.Lock()
        self._queue: list[Pending] = []
        self._leading = False
        self.batches = 0  # batches written (for tests and benchmarks)
        self.saves = 0  # saves written

    def insert(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        """One save, as the library's `insert_events`: its ids, or its error raised."""
        item = Pending(stored_events, kwargs)
        self.submit([item])
        return item.outcome()

    def submit(self, items: list[Pending]) -> None:
        """Write the saves (in order, with whatever else is waiting); return once each is
        committed or refused (its `ids` or `error` set)."""
        if not items:
            return
        ticket = _Ticket(len(items))
        for item in items:
            item.ticket = ticket
        with self._lock:
            self._queue.extend(items)
            ticket.leads = not self._leading
            self._leading = True
        while True:
            with self._lock:
                if ticket.remaining == 0:
                    return
                lead, ticket.leads = ticket.leads, False
                if not lead:
                    ticket.wake.clear()
            if lead:
                self._lead()
            else:
                ticket.wake.wait()

    def _lead(self) -> None:
        with self._lock:
            batch = self._queue[:self.max_batch]
            del self._queue[:self.max_batch]
        try:
            self._write(batch)
        except BaseException as error:  # the transaction failed whole: nothing was stored
            for item in batch:
                item.ids, item.error = None, error
        finally:
            self._decided(batch)

    def _decided(self, batch: list[Pending]) -> None:
        with self._lock:
            self.batches += 1
            self.saves += len(batch)
            for item in batch:
                ticket = item.ticket
                assert ticket is not None
                ticket.remaining -= 1
                if ticket.remaining == 0:
                    ticket.wake.set()
            if self._queue:
                ticket = self._queue[0].ticket
                assert ticket is not None
                ticket.leads = True
                ticket.wake.set()
            else:
                self._leading = False
