"""The audit trail: every event of every case, filtered, paged, exported as CSV."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterator
from datetime import date
from typing import Any

from flask import Blueprint, Response, render_template, stream_with_context

from application.readmodels.queries import AuditFilter
from web.context import arrears
from web.pages.display import event_details
from web.pages.params import Params, audit_filter, clamp_page, read_params

bp = Blueprint("audit", __name__)

PER_PAGE = 50
COLUMNS = ("recorded_at", "occurred_on", "actor", "case_id", "invoice_number", "version",
           "event_type", "summary", "details", "position")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
UNSAFE = re.compile(r"[^A-Za-z0-9.-]+")
NAME_PART = 40  # characters kept of each filter value in the export's file name


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


def _safe(text: str) -> str:
    """A filter value fit for a file name: accents dropped, runs of anything else but
    letters, digits, dots and hyphens made one underscore, cut to NAME_PART characters."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return UNSAFE.sub("_", ascii_text).strip("._-")[:NAME_PART].strip("._-") or "_"


def export_name(filters: AuditFilter, today: date) -> str:
    """audit-2026-12-01-actor-ann-type-PaymentReceived.csv: today, then each filter used."""
    named = (("actor", filters.actor), ("case", filters.case), ("type", filters.event_type),
             ("from", filters.date_from and filters.date_from.isoformat()),
             ("to", filters.date_to and filters.date_to.isoformat()))
    parts = ["audit", today.isoformat()]
    for label, value in named:
        if value:
            parts += [label, _safe(value)]
    return "-".join(parts) + ".csv"


def _row(row: dict[str, Any]) -> list[str]:
    """One CSV row; the details as the timeline shows them, one 'Label: text' a line."""
    pairs = event_details(row["details"], row["event_type"])
    details = "\n".join(f"{label}: {text}" for label, text in pairs)
    return [_cell(details if c == "details" else row[c]) for c in COLUMNS]


@bp.get("/audit.csv")
def export() -> Response:
    """The filtered audit trail as CSV in the page's order (newest first), streamed, with a
    header row and each event's details; named after the filters and today's date."""
    _, filters, _ = _filters()
    app = arrears()
    rows = app.views.audit_rows(filters)
    name = export_name(filters, app.clock.today())

    def lines() -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(COLUMNS)
        for row in rows:
            writer.writerow(_row(row))
            if buffer.tell() > 64_000:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    return Response(stream_with_context(lines()), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
