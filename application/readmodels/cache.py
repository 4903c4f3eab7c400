"""The projector's cache of cases: their state and summary row as it last wrote them.

A case touched again soon (the log interleaves cases, so a page touches many cases and the
next pages touch many of them again) is then neither read back from `rm_case_state` and
decoded, nor its summary row read. The cache is only right AT the position it was left at:
the projector says where it left it (`left_at`) and, before the next transaction, where
the tracked position is (`follow`). Any difference (another process applied events, a
rebuild, a commit that failed) empties it; so does any failure while applying, since the
cases are changed in place.

Bounded: after each flush the least recently used cases beyond `size` are dropped.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import date
from itertools import islice
from typing import Any

from domain.case import DebtCase


@dataclass
class Entry:
    """One case as the read models hold it (`summary` None: no row written yet), and the
    version its `rm_case_state` row holds (0: no row)."""

    case: DebtCase
    summary: dict[str, Any] | None
    last_reminder_on: date | None
    stored: int = 0


class CaseCache:
    """Cases by id, valid at one tracked position, least recently used dropped first."""

    def __init__(self, size: int = 15_000) -> None:
        self.size = size
        self.position: int | None = None
        self._entries: OrderedDict[str, Entry] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, case_id: str) -> bool:
        return case_id in self._entries

    def follow(self, position: int) -> None:
        """The tracked position a transaction starts from: empty unless left right there."""
        if position != self.position:
            self.clear()
            self.position = position

    def left_at(self, position: int) -> None:
        """The transaction that applied up to `position` is about to commit."""
        self.position = position
        self.trim()

    def clear(self) -> None:
        self._entries.clear()
        self.position = None

    def get(self, case_id: str) -> Entry:
        entry = self._entries[case_id]
        self._entries.move_to_end(case_id)
        return entry

    def put(self, case_id: str, entry: Entry) -> None:
        self._entries[case_id] = entry
        self._entries.move_to_end(case_id)

    def ahead(self) -> list[Entry]:
        """The cases ahead of their state row."""
        return [e for e in self._entries.values() if e.case.version > e.stored]

    def overflow(self) -> list[tuple[str, Entry]]:
        """The cases the next `trim` drops, least recently used first."""
        extra = len(self._entries) - self.size
        return list(islice(self._entries.items(), extra)) if extra > 0 else []

    def trim(self) -> None:
        """Drop the least recently used cases beyond the bound."""
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)
