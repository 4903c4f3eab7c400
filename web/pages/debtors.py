"""The debtor page: contact details, every case of theirs, totals per currency."""

from __future__ import annotations

from flask import Blueprint, render_template

from application.users.roles import Permission
from web.auth.access import allow
from web.context import get_debtor

bp = Blueprint("debtors", __name__)


@bp.get("/debtors/<path:debtor_key>")
@allow(Permission.READ_CASES)
def show(debtor_key: str) -> str:
    """One debtor (cases are grouped by the debtor's name, case and spaces folded)."""
    debtor = get_debtor(debtor_key)
    open_cases = [c for c in debtor["cases"] if not c["is_closed"]]
    return render_template("debtors/show.html", debtor=debtor, open_cases=len(open_cases))
