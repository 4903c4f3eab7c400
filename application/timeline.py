"""A case's timeline: the one order every timeline shows, and which events are back-dated.

The order: by business date (occurred on), then by when Arrears recorded the event (recorded
at), then by version. An event is back-dated when its business date is earlier than the
latest business date among the case's events recorded before it (lower versions).

Both the web case page (read model rows) and `arrears timeline` (event records) use
`chronology`; their entries differ in shape but share `version`, `occurred_on` (a date or its
ISO text) and `recorded_at` (an ISO timestamp, or a datetime).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any


def _day(value: date | str) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


def _instant(value: datetime | str) -> datetime:
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def timeline_order(entry: Mapping[str, Any]) -> tuple[date, datetime, int]:
    """The sort key of a timeline entry: business date, recorded time, version."""
    return _day(entry["occurred_on"]), _instant(entry["recorded_at"]), entry["version"]


def chronology(entries: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The case's entries in timeline order, each with `backdated` (True or False)."""
    latest: date | None = None
    marked = []
    for entry in sorted(entries, key=lambda e: e["version"]):  # the order recorded
        day = _day(entry["occurred_on"])
        marked.append({**entry, "backdated": latest is not None and day < latest})
        latest = day if latest is None else max(latest, day)
    return sorted(marked, key=timeline_order)
