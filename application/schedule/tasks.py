"""Reading the tasks the schedule set (the `rm_task` read model, beside the case summary).

An open task is one not yet done on a case still open; a closed case's tasks are moot.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlalchemy import Engine, and_, select

from application.clock import Clock
from application.readmodels.tables import case_summary, task

T, C = task.c, case_summary.c
COLUMNS = (*task.columns, C.invoice_number, C.creditor, C.debtor_name, C.debtor_key,
           C.stage, C.is_closed)


class TaskViews:
    """Queries over the tasks, as seen on the clock's today."""

    def __init__(self, engine: Engine, clock: Clock) -> None:
        self.engine = engine
        self.clock = clock

    def open_tasks(self, due_by: date | None = None, limit: int | None = None
                   ) -> list[dict[str, Any]]:
        """Open tasks of open cases, the earliest due first (only those due by `due_by`)."""
        where = [T.done_on.is_(None), C.is_closed.is_(False)]
        if due_by is not None:
            where.append(T.due_on <= due_by)
        query = (select(*COLUMNS).select_from(task.join(case_summary, C.case_id == T.case_id))
                 .where(and_(*where)).order_by(T.due_on, C.invoice_number, T.step).limit(limit))
        with self.engine.connect() as conn:
            return [self._task(row) for row in conn.execute(query)]

    def of_case(self, case_id: str) -> list[dict[str, Any]]:
        """A case's tasks: the open ones first (earliest due first), then those done."""
        query = (select(*COLUMNS).select_from(task.join(case_summary, C.case_id == T.case_id))
                 .where(T.case_id == case_id).order_by(T.done_on.is_not(None), T.due_on,
                                                       T.step))
        with self.engine.connect() as conn:
            return [self._task(row) for row in conn.execute(query)]

    def _task(self, row: Any) -> dict[str, Any]:
        data = dict(row._mapping)
        data["actions"] = data["actions"].split()
        data["prefill"] = json.loads(data["prefill"])
        data["is_open"] = data["done_on"] is None and not data["is_closed"]
        data["overdue"] = data["is_open"] and data["due_on"] < self.clock.today()
        return data
