"""Opening a case for an unpaid invoice."""

from __future__ import annotations

from dataclasses import replace

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from application.settings import DEFAULT_CREDITOR
from application.users.roles import Permission
from web.auth.access import allow
from web.commanding import open_case
from web.context import lag_notice
from web.pages.forms import Field, form_for, payload, place_errors, posted_token
from web.schemas.commands import OpenCase

bp = Blueprint("opening", __name__)

FORM = form_for("open_case", OpenCase)
GROUPS = (
    ("Invoice", ("creditor", "invoice_number", "amount", "currency", "issue_date", "due_date",
                 "contract_reference", "jurisdiction")),
    ("Debtor", ("debtor_name", "debtor_kind", "debtor_email", "debtor_phone", "debtor_address",
                "debtor_tax_id")),
    ("Terms", ("interest_rate", "late_fee", "payment_methods")),
    ("Recorded", ("occurred_on",)),
)
HINTS = {"occurred_on": "When the case was opened; blank: the issue date.",
         "interest_rate": "Contractual rate; blank: statutory interest only.",
         "late_fee": "Contractual late fee, if any.",
         "currency": "Three-letter ISO 4217 code, e.g. EUR, GBP.",
         "jurisdiction": "Whose law governs the debt; blank: the installation's default."}


def _groups() -> list[tuple[str, list[Field]]]:
    """The form's fields in fieldsets, with hints for opening a case."""
    fields = {f.name: replace(f, hint=HINTS.get(f.name, f.hint),
                              kind="textarea" if f.name == "debtor_address" else f.kind)
              for f in FORM.fields}
    return [(title, [fields[n] for n in names if n in fields]) for title, names in GROUPS]


def _defaults() -> MultiDict[str, str]:
    return MultiDict({"creditor": current_app.config.get("CREDITOR") or DEFAULT_CREDITOR,
                      "debtor_kind": "business", "currency": "EUR"})


@bp.get("/cases/new")
@allow(Permission.WORK_CASES)
def new() -> str:
    """The empty "Open a case" form."""
    return render_template("cases/new.html", groups=_groups(), values=_defaults(), errors={},
                           general=[])


@bp.post("/cases/new")
@allow(Permission.WORK_CASES)
def create() -> Response | tuple[str, int]:
    """Open the case; go to it, or show the form again with the errors beside the fields.

    The same form sent twice (its one-time token again) opens one case: the second time goes
    to it saying it was already opened.
    """
    outcome = open_case(payload(FORM, request.form), posted_token(request.form))
    if outcome.ok:
        done = ("Case already opened: this form had been sent before and nothing new was "
                "stored" if outcome.repeated else "Case opened")
        if notice := lag_notice(done):
            flash(notice, "notice")
            return redirect(url_for("cases.index"), code=303)
        flash(f"{done}.", "notice" if outcome.repeated else "success")
        return redirect(url_for("case.show", case_id=outcome.case_id), code=303)
    errors, general = place_errors(FORM, outcome.errors)
    status = outcome.status if outcome.status in (400, 409, 422) else 422
    return render_template("cases/new.html", groups=_groups(), values=request.form,
                           errors=errors, general=general), status
