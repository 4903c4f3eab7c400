"""The HTML pages, one blueprint per area. They read read models and run commands only."""

from __future__ import annotations

from flask import Flask

from web.pages import (
    attachments,
    audit,
    case,
    cases,
    dashboard,
    debtors,
    errors,
    evidence,
    imports,
    letters,
    mail,
    opening,
    payments,
    statements,
    users,
)
from web.pages.display import event_details
from web.pages.fieldcache import form_fields
from web.pages.forms import INSTALMENT_ROWS, one_time_token


def register(app: Flask) -> None:
    """Register every page blueprint, the error pages and the pages' template helpers."""
    for module in (cases, opening, case, attachments, mail, dashboard, debtors, audit,
                   evidence, users, letters, imports, payments, statements):
        app.register_blueprint(module.bp)
    errors.register(app)
    app.add_template_filter(event_details)
    app.add_template_filter(letters.letter_sha256)
    app.add_template_global(INSTALMENT_ROWS, "instalment_rows")
    app.add_template_global(mail.SEND_FORM, "send_reminder_form")
    app.add_template_global(form_fields)
    app.add_template_global(one_time_token)
