"""The clock is passed in, never global: tests and the demo fix it, production reads UTC."""

from __future__ import annotations

import os
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

    @classmethod
    def on(cls, day: date, hour: int = 9) -> FixedClock:
        """A clock standing at `hour` o'clock UTC on `day`."""
        return cls(datetime(day.year, day.month, day.day, hour, tzinfo=UTC))

    def now(self) -> datetime:
        return self.current

    def today(self) -> date:
        return self.current.date()

    def advance(self, **delta: float) -> None:
        self.current = self.current + timedelta(**delta)


def clock_from_env(environ: dict[str, str] | None = None) -> Clock:
    """ARREARS_TODAY=YYYY-MM-DD fixes the clock at 09:00 UTC that day (demos, tests, benches)."""
    env = os.environ if environ is None else environ
    today = env.get("ARREARS_TODAY")
    if not today:
        return SystemClock()
    try:
        day = date.fromisoformat(today)
    except ValueError:
        raise ValueError(f"ARREARS_TODAY: '{today}' is not a date (YYYY-MM-DD)") from None
    return FixedClock.on(day)
