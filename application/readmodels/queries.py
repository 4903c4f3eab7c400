"""Reading the read models: case list, case, timeline, debtor, audit trail, dashboard.

Pages read only these functions; they never touch the event store.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine, and_, func, literal, not_, or_, select, true, union_all
from sqlalchemy.sql.elements import ColumnElement

from application.clock import Clock
from application.readmodels.rows import from_minor
from application.readmodels.tables import (
    action_day,
    audit_trail,
    case_access,
    case_action,
    case_attachment,
    case_summary,
    case_timeline,
    case_totals,
    debtor,
    stage_totals,
)
from application.timeline import chronology
from domain.action_lists import MAX_WINDOW_DAYS, ActionList, is_held
from domain.debtors import name_key
from domain.law.limitation import limitation_near
from domain.next_action import next_action
from domain.stages import AGING_BUCKETS, aging_bucket, days_overdue, stage_on

C = case_summary.c
T = case_totals.c  # the same filter dimensions, aggregated (ADR 0033)
S = stage_totals.c  # the same without the due date
A = case_action.c
# The audit trail's one order, on the page, in the API and in the CSV: newest recorded first.
AUDIT_ORDER = (audit_trail.c.position.desc(),)
AMOUNTS = ("principal", "penalties", "paid", "waived", "written_off", "outstanding")
SORTS = {
    "due_date": C.due_date, "outstanding": C.outstanding, "debtor": C.debtor_name,
    "invoice": C.invoice_number, "stage": C.stage, "updated": C.updated_at,
}


@dataclass(frozen=True)
class CaseFilter:
    stage: str = ""
    bucket: str = ""
    debtor: str = ""
    on_hold: bool | None = None
    currency: str = ""
    q: str = ""
    include_closed: bool = True


@dataclass(frozen=True)
class AuditFilter:
    actor: str = ""
    case: str = ""
    event_type: str = ""
    date_from: date | None = None
    date_to: date | None = None


@dataclass
class Page:
    rows: list[Any]
    total: int
    page: int
    per_page: int
    totals: dict[str, dict[str, Decimal]] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


class CaseViews:
    """Queries over the read models, as seen on the clock's today.

    `for_user(name)` gives the same queries limited to the cases a referral names that user
    on (counsel, ADR 17): every other case is as if it did not exist.
    """

    def __init__(self, engine: Engine, clock: Clock, user: str | None = None) -> None:
        self.engine = engine
        self.clock = clock
        self.user = user

    def for_user(self, name: str) -> CaseViews:
        return CaseViews(self.engine, self.clock, name)

    def _visible(self, column: Any = C.case_id) -> ColumnElement[bool]:
        """The cases these views may show: all, or those referred to the user."""
        return visible_to(self.user, column)

    # -- cases ------------------------------------------------------------------------------

    def list_cases(self, filters: CaseFilter = CaseFilter(), sort: str = "due_date",
                   descending: bool = False, page: int = 1, per_page: int = 50) -> Page:
        today = self.clock.today()
        where = and_(self._visible(), *self._conditions(filters, today))
        order = SORTS.get(sort, C.due_date)
        order = order.desc() if descending else order.asc()
        page = max(1, page)
        with self.engine.connect() as conn:
            found = conn.execute(select(case_summary).where(where)
                                 .order_by(order, C.invoice_number)
                                 .limit(per_page).offset((page - 1) * per_page)).all()
            if self._aggregated(filters):
                c = T if filters.bucket or filters.stage in ("open", "overdue") else S
                totals = self._totals(conn, and_(true(), *self._conditions(filters, today, c)), c)
            else:
                totals = self._totals(conn, where)
        total = sum(int(t["cases"]) for t in totals.values())
        return Page([self._case(r, today) for r in found], total, page, per_page, totals)

    def _aggregated(self, filters: CaseFilter) -> bool:
        """Whether the aggregates answer: all cases seen, filtered by their dimensions only.
        Counsel's own (few) cases, a debtor's and a text search are counted from their rows."""
        return self.user is None and not filters.debtor and not filters.q

    def case(self, case_id: str) -> dict[str, Any] | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(case_summary)
                               .where(C.case_id == case_id, self._visible())).first()
        return self._case(row, self.clock.today()) if row else None

    def find_by_invoice(self, invoice_number: str) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            found = conn.execute(select(case_summary)
                                 .where(C.invoice_number == invoice_number.strip(),
                                        self._visible())).all()
        return [self._case(r, self.clock.today()) for r in found]

    def timeline(self, case_id: str) -> list[dict[str, Any]]:
        """The case's events in timeline order, back-dated ones marked (`chronology`)."""
        with self.engine.connect() as conn:
            found = conn.execute(select(case_timeline)
                                 .where(case_timeline.c.case_id == case_id,
                                        self._visible(case_timeline.c.case_id))).all()
        return chronology(dict(r._mapping) for r in found)

    def open_cases(self, day: date) -> Iterator[dict[str, Any]]:
        """Every open case as seen on `day`, by due date (the escalation schedule's cases)."""
        query = (select(case_summary).where(C.is_closed.is_(False))
                 .order_by(C.due_date, C.case_id))
        with self.engine.connect() as conn:
            for row in conn.execution_options(yield_per=1000).execute(query):
                yield self._case(row, day)
    def attachments(self, case_id: str) -> list[dict[str, Any]]:
        """The documents attached to the case, in the order they were recorded."""
        a = case_attachment.c
        with self.engine.connect() as conn:
            found = conn.execute(select(case_attachment).where(a.case_id == case_id)
                                 .order_by(a.version)).all()
        return [dict(r._mapping) for r in found]

    def attachment(self, case_id: str, sha256: str) -> dict[str, Any] | None:
        """One document attached to the case, by its SHA-256 (a case holds each content once)."""
        a = case_attachment.c
        with self.engine.connect() as conn:
            row = conn.execute(select(case_attachment)
                               .where(a.case_id == case_id, a.sha256 == sha256)
                               .order_by(a.version).limit(1)).first()
        return dict(row._mapping) if row else None

    def _conditions(self, f: CaseFilter, today: date, c: Any = C) -> list[ColumnElement[bool]]:
        """The filter's conditions on the case summary, or on its aggregates (`c` = T or S:
        then without the debtor and the text, which only the summary has; S has no due
        date, so no bucket and no open or overdue stage)."""
        conditions: list[ColumnElement[bool]] = []
        if f.stage:
            conditions.append(stage_condition(f.stage, today, c))
        if f.bucket:  # closed cases are in no aging bucket
            conditions.append(and_(c.is_closed.is_(False), bucket_condition(f.bucket, today, c)))
        if f.on_hold is not None:
            held = on_hold_condition(today, c)
            conditions.append(held if f.on_hold else not_(held))
        if f.currency:
            conditions.append(c.currency == f.currency.upper())
        if not f.include_closed:
            conditions.append(c.is_closed.is_(False))
        if c is not C:
            return conditions
        if f.debtor:
            conditions.append(is_debtor(C.debtor_key, f.debtor))
        if f.q:
            like = f"%{f.q.strip().lower()}%"
            conditions.append(or_(func.lower(C.invoice_number).like(like),
                                  func.lower(C.debtor_name).like(like)))
        return conditions

    def _totals(self, conn: Any, where: ColumnElement[bool],
                c: Any = C) -> dict[str, dict[str, Decimal]]:
        """Cases and money per currency: rows counted, or aggregates summed (`c` = T or S)."""
        count = func.count() if c is C else func.sum(c.cases)
        sums = [func.coalesce(func.sum(getattr(c, a)), 0) for a in AMOUNTS]
        found = conn.execute(select(c.currency, count, *sums).where(where)
                             .group_by(c.currency).order_by(c.currency)).all()
        return {r[0]: {"cases": Decimal(r[1]),
                       **{a: from_minor(int(v), r[0]) for a, v in zip(AMOUNTS, r[2:], strict=True)}}
                for r in found}

    def _case(self, row: Any, today: date) -> dict[str, Any]:
        return seen_on(dict(row._mapping), today)

    # -- debtors ----------------------------------------------------------------------------

    def debtor(self, debtor_key: str) -> dict[str, Any] | None:
        """A debtor by their key (`domain.debtors`), or by a name that matches theirs."""
        with self.engine.connect() as conn:
            row = conn.execute(select(debtor).where(is_debtor(
                debtor.c.debtor_key, debtor_key)).order_by(debtor.c.debtor_key != debtor_key,
                                                   debtor.c.case_count.desc())).first()
        if row is None:
            return None
        cases = self.list_cases(CaseFilter(debtor=row.debtor_key), per_page=1000)
        if self.user is not None and not cases.rows:
            return None  # a debtor of none of the user's cases is not shown to them
        contacted = [c for c in cases.rows if c["last_contact_on"] is not None]
        last = max(contacted, key=lambda c: c["last_contact_on"], default=None)
        return {**dict(row._mapping), "cases": cases.rows, "totals": cases.totals,
                "last_contact_on": None if last is None else last["last_contact_on"],
                "last_contact_invoice": "" if last is None else last["invoice_number"]}

    # -- audit trail ------------------------------------------------------------------------

    def audit(self, filters: AuditFilter = AuditFilter(), page: int = 1,
              per_page: int = 100) -> Page:
        """One page of matching audit rows, newest first (AUDIT_ORDER)."""
        where = and_(self._visible(audit_trail.c.case_id), *audit_conditions(filters))
        page = max(1, page)
        with self.engine.connect() as conn:
            total = conn.execute(select(func.count()).select_from(audit_trail)
                                 .where(where)).scalar_one()
            found = conn.execute(select(audit_trail).where(where)
                                 .order_by(*AUDIT_ORDER)
                                 .limit(per_page).offset((page - 1) * per_page)).all()
        return Page([dict(r._mapping) for r in found], total, page, per_page)

    def audit_rows(self, filters: AuditFilter = AuditFilter()) -> Iterator[dict[str, Any]]:
        """Every matching audit row in the page's order (AUDIT_ORDER), for the CSV export.

        Each row also has `details`: the event's own fields as JSON, as the case timeline
        stores them ("{}" if the timeline lacks the event).
        """
        where = and_(self._visible(audit_trail.c.case_id), *audit_conditions(filters))
        t = case_timeline.c
        joined = audit_trail.outerjoin(case_timeline, and_(t.case_id == audit_trail.c.case_id,
                                                           t.version == audit_trail.c.version))
        query = (select(audit_trail, func.coalesce(t.details, "{}").label("details"))
                 .select_from(joined).where(where).order_by(*AUDIT_ORDER))
        with self.engine.connect() as conn:
            for row in conn.execution_options(yield_per=1000).execute(query):
                yield dict(row._mapping)

    def event_types(self) -> list[str]:
        with self.engine.connect() as conn:
            return list(conn.execute(select(audit_trail.c.event_type).distinct()
                                     .order_by(audit_trail.c.event_type)).scalars())

    # -- dashboard --------------------------------------------------------------------------

    def dashboard(self, limit: int = 20) -> dict[str, Any]:
        """Outstanding by aging bucket and currency, cases by stage, what needs action today.

        From the aggregates (ADR 0033): index ranges of the totals for the buckets, a few rows
        for the stages, a few hundred for the lists' counts, and two queries for the lists'
        first rows. Counsel's figures are counted from their own cases.
        """
        today = self.clock.today()
        with self.engine.connect() as conn:
            buckets, stages = self._figures(conn, today)
            counts = self._action_counts(conn, today)
            rows = self._action_rows(conn, [str(a) for a in ActionList if counts.get(a)],
                                     today, limit)
            actions = {str(name): {"total": counts.get(name, 0), "rows": rows.get(name, [])}
                       for name in ActionList}
        currencies = sorted({c for totals in buckets.values() for c in totals})
        return {"today": today, "currencies": currencies, "buckets": buckets,
                "stages": stages, "actions": actions}

    def _figures(self, conn: Any,
                 today: date) -> tuple[dict[str, dict[str, Decimal]], dict[str, int]]:
        """Outstanding per aging bucket and currency (open cases), and cases per stage as
        seen today (an open case past its due date is overdue).

        The stages' counts from the stage totals (a few rows); each bucket's money, with the
        open cases of the stored stage `open`, as one range of due dates per currency and
        stage in the totals' key order (an index range each: no condition evaluated on every
        row, no grouping by a computed bucket, which sorts). Counsel's from their own cases.
        """
        s = S if self.user is None else C
        number = func.sum(S.cases) if self.user is None else func.count()
        groups = conn.execute(select(s.currency, s.stage, s.is_closed, number)
                              .where(self._visible())
                              .group_by(s.currency, s.stage, s.is_closed)).all()
        counts: dict[str, int] = {}
        for _, stage, _, n in groups:
            counts[stage] = counts.get(stage, 0) + int(n)
        live = tuple((cur, stage) for cur, stage, closed, _ in groups if not closed)
        totals: dict[str, dict[str, int]] = {b: {} for b in AGING_BUCKETS}
        if live:
            for bucket, currency, stage, n, money in conn.execute(
                    by_bucket(self.user, today, live)):
                if money:
                    totals[bucket][currency] = totals[bucket].get(currency, 0) + int(money)
                if stage == "open" and bucket != AGING_BUCKETS[0] and n:
                    counts["open"] -= int(n)  # past due: overdue (domain.stages.stage_on)
                    counts["overdue"] = counts.get("overdue", 0) + int(n)
        buckets = {b: {cur: from_minor(v, cur) for cur, v in by.items()}
                   for b, by in totals.items()}
        return buckets, {stage: n for stage, n in counts.items() if n}

    def _action_counts(self, conn: Any, today: date) -> dict[str, int]:
        """Cases on each list today: the sum of the lists' deltas up to today, or counsel's
        own windows that hold today."""
        if self.user is None:
            d = action_day.c
            query = select(d.action, func.sum(d.delta)).where(d.day <= today).group_by(d.action)
        else:
            query = (select(A.action, func.count())
                     .where(on_list_condition(today), self._visible(A.case_id))
                     .group_by(A.action))
        return {action: int(n) for action, n in conn.execute(query) if n}

    def _action_rows(self, conn: Any, actions: list[str], today: date,
                     limit: int) -> dict[str, list[dict[str, Any]]]:
        """The first `limit` cases on each list by due date, in two queries: their ids
        (`first_on_lists`), then their rows."""
        if not actions:
            return {}
        firsts: dict[str, list[tuple[date, str]]] = {a: [] for a in actions}
        for action, due, case_id in conn.execute(
                first_on_lists(self.user, today, tuple(actions), limit)):
            firsts[action].append((due, case_id))
        ids = {a: [i for _, i in sorted(found)[:limit]] for a, found in firsts.items()}
        wanted = sorted({i for found in ids.values() for i in found})
        rows = {r.case_id: self._case(r, today) for r in conn.execute(
            select(case_summary).where(C.case_id.in_(wanted)))}
        return {a: [rows[i] for i in found] for a, found in ids.items()}


