"""The case list's first page comes in its order (due date, then invoice number) straight
from an index: no sort of every case that shares a due date, however many do (SQLite's
plan; ADR 0042). Before, the page read and sorted the whole first due date's cases, which
grows with the book."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import event

from application.bootstrap import Arrears, build
from application.clock import FixedClock
from application.readmodels.queries import CaseFilter
from bench import dataset
from domain.values import Stage

FILTERS = [CaseFilter(), CaseFilter(stage="overdue", currency="EUR"),
           CaseFilter(bucket="31-60", currency="GBP"),
           CaseFilter(on_hold=False, include_closed=False, bucket="90+"),
           CaseFilter(stage=Stage.OPEN)]


@pytest.fixture
def app(tmp_path) -> Iterator[Arrears]:
    made = build(f"sqlite:///{tmp_path}/events.db", clock=FixedClock.on(dataset.TODAY))
    dataset.generate(made.service, 120, seed=5)
    made.projector.catch_up()
    yield made
    made.close()


def plans_of_the_page(app: Arrears, filters: CaseFilter) -> list[str]:
    """SQLite's plan of the statement that reads the page's rows."""
    seen: list[tuple[str, Any]] = []

    def record(_conn, _cursor, statement, parameters, _context, _many) -> None:
        seen.append((statement, parameters))

    event.listen(app.projector.engine, "before_cursor_execute", record)
    try:
        page = app.views.list_cases(filters)
    finally:
        event.remove(app.projector.engine, "before_cursor_execute", record)
    statement, parameters = next((s, p) for s, p in seen if "ORDER BY" in s)
    with app.projector.engine.connect() as conn:
        plan = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters).all()
    assert page.rows or filters != CaseFilter()
    return [row[-1] for row in plan]


@pytest.mark.parametrize("filters", FILTERS, ids=str)
def test_the_first_page_is_read_in_order_from_an_index(app, filters):
    plan = plans_of_the_page(app, filters)
    assert any("USING INDEX" in step or "USING COVERING INDEX" in step for step in plan), plan
    assert not any("TEMP B-TREE" in step for step in plan), plan


def test_the_page_is_in_due_date_then_invoice_number_order(app):
    rows = app.views.list_cases(CaseFilter(), per_page=200).rows
    keys = [(r["due_date"], r["invoice_number"]) for r in rows]
    assert len(keys) == 120 and keys == sorted(keys)
    assert dataset.TODAY - timedelta(days=800) < keys[0][0]
