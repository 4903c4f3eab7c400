"""The pages' aggregates, kept by the projector beside the case summary (ADR 0033).

`apply(conn, before, after)` is called with the summary rows about to be written and the
rows they replace (the projector holds both): it moves each case's contribution from its old
groups to its new ones, as deltas, in the projector's transaction. So the aggregates are
always the sums of the case summary, after a catch-up and after a rebuild alike (a rebuild
empties them with the other read models and applies every event again).

- rm_case_totals: cases and money per (currency, stage, closed, due date, held through);
  rm_stage_totals the same without the due date (a few rows).
- rm_case_action: each open case's windows on the dashboard's action lists.
- rm_action_day: the same windows as +n/-n per list and day; a list's count today is the
  sum of its deltas up to today.

`recompute(conn)` builds all three again from the case summary (tests; a rebuild that
writes the summary first may call it once at the end instead of the deltas).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Connection, bindparam, delete, insert, select
from sqlalchemy.dialects import postgresql, sqlite

from application.readmodels.tables import (
    AMOUNT_COLUMNS,
    action_day,
    case_action,
    case_summary,
    case_totals,
    stage_totals,
)
from domain.action_lists import DAY, action_windows

KEY = ("currency", "stage", "is_closed", "due_date", "held_through")
STAGE_KEY = ("currency", "stage", "is_closed", "held_through")  # KEY without the due date
WINDOW_FIELDS = ("on_hold", "hold_reason", "next_instalment_due", "limitation_date",
                 "next_promised_date", "demand_deadline", "last_reminder_on")
COLUMNS = ("case_id", *KEY, *AMOUNT_COLUMNS, *WINDOW_FIELDS)
COUNTERS = ("cases", *AMOUNT_COLUMNS)

Row = Mapping[str, Any]
ActionRow = tuple[str, date, date | None, date]  # action, starts_on, ends_on, due_date


def apply(conn: Connection, before: Mapping[str, Row], after: Sequence[Row]) -> None:
    """Move the aggregates from the summary rows `after` replaces (`before`, by case id; a
    new case has none) to `after`. The aggregates are made of COLUMNS alone (`recompute`
    reads no other), so a case none of whose COLUMNS changed (a note, a call) moves nothing
    and is passed over."""
    moved = [row for row in after if _moved(before.get(row["case_id"]), row)]
    if not moved:
        return
    _add_totals(conn, _totals_delta([before[r["case_id"]] for r in moved
                                     if r["case_id"] in before], moved))
    _apply_windows(conn, before, moved)


def _moved(old: Row | None, new: Row) -> bool:
    return old is None or any(old[name] != new[name] for name in COLUMNS)


def recompute(conn: Connection) -> None:
    """Empty the aggregates and build them again from the whole case summary."""
    for table in (case_totals, stage_totals, case_action, action_day):
        conn.execute(delete(table))
    columns = [case_summary.c[name] for name in COLUMNS]
    rows = [r._mapping for r in conn.execute(select(*columns))]
    _add_totals(conn, _totals_delta([], rows))
    _apply_windows(conn, {}, rows)


def _key(row: Row) -> tuple[Any, ...]:
    return (row["currency"], row["stage"], bool(row["is_closed"]), row["due_date"],
            row["held_through"])


def _totals_delta(before: Iterable[Row], after: Iterable[Row]) -> dict[tuple[Any, ...], list[int]]:
    deltas: dict[tuple[Any, ...], list[int]] = defaultdict(lambda: [0] * len(COUNTERS))
    for sign, rows in ((-1, before), (1, after)):
        for row in rows:
            delta = deltas[_key(row)]
            delta[0] += sign
            for i, name in enumerate(AMOUNT_COLUMNS, 1):
                delta[i] += sign * row[name]
    return {k: d for k, d in deltas.items() if any(d)}


def _add_totals(conn: Connection, deltas: dict[tuple[Any, ...], list[int]]) -> None:
    """Add the deltas to rm_case_totals, and summed without the due date to rm_stage_totals."""
    by_stage: dict[tuple[Any, ...], list[int]] = defaultdict(lambda: [0] * len(COUNTERS))
    for (currency, stage, closed, _, held), delta in deltas.items():
        rolled = by_stage[(currency, stage, closed, held)]
        rolled[:] = [a + b for a, b in zip(rolled, delta, strict=True)]
    _add_counters(conn, case_totals, KEY, deltas)
    _add_counters(conn, stage_totals, STAGE_KEY, by_stage)


def _add_counters(conn: Connection, table: Any, keys: Sequence[str],
                  deltas: Mapping[tuple[Any, ...], list[int]]) -> None:
    values = [{**dict(zip(keys, k, strict=True)), **dict(zip(COUNTERS, d, strict=True))}
              for k, d in sorted(deltas.items(), key=lambda kd: str(kd[0])) if any(d)]
    _add(conn, table, keys, COUNTERS, values)
    if any(v["cases"] < 0 for v in values):
        conn.execute(delete(table).where(table.c.cases == 0))


def _action_rows(row: Row) -> list[ActionRow]:
    return sorted((str(action), first, last, row["due_date"])
                  for action, (first, last) in action_windows(row).items())


def _apply_windows(conn: Connection, before: Mapping[str, Row], after: Iterable[Row]) -> None:
    dropped: list[str] = []
    added: list[dict[str, Any]] = []
    days: dict[tuple[str, date], int] = defaultdict(int)
    for row in after:
        case_id = row["case_id"]
        old = _action_rows(before[case_id]) if case_id in before else []
        new = _action_rows(row)
        if old == new:
            continue
        if old:
            dropped.append(case_id)
        for sign, windows in ((-1, old), (1, new)):
            for action, first, last, _ in windows:
                days[(action, first)] += sign
                if last is not None:
                    days[(action, last + DAY)] -= sign
        added.extend({"case_id": case_id, "action": a, "starts_on": first, "ends_on": last,
                      "due_date": due} for a, first, last, due in new)
    if dropped:
        conn.execute(delete(case_action).where(case_action.c.case_id == bindparam("_id")),
                     [{"_id": i} for i in dropped])
    if added:
        conn.execute(insert(case_action), added)
    _add_days(conn, {k: d for k, d in days.items() if d})


def _add_days(conn: Connection, days: dict[tuple[str, date], int]) -> None:
    if not days:
        return
    values = [{"action": a, "day": d, "delta": n} for (a, d), n in sorted(days.items())]
    _add(conn, action_day, ("action", "day"), ("delta",), values)
    conn.execute(delete(action_day).where(action_day.c.delta == 0))


def _add(conn: Connection, table: Any, keys: Sequence[str], counters: Sequence[str],
         values: list[dict[str, Any]]) -> None:
    """Insert each row, or add its counters to the row of the same key (one executemany)."""
    if not values:
        return
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(table)
    statement = statement.on_conflict_do_update(
        index_elements=list(keys),
        set_={name: table.c[name] + statement.excluded[name] for name in counters})
    conn.execute(statement, values)
