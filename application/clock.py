"""The clock is passed in, never global: tests and the demo fix it, production reads UTC."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime: ...

    def today(self) -> date: ...


class SystemClock:
    """Real time, in UTC."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def today(self) -> date:
        return self.now().date()


@dataclass
class FixedClock:
    """A clock that stands still until moved: for tests, demos and replays."""

    current: datetime = field(default_factory=lambda: datetime(2026, 1, 1, 9, tzinfo=UTC))

    def now(self) -> datetime:
        return self.current

    def today(self) -> date:
        return self.current.date()

    def advance(self, **delta: float) -> None:
        self.current = self.current + timedelta(**delta)
