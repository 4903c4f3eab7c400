"""Cases: the list, one case, its timeline, and opening a case for an invoice."""

from __future__ import annotations

from dataclasses import fields
from decimal import Decimal
from typing import Any

from flask import url_for
from flask.typing import ResponseReturnValue

from application.readmodels.queries import AMOUNTS, SORTS, CaseFilter, Page
from application.users.roles import Permission
from web.api import bp
from web.api.idempotency import idempotency_key, refused, replayed
from web.api.io import case_or_404, json_body, query_args, reply, views
from web.api.openapi import documented
from web.auth.access import allow
from web.commanding import open_case
from web.schemas.commands import OpenCase
from web.schemas.queries import CaseQuery
from web.schemas.readmodels import CasePage, CaseSummary, CommandResult, Errors, Timeline


@bp.get("/cases")
@allow(Permission.READ_CASES)
@documented({200: CasePage}, query=CaseQuery)
def list_cases() -> ResponseReturnValue:
    """List cases, filtered, sorted and paged, with totals by currency.

    `invoice` looks a case up by its exact invoice number instead of filtering.
    """
    args = query_args(CaseQuery)
    if "invoice" in args:
        return reply(CasePage, _by_invoice(args))
    filters = CaseFilter(**{f.name: args[f.name] for f in fields(CaseFilter) if f.name in args})
    page = views().list_cases(filters, sort=args["sort"], descending=args["order"] == "desc",
                              page=args["page"], per_page=args["per_page"])
    return reply(CasePage, page)


def _by_invoice(args: dict[str, Any]) -> Page:
    """The cases for one invoice number (one per creditor), as a page of the list."""
    rows = [r for r in views().find_by_invoice(args["invoice"])
            if args["include_closed"] or not r["is_closed"]]
    column = SORTS[args["sort"]].name
    rows.sort(key=lambda r: r[column], reverse=args["order"] == "desc")
    totals: dict[str, dict[str, Decimal]] = {}
    for row in rows:
        sums = totals.setdefault(row["currency"], {"cases": Decimal(0),
                                                   **{a: Decimal(0) for a in AMOUNTS}})
        sums["cases"] += 1
        for name in AMOUNTS:
            sums[name] += row[name]
    start = (args["page"] - 1) * args["per_page"]
    return Page(rows[start:start + args["per_page"]], len(rows), args["page"],
                args["per_page"], totals)


@bp.get("/cases/<case_id>")
@allow(Permission.READ_CASES)
@documented({200: CaseSummary, 404: Errors})
def case(case_id: str) -> ResponseReturnValue:
    """One case as it stands today."""
    return reply(CaseSummary, case_or_404(case_id))


@bp.get("/cases/<case_id>/timeline")
@allow(Permission.READ_CASES)
@documented({200: Timeline, 404: Errors})
def timeline(case_id: str) -> ResponseReturnValue:
    """The case's events by the day they occurred, then by when they were recorded.

    An event recorded after one with a later business date is marked `backdated`.
    """
    found = case_or_404(case_id)
    return reply(Timeline, {"case_id": found["case_id"],
                            "items": views().timeline(found["case_id"])})


@bp.post("/cases")
@allow(Permission.WORK_CASES)
@documented({201: CommandResult, 409: Errors, 422: Errors}, body=OpenCase, idempotent=True,
            headers={201: {"Location": "the new case's URL"}})
def open_case_for_invoice() -> ResponseReturnValue:
    """Open a case for an unpaid invoice.

    One case per invoice: a second one for the same creditor and invoice number is a 409,
    unless it is the same request sent again with the same `Idempotency-Key`.
    """
    key = idempotency_key()
    outcome = open_case(json_body(), key)
    if not outcome.ok:
        raise refused(outcome)
    return reply(CommandResult, {"case_id": outcome.case_id, "version": outcome.version,
                                 "case": views().case(outcome.case_id),
                                 "views_behind": outcome.views_behind}, status=201,
                 headers={"Location": url_for("api.case", case_id=outcome.case_id),
                          **replayed(outcome)})
