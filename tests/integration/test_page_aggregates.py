"""The pages' figures from the aggregates (ADR 0033) equal a brute-force computation over
the case summary: list totals, filtered totals, dashboard buckets, stages and action lists,
on SQLite and PostgreSQL, after a catch-up in small pages, after more events, after a
rebuild, and on other days (aging and the lists move without new events)."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest
from sqlalchemy import and_, func, not_, or_, select

from application.bootstrap import Arrears, build
from application.clock import FixedClock
from application.demo import COUNSEL, load_demo
from application.readmodels import aggregates
from application.readmodels.queries import AMOUNTS, CaseFilter, CaseViews, seen_on
from application.readmodels.tables import (
    action_day,
    case_access,
    case_action,
    case_summary,
    case_totals,
    stage_totals,
)
from bench import dataset
from domain.law.limitation import WARNING_DAYS
from domain.money import Money
from domain.next_action import DEMAND_AFTER_DAYS, REMINDER_INTERVAL
from domain.stages import AGING_BUCKETS
from domain.values import Debtor, Instalment, Stage
from tests.commands import execute, open_case

TODAY = dataset.TODAY
DAYS = [TODAY + timedelta(days=n) for n in (0, -45, 9, 31, 95, 400)]
C = case_summary.c
FILTERS = [
    CaseFilter(), CaseFilter(include_closed=False), CaseFilter(currency="EUR"),
    CaseFilter(currency="gbp", include_closed=False), CaseFilter(on_hold=True),
    CaseFilter(on_hold=False, bucket="90+"), CaseFilter(on_hold=True, include_closed=False),
    *(CaseFilter(stage=s.value) for s in Stage),
    *(CaseFilter(bucket=b) for b in AGING_BUCKETS),
    CaseFilter(stage="overdue", bucket="1-30", currency="EUR"),
    CaseFilter(stage="reminded", q="debtor 1"), CaseFilter(debtor="Debtor 7 Ltd"),
]


def reference_actions(today: date) -> dict[str, Any]:
    """The dashboard's action lists as SQL over the raw summary columns (before ADR 0033)."""
    missed = and_(C.on_hold.is_(True), C.hold_reason == "plan",
                  C.next_instalment_due.is_not(None), C.next_instalment_due < today)
    held = and_(C.on_hold.is_(True), or_(C.hold_until.is_(None), C.hold_until >= today),
                not_(missed))
    working = and_(C.is_closed.is_(False), not_(held))
    demand_from = today - timedelta(days=DEMAND_AFTER_DAYS)
    return {
        "missed_instalments": and_(C.is_closed.is_(False), missed),
        "broken_promises": and_(working, C.next_promised_date < today),
        "deadlines_passed": and_(working, C.next_promised_date.is_(None), C.stage == "demanded",
                                 C.demand_deadline < today),
        "demands_due": and_(working, C.next_promised_date.is_(None), C.stage == "reminded",
                            C.due_date <= demand_from),
        "reminders_due": and_(working, C.next_promised_date.is_(None),
                              or_(C.stage == "open",
                                  and_(C.stage == "reminded", C.due_date > demand_from)),
                              C.due_date < today,
                              or_(C.last_reminder_on.is_(None),
                                  C.last_reminder_on <= today - REMINDER_INTERVAL)),
        "limitation_near": and_(C.is_closed.is_(False), C.limitation_date >= today,
                                C.limitation_date <= today + timedelta(days=WARNING_DAYS)),
    }


def summaries(app: Arrears, today: date, user: str | None = None) -> list[dict[str, Any]]:
    query = select(case_summary)
    if user is not None:
        query = query.where(C.case_id.in_(select(case_access.c.case_id)
                                          .where(case_access.c.user == user)))
    with app.projector.engine.connect() as conn:
        return [seen_on(dict(r._mapping), today) for r in conn.execute(query)]


def matches(row: dict[str, Any], f: CaseFilter) -> bool:
    return ((not f.stage or row["stage"] == f.stage)
            and (not f.bucket or row["aging_bucket"] == f.bucket)
            and (f.on_hold is None or row["on_hold"] == f.on_hold)
            and (not f.currency or row["currency"] == f.currency.upper())
            and (f.include_closed or not row["is_closed"])
            and (not f.debtor or row["debtor_name"] == f.debtor)
            and (not f.q or f.q in row["invoice_number"].lower()
                 or f.q in row["debtor_name"].lower()))


def brute_totals(rows: list[dict[str, Any]]) -> dict[str, dict[str, Decimal]]:
    totals: dict[str, dict[str, Decimal]] = {}
    for row in sorted(rows, key=lambda r: r["currency"]):
        sums = totals.setdefault(row["currency"],
                                 {"cases": Decimal(0), **{a: Decimal(0) for a in AMOUNTS}})
        sums["cases"] += 1
        for name in AMOUNTS:
            sums[name] += row[name]
    return totals


