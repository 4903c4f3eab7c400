"""The case page: summary, money, timeline, and a form for every command."""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from application.users.roles import Permission
from web.auth.access import allow
from web.commanding import run_command
from web.context import arrears, get_case, lag_notice, views
from web.pages.forms import COMMAND_FORMS, OPEN_FIRST, payload, place_errors, sections

bp = Blueprint("case", __name__)


@bp.get("/cases/<case_id>")
@allow(Permission.READ_CASES)
def show(case_id: str) -> str:
    """One case: who owes what since when, where it stands, what happened, what to do next."""
    return render_case(get_case(case_id))


@bp.post("/cases/<case_id>/<command>")
@allow(Permission.WORK_CASES)
def command(case_id: str, command: str) -> Response | tuple[str, int]:
    """Run one command from its form; back to the case on success, the form with errors if not.

    Nothing is stored when the command is refused: the page is shown again with the
    message beside the field and the input kept (400 for bad input, 422 for a broken rule).
    """
    case = get_case(case_id)
    form = COMMAND_FORMS.get(command)
    if form is None:
        abort(404)
    outcome = run_command(case_id, command, payload(form, request.form))
    if outcome.ok:
        for summary in _recorded_since(case_id, case["version"]):
            flash(f"Recorded: {summary}", "success")
        if notice := lag_notice("Recorded"):
            flash(notice, "notice")
        return redirect(url_for("case.show", case_id=case_id), code=303)
    beside, general = place_errors(form, outcome.errors)
    status = outcome.status if outcome.status in (400, 409, 422) else 422
    failed = {"command": command, "values": request.form, "errors": beside, "general": general}
    return render_case(case, failed), status


def _recorded_since(case_id: str, version: int) -> list[str]:
    return [row["summary"] for row in views().timeline(case_id)
            if row["version"] > version]


def render_case(case: dict[str, Any], failed: dict[str, Any] | None = None) -> str:
    """The case page, optionally with one form's refused input and its errors."""
    timeline = views().timeline(case["case_id"])
    opening = next((json.loads(r["details"]) for r in timeline
                    if r["event_type"] == "CaseOpened"), {})
    commands = list(COMMAND_FORMS)
    if case["is_closed"]:  # only notes are accepted; keep a refused form visible
        commands = [c for c in commands if c in ("add_note", (failed or {}).get("command"))]
    return render_template(
        "cases/show.html", case=case, timeline=timeline, contact=opening.get("debtor", {}),
        terms=opening.get("terms", {}), contract=opening.get("contract_reference", ""),
        sections=sections(commands), forms_by_name=COMMAND_FORMS, open_first=OPEN_FIRST,
        failed=failed or {}, today=arrears().clock.today(),
        defaults=MultiDict({"occurred_on": arrears().clock.today().isoformat()}))