def seen_on(data: dict[str, Any], today: date) -> dict[str, Any]:
    """A case summary row as seen on a day: amounts as Decimals, the hold, stage, days
    overdue, aging bucket and next action of that day."""
    for name in AMOUNTS:
        data[name] = from_minor(data[name], data["currency"])
    held = is_held(data.pop("held_through"), today)  # a stored sentinel, not for show
    data["on_hold"] = held
    data["stage"] = str(stage_on(data["stage"], data["due_date"], today))
    data["days_overdue"] = 0 if data["is_closed"] else days_overdue(data["due_date"], today)
    data["aging_bucket"] = "" if data["is_closed"] else aging_bucket(data["due_date"], today)
    data["broken_promise"] = (data["next_promised_date"] is not None
                              and data["next_promised_date"] < today)
    data["next_action"] = next_action(
        stage=data["stage"], due_date=data["due_date"], on_hold=held,
        hold_reason=data["hold_reason"], next_promised_date=data["next_promised_date"],
        demand_deadline=data["demand_deadline"], last_reminder_on=data["last_reminder_on"],
        today=today, next_instalment_due=data["next_instalment_due"])
    return law_seen_on(data, today)


def law_seen_on(data: dict[str, Any], today: date) -> dict[str, Any]:
    """The limitation warning and the offer (its amount a Decimal, expired or open) that day."""
    ends_on = data.get("limitation_date")
    data["limitation_near"] = (not data["is_closed"] and ends_on is not None
                               and limitation_near(ends_on, today))
    if data.get("offer_amount") is not None:
        data["offer_amount"] = from_minor(data["offer_amount"], data["currency"])
    data["offer_expired"] = (data.get("offer_expires_on") is not None
                             and data["offer_expires_on"] < today)
    return data