def brute_dashboard(app: Arrears, today: date, user: str | None = None) -> dict[str, Any]:
    rows = summaries(app, today, user)
    buckets: dict[str, dict[str, Decimal]] = {b: {} for b in AGING_BUCKETS}
    for row in rows:
        if not row["is_closed"]:
            by = buckets[row["aging_bucket"]]
            by[row["currency"]] = by.get(row["currency"], Decimal(0)) + row["outstanding"]
    visible = {r["case_id"] for r in rows}
    actions = {}
    with app.projector.engine.connect() as conn:
        for name, condition in reference_actions(today).items():
            found = [i for i in conn.execute(select(C.case_id).where(condition)
                                             .order_by(C.due_date, C.case_id)).scalars()
                     if i in visible]
            actions[name] = (len(found), found[:5])
    return {"buckets": buckets, "stages": dict(Counter(r["stage"] for r in rows)),
            "actions": actions}


def assert_pages_equal_brute_force(app: Arrears, user: str | None = None) -> int:
    """Every filter and the dashboard, on each of DAYS; how many figures were compared."""
    compared = 0
    for today in DAYS:
        views = CaseViews(app.projector.engine, FixedClock.on(today), user)
        rows = summaries(app, today, user)
        for f in FILTERS:
            page = views.list_cases(f, per_page=5)
            expected = brute_totals([r for r in rows if matches(r, f)])
            assert page.totals == expected, (today, f)
            assert page.total == sum(int(t["cases"]) for t in expected.values())
            compared += 1
        got, expected = views.dashboard(limit=5), brute_dashboard(app, today, user)
        assert {b: {c: v for c, v in t.items() if v} for b, t in got["buckets"].items()} == {
            b: {c: v for c, v in t.items() if v} for b, t in expected["buckets"].items()}, today
        assert got["stages"] == expected["stages"], today
        for name, (total, first) in expected["actions"].items():
            assert got["actions"][name]["total"] == total, (today, name)
            assert [r["case_id"] for r in got["actions"][name]["rows"]] == first, (today, name)
        compared += 1
    return compared


def assert_action_counts_equal_reference_every_day(app: Arrears) -> None:
    """Each list's count on every day from 100 days before TODAY to 130 after: every edge of
    every window is crossed (due dates, promise dates, reminders, holds, limitation)."""
    with app.projector.engine.connect() as conn:
        for n in range(-100, 131):
            today = TODAY + timedelta(days=n)
            expected = {name: conn.execute(select(func.count()).where(condition)).scalar_one()
                        for name, condition in reference_actions(today).items()}
            got = CaseViews(app.projector.engine, FixedClock.on(today))._action_counts(conn,
                                                                                       today)
            assert {k: v for k, v in expected.items() if v} == got, today


def aggregate_rows(app: Arrears) -> dict[str, list[tuple[Any, ...]]]:
    with app.projector.engine.connect() as conn:
        return {t.name: sorted(tuple(r) for r in conn.execute(select(t)))
                for t in (case_totals, stage_totals, case_action, action_day)}


@pytest.fixture
def app(database_url: str) -> Any:
    made = build(database_url, clock=FixedClock.on(TODAY))
    made.projector.page_size = 97  # many pages, so cases change across pages
    yield made
    made.close()


def work_more(app: Arrears) -> None:
    """Holds until a date and until lifted, a plan, a promise, payments: after catch-up."""
    service = app.service
    base = {"actor": "alice", "creditor": "Aggregates Ltd", "amount": Money.of("900", "EUR"),
            "issue_date": TODAY - timedelta(days=100)}
    held = open_case(service, invoice_number="AG-1", debtor=Debtor("Held Ltd"),
                     due_date=TODAY - timedelta(days=40), **base)
    execute(service, held, "place_hold", reason="negotiation", until=TODAY + timedelta(days=20))
    lifted = open_case(service, invoice_number="AG-2", debtor=Debtor("Lift Ltd"),
                       due_date=TODAY - timedelta(days=70), **base)
    execute(service, lifted, "place_hold", reason="query")
    planned = open_case(service, invoice_number="AG-3", debtor=Debtor("Plan Ltd"),
                        due_date=TODAY - timedelta(days=10), **base)
    execute(service, planned, "agree_payment_plan", instalments=[
        Instalment(TODAY + timedelta(days=5), Money.of("300", "EUR")),
        Instalment(TODAY + timedelta(days=35), Money.of("600", "EUR"))])
    promised = open_case(service, invoice_number="AG-4", debtor=Debtor("Promise Ltd"),
                         due_date=TODAY - timedelta(days=3), **base)
    execute(service, promised, "promise_payment", amount=Money.of("100", "EUR"),
            promised_on=TODAY + timedelta(days=4))
    execute(service, lifted, "lift_hold")
    with app.projector.engine.connect() as conn:
        some = conn.execute(select(C.case_id, C.currency).where(C.outstanding > 1000)
                            .order_by(C.case_id).limit(30)).all()
    for key, currency in some:
        case_id = UUID(key)
        execute(service, case_id, "record_payment", amount=Money.of("5", currency),
                method="bank_transfer")
        execute(service, case_id, "send_reminder", channel="email")


