"""The case page: summary, money, attachments, timeline, and a form for every command; or the
case as known at a recorded time (`?as_of=`), read from the event store."""

from __future__ import annotations

import json
from datetime import date
from typing import Any
from uuid import UUID

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from application.actions import case_actions
from application.asof import CaseNotYetRecorded, KnownCase, known_at
from application.debtors.holds import holds_of
from application.interest import interest_view, payment_allocations
from application.parsing import DATETIME_FORMAT, parse_datetime
from application.users.roles import Permission
from domain.errors import InvalidValue
from domain.law import Jurisdiction
from domain.law.limitation import WARNING_DAYS
from web.auth.access import allow
from web.commanding import run_command
from web.context import arrears, get_case, lag_notice, views
from web.pages.forms import (
    COMMAND_FORMS,
    OPEN_FIRST,
    payload,
    place_errors,
    posted_token,
    sections,
    upload_form,
)

bp = Blueprint("case", __name__)


@bp.get("/cases/<case_id>")
@allow(Permission.READ_CASES)
def show(case_id: str) -> str:
    """One case: who owes what since when, where it stands, what happened, what to do next.

    `?as_of=DATETIME` shows it as Arrears knew it then: only the events recorded by then.
    """
    case = get_case(case_id)
    raw = request.args.get("as_of", "").strip()
    if not raw:
        return render_case(case)
    try:
        at = parse_datetime(raw, "as_of", arrears().clock.today())
        known = known_at(arrears().service, UUID(case_id), at)
    except (InvalidValue, CaseNotYetRecorded) as error:
        return render_case(case, notices=[f"Ignored as of '{raw[:40]}': {error.message}."])
    return render_known(known, raw)


@bp.post("/cases/<case_id>/<command>")
@allow(Permission.WORK_CASES)
def command(case_id: str, command: str) -> Response | tuple[str, int]:
    """Run one command from its form; back to the case on success, the form with errors if not.

    Nothing is stored when the command is refused: the page is shown again with the
    message beside the field and the input kept (400 for bad input, 422 for a broken rule).
    The same form sent twice (its one-time token again) records once: the second time goes
    back to the case saying it was already recorded.
    """
    case = get_case(case_id)
    form = COMMAND_FORMS.get(command)
    if form is None:
        abort(404)
    outcome = run_command(case_id, command, payload(form, request.form),
                          posted_token(request.form))
    if outcome.ok:
        if outcome.repeated:
            _flash_repeated(case_id, outcome.first_version, outcome.version)
        else:
            for summary in _recorded(case_id, case["version"] + 1):
                flash(f"Recorded: {summary}", "success")
            if outcome.version < outcome.first_version:  # the command found nothing to do
                flash("Nothing recorded: nothing to claim (every period is claimed or "
                      "waived already).", "notice")
        if notice := lag_notice("Recorded"):
            flash(notice, "notice")
        return redirect(url_for("case.show", case_id=case_id), code=303)
    beside, general = place_errors(form, outcome.errors)
    status = outcome.status if outcome.status in (400, 409, 422) else 422
    failed = {"command": command, "values": request.form, "errors": beside, "general": general}
    return render_case(case, failed), status


def recorded_since(case_id: str, version: int) -> list[str]:
    """The summaries of the case's events after `version` (to say what a form recorded)."""
    return _recorded(case_id, version + 1)


def _recorded(case_id: str, first: int, last: int | None = None) -> list[str]:
    """The timeline's summaries of the case's versions first..last (last: the newest)."""
    return [row["summary"] for row in views().timeline(case_id)
            if row["version"] >= first and (last is None or row["version"] <= last)]


def _flash_repeated(case_id: str, first: int, last: int) -> None:
    said = " This form had been sent before; nothing new was stored."
    summaries = _recorded(case_id, first, last)
    for summary in summaries:
        flash(f"Already recorded: {summary}.{said}", "notice")
    if not summaries:
        flash(f"Already recorded.{said}", "notice")


def _prefilled(tasks: list[dict[str, Any]], defaults: MultiDict) -> dict[str, MultiDict]:
    """The form a task's button opened (?task=STEP&form=COMMAND), filled as the task says."""
    step, command = request.args.get("task", ""), request.args.get("form", "")
    task = next((t for t in tasks if t["step"] == step and t["is_open"]), None)
    if task is None or command not in task["actions"] or command not in COMMAND_FORMS:
        return {}
    names = COMMAND_FORMS[command].names
    values = MultiDict(defaults)
    for name, value in task["prefill"].items():
        if name in names:
            values[name] = value
    return {command: values}


def render_case(case: dict[str, Any], failed: dict[str, Any] | None = None,
                notices: list[str] | None = None) -> str:
    """The case page, optionally with one form's refused input and its errors."""
    timeline = views().timeline(case["case_id"])
    tasks = arrears().tasks.of_case(case["case_id"])
    defaults = MultiDict({"occurred_on": arrears().clock.today().isoformat()})
    opening = next((json.loads(r["details"]) for r in timeline
                    if r["event_type"] == "CaseOpened"), {})
    uploads = {"attach_document": upload_form(arrears().attachments.policy)}
    forms = {**COMMAND_FORMS, **uploads}
    prefill = {} if failed else _prefilled(tasks, defaults)
    today = arrears().clock.today()
    actions = case_actions(case, list(forms), today)
    shown = [*prefill, *([failed["command"]] if failed else [])]  # whatever it says
    now = [c for c in forms if c in actions.now or c in shown]
    more = [c for c in actions.more if c not in now]
    interest = interest_view(arrears().service.load(UUID(case["case_id"])), today)
    return _page(case, timeline, views().attachments(case["case_id"]), opening,
                 interest=interest, sections=sections(now, uploads),
                 more_sections=sections(more, uploads), forms_by_name=forms,
                 failed=failed or {}, notices=notices or [],
                 tasks=[t for t in tasks if t["is_open"]], prefill=prefill)


def render_known(known: KnownCase, raw: str) -> str:
    """The case as known at a recorded time: no forms (what is recorded now is recorded now)."""
    return _page(known.summary(), known.timeline(), known.attachments(), known.opening(),
                 interest=interest_view(known.case, known.at.date()), sections=[],
                 forms_by_name={}, failed={}, notices=[], today=known.at.date(),
                 as_of={**known.provenance(), "at": known.at, "typed": raw})


def _page(case: dict[str, Any], timeline: list[dict[str, Any]],
          attachments: list[dict[str, Any]], opening: dict[str, Any], *,
          today: date | None = None, **context: Any) -> str:
    today = today or arrears().clock.today()
    return render_template(
        "cases/show.html", case=case, timeline=timeline, attachments=attachments,
        contact=opening.get("debtor", {}), terms=opening.get("terms", {}),
        contract=opening.get("contract_reference", ""), open_first=OPEN_FIRST,
        jurisdiction=opening.get("jurisdiction") or Jurisdiction.ENGLAND_WALES,
        today=today, as_of_format=DATETIME_FORMAT,
        limitation_warning_days=WARNING_DAYS,
        defaults=MultiDict({"occurred_on": today.isoformat()}),
        payments=payment_allocations(timeline),
        debtor_hold=holds_of(arrears().service).current(case.get("debtor_key", ""), today),
        **{"as_of": None, "interest": None, "tasks": [], "prefill": {}, "more_sections": [],
           **context})