def visible_to(user: str | None, column: Any = C.case_id) -> ColumnElement[bool]:
    """The cases a user may see: all (None), or those a referral names them on."""
    if user is None:
        return true()
    return column.in_(select(case_access.c.case_id).where(case_access.c.user == user))


@functools.lru_cache(maxsize=64)
def by_bucket(user: str | None, today: date, live: tuple[tuple[str, str], ...]) -> Any:
    """Per aging bucket, currency and stage of the open cases (`live`: the currencies and
    stored stages that have any): cases and outstanding, from the totals, or from a counsel
    user's own cases. Kept made: building it and its cache key took ~1 ms of the dashboard's
    ~9."""
    c = T if user is None else C
    cases = T.cases if user is None else literal(1)
    currencies, stages = sorted({cur for cur, _ in live}), sorted({st for _, st in live})
    return union_all(*(
        select(literal(bucket), c.currency, c.stage, func.sum(cases), func.sum(c.outstanding))
        .where(visible_to(user), c.currency.in_(currencies), c.stage.in_(stages),
               not_(c.is_closed), bucket_condition(bucket, today, c))
        .group_by(c.currency, c.stage) for bucket in AGING_BUCKETS))


@functools.lru_cache(maxsize=64)
def first_on_lists(user: str | None, today: date, actions: tuple[str, ...], limit: int) -> Any:
    """The first `limit` (action, due date, case id) of each action list by due date: of the
    windows that do not end and of those that do (which, holding today, end within
    MAX_WINDOW_DAYS of it), each list's in one ordered and limited part. Kept made, as
    `by_bucket`."""
    parts = []
    for action in actions:
        live = and_(A.action == action, A.starts_on <= today, visible_to(user, A.case_id))
        lasting = and_(live, A.ends_on.is_(None))
        ending = and_(live, A.ends_on >= today,  # so begun within MAX_WINDOW_DAYS
                      A.ends_on < today + timedelta(days=MAX_WINDOW_DAYS))
        parts += [select(A.action, A.due_date, A.case_id).where(where)
                  .order_by(A.due_date, A.case_id).limit(limit).subquery().select()
                  for where in (lasting, ending)]
    return union_all(*parts)


