"""The dashboard's action lists (stored windows, compared in SQL) and each case's next action
(Python) agree."""

from __future__ import annotations

from sqlalchemy import select

from application.bootstrap import build
from application.clock import FixedClock
from application.demo import load_demo
from application.readmodels.queries import on_list_condition
from application.readmodels.tables import case_action
from bench import dataset

NEXT_ACTION = {
    "missed_instalments": "Chase missed instalment",
    "broken_promises": "Chase broken promise",
    "deadlines_passed": "Demand deadline passed: refer",
    "demands_due": "Issue demand",
    "reminders_due": "Send reminder",
}


def test_every_action_list_holds_exactly_the_cases_with_that_next_action(tmp_path):
    app = build(f"sqlite:///{tmp_path}/events.db", clock=FixedClock.on(dataset.TODAY))
    try:
        dataset.generate(app.service, cases=400, events_per_case=8, seed=11)
        load_demo(app.service, dataset.TODAY)
        app.projector.catch_up()
        rows = app.views.list_cases(per_page=10_000).rows
        on_list = on_list_condition(dataset.TODAY)
        with app.projector.engine.connect() as conn:
            for name, action in NEXT_ACTION.items():
                listed = set(conn.execute(select(case_action.c.case_id)
                                          .where(case_action.c.action == name, on_list))
                             .scalars())
                expected = {r["case_id"] for r in rows if r["next_action"] == action}
                assert listed == expected, name
                assert listed or name == "missed_instalments", f"no case for {name}"
    finally:
        app.close()
