"""Python's cyclic garbage collector, run less often while the views are caught up (ADR 42).

Applying events allocates many small objects (decoded events, rows, cases), nearly all freed
by reference counting; the collector still runs every 700 allocations by default and, with
the projector's cache of cases held, each full collection walks every case in it. In a
rebuild of 99,033 events that was a fifth of the time. While a catch-up runs, the first
generation's threshold is raised to 50,000 allocations: the collector still runs, 70 times
less often, and whatever it has not collected yet waits until it does. The setting is the
process's, so it is put back when the catch-up ends, however it ends.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

CATCH_UP_THRESHOLD = 50_000  # allocations between collections of the youngest generation


@contextmanager
def collecting_less(threshold: int = CATCH_UP_THRESHOLD) -> Iterator[None]:
    """Raise the youngest generation's threshold for the block (never lower it)."""
    before = gc.get_threshold()
    if before[0] >= threshold:
        yield
        return
    gc.set_threshold(threshold, *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)
