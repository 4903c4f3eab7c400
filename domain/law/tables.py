"""Rate tables: CSV files in `data/`, one row per rate with its source, read once.

A file's `# covered_until: YYYY-MM-DD` comment is the last day the table is known to be
complete. A rate asked for after it (or before the first row) is refused, never guessed.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib.resources import files

from domain.law.errors import RateUnknown

COVERED = "# covered_until:"
COLUMNS = ("effective_from", "rate", "series", "source_url", "read_from", "retrieved_on")


@dataclass(frozen=True)
class RateRow:
    """A rate (percent a year) from a day on, and where it was read."""

    effective_from: date
    rate: Decimal
    series: str
    source_url: str
    read_from: str
    retrieved_on: date


@dataclass(frozen=True)
class RateTable:
    name: str
    rows: tuple[RateRow, ...]
    covered_until: date

    def rate_on(self, day: date, field: str = "until") -> RateRow:
        """The row in force on `day`."""
        self.check_covers(day, field)
        return [row for row in self.rows if row.effective_from <= day][-1]

    def changes_within(self, start: date, end: date) -> tuple[RateRow, ...]:
        """Rows taking effect after `start`, up to and including `end`."""
        self.check_covers(end, "until")
        return tuple(row for row in self.rows if start < row.effective_from <= end)

    def check_covers(self, day: date, field: str) -> None:
        first = self.rows[0].effective_from
        if day < first:
            raise RateUnknown(f"{day.isoformat()} is before the first rate in {self.name} "
                              f"({first.isoformat()})", field)
        if day > self.covered_until:
            raise RateUnknown(
                f"{day.isoformat()} is after {self.covered_until.isoformat()}, the last day "
                f"{self.name} covers; add the published rates to domain/law/data/{self.name}",
                field)


@cache
def rate_table(name: str) -> RateTable:
    """The table in `domain/law/data/<name>` (read once)."""
    text = (files("domain.law") / "data" / name).read_text(encoding="utf-8")
    lines = text.splitlines()
    covered = [line for line in lines if line.startswith(COVERED)]
    if len(covered) != 1:
        raise ValueError(f"{name}: needs one '{COVERED} YYYY-MM-DD' line")
    reader = csv.DictReader(line for line in lines if not line.startswith("#"))
    if tuple(reader.fieldnames or ()) != COLUMNS:
        raise ValueError(f"{name}: the columns must be {', '.join(COLUMNS)}")
    rows = tuple(_row(name, number, record) for number, record in enumerate(reader, 2))
    _check_order(name, rows)
    return RateTable(name, rows, date.fromisoformat(covered[0][len(COVERED):].strip()))


def _row(name: str, number: int, record: dict[str, str]) -> RateRow:
    try:
        return RateRow(date.fromisoformat(record["effective_from"]), Decimal(record["rate"]),
                       record["series"], record["source_url"], record["read_from"],
                       date.fromisoformat(record["retrieved_on"]))
    except (ValueError, InvalidOperation) as error:
        raise ValueError(f"{name}: data row {number}: {error}") from None


def _check_order(name: str, rows: tuple[RateRow, ...]) -> None:
    if not rows:
        raise ValueError(f"{name}: no rates")
    for before, after in zip(rows, rows[1:], strict=False):
        if after.effective_from <= before.effective_from:
            raise ValueError(f"{name}: {after.effective_from} is not after "
                             f"{before.effective_from}")
