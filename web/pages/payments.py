"""The review queue of bank credits (payments in): list them, assign one, mark it not ours."""

from __future__ import annotations

from uuid import UUID

from flask import Blueprint, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from application.errors import CaseNotFound
from application.payments_in.review import (
    CreditNotFound,
    assign,
    not_ours,
    queued,
    queued_row,
)
from application.users.roles import Permission
from domain.errors import DomainError, InvalidValue
from web.auth.access import allow
from web.auth.identity import actor
from web.context import arrears, catch_up, views

bp = Blueprint("payments", __name__)


def _page(errors: dict[str, str] | None = None, status: int = 200) -> tuple[str, int]:
    rows = queued(arrears().service)
    return render_template("payments/unmatched.html", rows=rows, errors=errors or {},
                           values=request.form), status


@bp.get("/payments/unmatched")
@allow(Permission.WORK_CASES)
def unmatched() -> tuple[str, int]:
    """The credits waiting for a person: why each is here, its details and source file,
    with a form to put it on a case and one to mark it not ours."""
    return _page()


def _refused(entry: str, error: DomainError) -> tuple[str, int]:
    field = error.field or "entry"
    if isinstance(error, CreditNotFound):
        return _page({}, 404)
    return _page({entry: f"{field}: {error.message}"},
                 400 if isinstance(error, InvalidValue) else 422)


def _case_named(text: str) -> UUID:
    """A case by its id, or by an invoice number open for one creditor (the case list)."""
    try:
        return arrears().service.resolve(text) if _is_uuid(text) else _by_number(text)
    except CaseNotFound:
        raise InvalidValue(f"no case '{text.strip()[:100]}'", "case") from None


def _is_uuid(text: str) -> bool:
    try:
        UUID(text.strip())
    except ValueError:
        return False
    return True


def _by_number(number: str) -> UUID:
    found = views().find_by_invoice(number)
    if len(found) > 1:
        raise InvalidValue(f"invoice {number.strip()} has cases of several creditors: name "
                           "the case by its id", "case")
    if not found:
        raise CaseNotFound(f"no case '{number.strip()[:100]}'", "case")
    return UUID(found[0]["case_id"])


@bp.post("/payments/<entry>/assign")
@allow(Permission.WORK_CASES)
def assign_credit(entry: str) -> Response | tuple[str, int]:
    """Record the credit (or --amount of it) as a payment on the case named by invoice
    number or id; 400 bad input, 404 no such credit queued, 422 refused by a rule;
    nothing is stored then."""
    app = arrears()
    try:
        queued_row(app.service, entry)  # an unknown credit first: 404, whatever the case
        case_id = _case_named(request.form.get("case", ""))
        row, recorded = assign(app.service, entry, case_id, actor(),
                               request.form.get("amount") or None)
    except DomainError as error:
        return _refused(entry, error)
    catch_up()
    flash(f"Recorded {row.assigned[-1].amount} {row.credit.currency} of credit {row.entry} "
          f"on {recorded.invoice_number}.", "success")
    return redirect(url_for("payments.unmatched"), code=303)


@bp.post("/payments/<entry>/not-ours")
@allow(Permission.WORK_CASES)
def mark_not_ours(entry: str) -> Response | tuple[str, int]:
    """Take the credit out of the queue as not ours, with the reason; nothing is recorded."""
    try:
        row = not_ours(arrears().service, entry, request.form.get("reason", ""), actor())
    except DomainError as error:
        return _refused(entry, error)
    flash(f"Credit {row.entry} marked not ours.", "success")
    return redirect(url_for("payments.unmatched"), code=303)
