"""The audit trail: every event of every case, filtered, paged, exported as CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from flask import Blueprint, Response, render_template, stream_with_context

from application.readmodels.queries import AuditFilter
from web.context import arrears
from web.pages.params import Params, audit_filter, clamp_page, read_params

bp = Blueprint("audit", __name__)

PER_PAGE = 50
COLUMNS = ("recorded_at", "occurred_on", "actor", "case_id", "invoice_number", "version",
           "event_type", "summary", "position")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _filters() -> tuple[Params, AuditFilter, list[str]]:
    params = read_params()
    event_types = arrears().views.event_types()
    return params, audit_filter(params, event_types), event_types


@bp.get("/audit")
def index() -> str:
    """Who recorded what, when, on which case; newest first.

    Filters (GET): actor, case (id or invoice number), event_type, date_from and date_to
    (occurred on, YYYY-MM-DD), page. Unknown values are ignored with a notice.
    """
    params, filters, event_types = _filters()
    page = params.number("page", 1)
    views = arrears().views
    result = views.audit(filters, page, PER_PAGE)
    if result.total and page > result.pages:
        result = views.audit(filters, clamp_page(params, page, result.pages), PER_PAGE)
    return render_template("audit.html", result=result, filters=filters, params=params,
                           event_types=event_types, notices=params.notices)


def _cell(value: object) -> str:
    """Text for a spreadsheet: a leading formula character is neutralised with a quote."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


@bp.get("/audit.csv")
def export() -> Response:
    """The filtered audit trail as CSV, oldest first, streamed, with a header row."""
    _, filters, _ = _filters()
    rows = arrears().views.audit_rows(filters)

    def lines() -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(COLUMNS)
        for row in rows:
            writer.writerow([_cell(row[c]) for c in COLUMNS])
            if buffer.tell() > 64_000:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    return Response(stream_with_context(lines()), mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="audit-trail.csv"'})