class TestPagesFromAggregates:
    def test_equal_brute_force_after_catch_up_more_events_and_rebuild(self, app):
        dataset.generate(app.service, cases=250, events_per_case=8, seed=5)
        load_demo(app.service, TODAY)
        app.projector.catch_up()
        assert assert_pages_equal_brute_force(app) == len(DAYS) * (len(FILTERS) + 1)

        work_more(app)
        app.projector.catch_up()
        assert_pages_equal_brute_force(app)
        assert_action_counts_equal_reference_every_day(app)
        live = aggregate_rows(app)
        assert all(live.values()), "every aggregate has rows"

        with app.projector.engine.begin() as conn:
            aggregates.recompute(conn)
        assert aggregate_rows(app) == live
        app.projector.rebuild()
        assert aggregate_rows(app) == live
        assert_pages_equal_brute_force(app)

    def test_counsel_pages_count_only_their_cases(self, app):
        load_demo(app.service, TODAY)
        app.projector.catch_up()
        assert summaries(app, TODAY, COUNSEL), "the demo refers cases to its counsel"
        assert_pages_equal_brute_force(app, COUNSEL)

    def test_a_list_total_changes_with_the_day_without_an_event(self, app):
        case_id = open_case(app.service, actor="alice", creditor="Aggregates Ltd",
                            invoice_number="AG-9", debtor=Debtor("Later Ltd"),
                            amount=Money.of("100", "GBP"), issue_date=TODAY,
                            due_date=TODAY + timedelta(days=10))
        app.projector.catch_up()
        counts = defaultdict(list)
        for days in (0, 11, 41, 200):
            views = CaseViews(app.projector.engine, FixedClock.on(TODAY + timedelta(days=days)))
            for bucket in AGING_BUCKETS:
                counts[bucket].append(int(views.list_cases(CaseFilter(bucket=bucket))
                                          .total))
            reminders = views.dashboard()["actions"]["reminders_due"]
            counts["reminders"].append([r["case_id"] for r in reminders["rows"]])
        assert counts["current"] == [1, 0, 0, 0]
        assert counts["1-30"] == [0, 1, 0, 0]
        assert counts["31-60"] == [0, 0, 1, 0]
        assert counts["90+"] == [0, 0, 0, 1]
        assert counts["reminders"] == [[], [str(case_id)], [str(case_id)], [str(case_id)]]


def test_a_change_of_an_action_list_field_alone_moves_the_case_on_the_lists(app):
    """A second reminder changes only `last_reminder_on` (the stage stays reminded, the money
    and the totals' key stay as they were): its case still moves on the reminders list."""
    case_id = open_case(app.service, actor="alice", creditor="Aggregates Ltd",
                        invoice_number="AG-10", debtor=Debtor("Twice Ltd"),
                        amount=Money.of("100", "GBP"), issue_date=TODAY - timedelta(days=60),
                        due_date=TODAY - timedelta(days=20))
    execute(app.service, case_id, "send_reminder", channel="email",
            occurred_on=TODAY - timedelta(days=15))
    app.projector.catch_up()
    before = summary_row(app, case_id)
    execute(app.service, case_id, "send_reminder", channel="email", occurred_on=TODAY)
    app.projector.catch_up()
    after = summary_row(app, case_id)
    assert after["last_reminder_on"] == TODAY != before["last_reminder_on"]
    unchanged = (*aggregates.KEY, *AMOUNTS)
    assert [after[k] for k in unchanged] == [before[k] for k in unchanged]
    live = aggregate_rows(app)
    with app.projector.engine.begin() as conn:
        aggregates.recompute(conn)
    assert aggregate_rows(app) == live
    assert_action_counts_equal_reference_every_day(app)


def summary_row(app: Arrears, case_id: UUID) -> dict[str, Any]:
    with app.projector.engine.connect() as conn:
        return dict(conn.execute(select(case_summary).where(C.case_id == str(case_id)))
                    .one()._mapping)
