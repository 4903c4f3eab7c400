"""Sending a reminder email now, from the case page (the form in cases/send_reminder.html)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Blueprint, flash, g, redirect, request, url_for
from werkzeug.wrappers import Response

from application.mail import MailInDoubt, MailNotSent, ReminderLevel, level_for, send_reminder
from application.users.roles import Permission
from domain.errors import DomainError, InvalidValue
from domain.limits import EMAIL
from domain.values import choice
from web.auth.access import allow
from web.auth.identity import actor
from web.context import arrears, catch_up, get_case, lag_notice
from web.pages.case import render_case
from web.pages.forms import Field, Form

bp = Blueprint("mail", __name__)

COMMAND = "send_reminder_email"
SEND_FORM = Form(COMMAND, "Send a reminder email now", (
    Field("level", "Level", "select", choices=tuple(level.value for level in ReminderLevel),
          hint="Blank: before due, on due or after due, from the due date. Firm and final "
               "give 7 days to pay."),
    Field("recipient", "Recipient", "text", maxlength=EMAIL,
          hint="Blank: the debtor's email."),
))


@bp.post("/cases/<case_id>/reminders/send")
@allow(Permission.WORK_CASES)
def send(case_id: str) -> Response | tuple[str, int]:
    """Send the case's reminder email now and record it; back to the case saying where it
    went (by SMTP, or written to var/outbox/ when no SMTP host is configured).

    Once per case, level and day: sent again, it is not sent twice. Refused, nothing is
    sent or recorded and the page says why (400 bad input, 422 refused by a rule, 502 the
    mail server could not take it).
    """
    case = get_case(case_id)
    app = arrears()
    today = app.clock.today()
    try:
        level = _level(request.form.get("level", ""), app.service.load(UUID(case_id)).due_date,
                       today)
        sent = send_reminder(app.service, app.mailer, UUID(case_id), level,
                             actor(), today,
                             recipient=request.form.get("recipient", ""))
    except DomainError as error:
        g.send_reminder_failed = {"values": request.form, "errors": [error.message]}
        return render_case(case), _status(error)
    catch_up()
    flash(sent.said, "success")
    if notice := lag_notice("Recorded"):
        flash(notice, "notice")
    return redirect(url_for("case.show", case_id=case_id), code=303)


def _level(posted: str, due_date: Any, today: Any) -> ReminderLevel:
    if not posted.strip():
        return level_for(due_date, today)
    return choice(ReminderLevel, posted, "level")


def _status(error: DomainError) -> int:
    if isinstance(error, MailNotSent | MailInDoubt):
        return 502
    return 400 if isinstance(error, InvalidValue) else 422
