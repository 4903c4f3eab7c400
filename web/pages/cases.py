"""The case list: the credit controller's work queue, filtered, searched, sorted and paged."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from werkzeug.wrappers import Response

from application.readmodels.queries import SORTS
from application.users.roles import Permission
from domain.stages import AGING_BUCKETS
from web.auth.access import allow
from web.context import views
from web.pages.params import (
    PER_PAGE,
    STAGES,
    case_filter,
    clamp_page,
    read_params,
    sorting,
)
from web.schemas.queries import MAX_PER_PAGE

bp = Blueprint("cases", __name__)

LABELS = {"due_date": "Due date", "outstanding": "Outstanding", "debtor": "Debtor",
          "invoice": "Invoice", "stage": "Stage", "updated": "Last updated"}
SORT_LABELS = {key: LABELS.get(key, key.replace("_", " ").capitalize()) for key in SORTS}


@bp.get("/")
@bp.get("/cases")
@allow(Permission.READ_CASES)
def index() -> str | Response:
    """Cases with their totals per currency.

    Filters (GET): stage, bucket, debtor, on_hold (yes/no), currency, q (invoice or debtor),
    closed=hide; sort (due_date, outstanding, debtor, invoice, stage, updated), dir (asc/desc),
    page, per_page. Unknown values are ignored with a notice. With go=1 (the lookup box), an
    invoice number that names exactly one case opens that case.
    """
    params = read_params()
    filters = case_filter(params)
    sort, descending = sorting(params)
    per_page = params.number("per_page", PER_PAGE[1], MAX_PER_PAGE)
    page = params.number("page", 1)
    found_views = views()
    if params.text("go") and filters.q:
        found = found_views.find_by_invoice(filters.q)
        if len(found) == 1:
            return redirect(url_for("case.show", case_id=found[0]["case_id"]), code=303)
        params.args.pop("go", None)
    result = found_views.list_cases(filters, sort, descending, page, per_page)
    if result.total and page > result.pages:
        page = clamp_page(params, page, result.pages)
        result = found_views.list_cases(filters, sort, descending, page, per_page)
    return render_template(
        "cases/list.html", result=result, filters=filters, params=params, sort=sort,
        descending=descending, per_page=per_page, stages=STAGES, buckets=AGING_BUCKETS,
        sorts=SORT_LABELS, per_page_choices=sorted({*PER_PAGE, per_page}), notices=params.notices)
