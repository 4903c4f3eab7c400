"""The debtor page: contact details, every case of theirs, totals per currency; the hold on
the debtor (forms to place and lift it) and their statement of account (HTML and PDF)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as Redirect

from application.debtors.holds import LiftDebtorHold, PlaceDebtorHold, holds_of
from application.debtors.statement import statement_html, statement_pdf
from application.parsing import parse_date
from application.users.roles import Permission
from domain.errors import DomainError, InvalidValue, InvalidValues
from web.auth.access import allow
from web.auth.identity import actor
from web.context import arrears, get_debtor

bp = Blueprint("debtors", __name__)


@bp.get("/debtors/<path:debtor_key>")
@allow(Permission.READ_CASES)
def show(debtor_key: str) -> str:
    """One debtor: by tax or VAT number, else email, else name normalised (domain.debtors)."""
    return _page(get_debtor(debtor_key))


def _page(debtor: dict[str, Any], errors: dict[str, list[str]] | None = None,
          posted: Any = None) -> str:
    open_cases = [c for c in debtor["cases"] if not c["is_closed"]]
    today = arrears().clock.today()
    hold = holds_of(arrears().service).current(debtor["debtor_key"], today)
    return render_template("debtors/show.html", debtor=debtor, open_cases=len(open_cases),
                           hold=hold, hold_errors=errors or {}, posted=posted or {})


@bp.post("/debtors/hold/<path:debtor_key>")
@allow(Permission.WORK_CASES)
def hold(debtor_key: str) -> Redirect | tuple[str, int]:
    """Place a hold on the debtor: every case of theirs paused (reason, optional last day)."""
    debtor = get_debtor(debtor_key)
    try:
        until_text = request.form.get("until", "").strip()
        today = arrears().clock.today()
        until = parse_date(until_text, "until", today) if until_text else None
        placed = holds_of(arrears().service).place(
            PlaceDebtorHold(debtor["debtor_key"], request.form.get("reason", ""), actor(),
                            until), today)
    except DomainError as error:
        return _page(debtor, _errors(error), request.form), (
            400 if isinstance(error, InvalidValue) else 422)
    flash(f"Debtor on hold: {placed.reason}.", "success")
    return redirect(url_for("debtors.show", debtor_key=debtor["debtor_key"]), code=303)


@bp.post("/debtors/release/<path:debtor_key>")
@allow(Permission.WORK_CASES)
def release(debtor_key: str) -> Redirect | tuple[str, int]:
    """Lift the hold on the debtor (refused, 422, when there is none)."""
    debtor = get_debtor(debtor_key)
    try:
        holds_of(arrears().service).lift(LiftDebtorHold(debtor["debtor_key"], actor()),
                                         arrears().clock.today())
    except DomainError as error:
        return _page(debtor, _errors(error)), 422
    flash("Hold on the debtor lifted.", "success")
    return redirect(url_for("debtors.show", debtor_key=debtor["debtor_key"]), code=303)


@bp.get("/debtors/statement/<path:debtor_key>")
@allow(Permission.READ_CASES)
def statement(debtor_key: str) -> str:
    """The debtor's statement of account, as a page."""
    return statement_html(get_debtor(debtor_key), arrears().clock.today())


@bp.get("/debtors/statement-pdf/<path:debtor_key>")
@allow(Permission.READ_CASES)
def statement_as_pdf(debtor_key: str) -> Response:
    """The debtor's statement of account, as a PDF download."""
    debtor = get_debtor(debtor_key)
    pdf = statement_pdf(debtor, arrears().clock.today())
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": 'attachment; filename="statement.pdf"'})


def _errors(error: DomainError) -> dict[str, list[str]]:
    if isinstance(error, InvalidValues):
        return error.errors
    return {error.field or "reason": [error.message]}
