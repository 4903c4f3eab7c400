"""The dashboard: outstanding by aging bucket, cases by stage, what needs action today."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import Blueprint, Response, render_template
from flask_login import current_user
from markupsafe import Markup

from application.users.roles import Permission, can
from domain.law.limitation import WARNING_DAYS
from domain.values import Stage
from web.auth.access import allow
from web.context import arrears, views
from web.formatting import money, words
from web.pages.charts import aging_chart
from web.pages.forms import COMMAND_FORMS

bp = Blueprint("dashboard", __name__)

ACTIONS = {
    "missed_instalments": ("Missed instalments",
                           "A payment plan instalment date passed unpaid; the hold has ended."),
    "broken_promises": ("Broken promises", "The promised date has passed without payment."),
    "deadlines_passed": ("Demand deadlines passed", "Refer the case or agree terms."),
    "demands_due": ("Demands due", "Reminded, and 30 days or more overdue."),
    "reminders_due": ("Reminders due", "Overdue, and no reminder in the last 14 days."),
    "limitation_near": (f"Limitation within {WARNING_DAYS} days",
                        f"The limitation date falls within {WARNING_DAYS} days: after it the "
                        "debt may no longer be enforced. Issue a claim, or get a written "
                        "acknowledgment or a part payment."),
}
TITLE = "Outstanding by aging bucket"


def _chart(data: dict[str, Any]) -> str:
    currencies = data["currencies"]
    parts = []
    for bucket, totals in data["buckets"].items():
        amounts = ", ".join(money(totals.get(c, Decimal(0)), c) for c in currencies)
        parts.append(f"{bucket}: {amounts or 'nothing'}")
    description = ("Bars per currency for each aging bucket. " + "; ".join(parts) + ".")
    return aging_chart(data["buckets"], currencies, TITLE, description)


@bp.get("/dashboard")
@allow(Permission.READ_CASES)
def index() -> str:
    """The day's overview: the aging chart and its figures, stages, the tasks due (for those
    who work cases) and the action lists."""
    data = views().dashboard()
    tasks = (arrears().tasks.open_tasks(due_by=data["today"], limit=50)
             if can(current_user.role, Permission.WORK_CASES) else [])
    stages = [(s.value, data["stages"].get(s.value, 0)) for s in Stage]
    totals = {c: sum((b.get(c, Decimal(0)) for b in data["buckets"].values()), Decimal(0))
              for c in data["currencies"]}
    actions = [(key, *ACTIONS.get(key, (words(key).capitalize(), "")))
               for key in data["actions"]]
    return render_template("dashboard.html", data=data, chart=Markup(_chart(data)),
                           stages=stages, totals=totals, actions=actions, title=TITLE,
                           tasks=tasks, task_forms={n: f.title for n, f in COMMAND_FORMS.items()})


@bp.get("/dashboard/aging.svg")
@allow(Permission.READ_CASES)
def aging_svg() -> Response:
    """The aging chart alone, as an SVG image (for linking or saving)."""
    svg = '<?xml version="1.0" encoding="utf-8"?>\n' + _chart(views().dashboard())
    return Response(svg, mimetype="image/svg+xml", headers={"Cache-Control": "no-store"})