def stage_condition(stage: str, today: date, c: Any = C) -> ColumnElement[bool]:
    """The stage as seen today (`domain.stages.stage_on`), on the summary or its aggregates."""
    if stage == "overdue":
        return and_(c.stage == "open", c.due_date < today)
    if stage == "open":
        return and_(c.stage == "open", c.due_date >= today)
    return c.stage == stage


def bucket_condition(bucket: str, today: date, c: Any = C) -> ColumnElement[bool]:
    """Cases whose due date puts them in the aging bucket today (`domain.stages.aging_bucket`)."""
    def ago(days: int) -> date:
        return today - timedelta(days=days)

    ranges = {"current": (None, today), "1-30": (ago(30), ago(1)), "31-60": (ago(60), ago(31)),
              "61-90": (ago(90), ago(61)), "90+": (None, ago(91))}
    if bucket not in ranges:
        raise ValueError(f"unknown aging bucket {bucket!r}")
    low, high = ranges[bucket]
    if bucket == "current":
        return c.due_date >= today
    return and_(c.due_date <= high, c.due_date >= low) if low else c.due_date <= high


def on_hold_condition(today: date, c: Any = C) -> ColumnElement[bool]:
    """On hold today: through the last day the projector stored (`domain.action_lists`)."""
    return c.held_through >= today


def on_list_condition(today: date) -> ColumnElement[bool]:
    """An action window that holds today (`domain.action_lists.on_list`)."""
    return and_(A.starts_on <= today, or_(A.ends_on.is_(None), A.ends_on >= today))


def audit_conditions(f: AuditFilter) -> list[ColumnElement[bool]]:
    a = audit_trail.c
    conditions: list[ColumnElement[bool]] = []
    if f.actor:
        conditions.append(a.actor == f.actor)
    if f.case:
        conditions.append(or_(a.case_id == f.case, a.invoice_number == f.case))
    if f.event_type:
        conditions.append(a.event_type == f.event_type)
    if f.date_from:
        conditions.append(a.occurred_on >= f.date_from)
    if f.date_to:
        conditions.append(a.occurred_on <= f.date_to)
    return conditions


def is_debtor(key: Any, given: str) -> ColumnElement[bool]:
    """A debtor key column is the debtor typed: their key, or the key of a debtor whose
    name normalised is the same (`domain.debtors.name_key`)."""
    named = name_key(given.removeprefix("name:"))
    return or_(key == given, key.in_(select(debtor.c.debtor_key)
                                     .where(debtor.c.name_key == named)))
