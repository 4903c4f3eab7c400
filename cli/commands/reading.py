"""Reading a case: its summary on a day, and its timeline of events."""

from __future__ import annotations

from datetime import date

from application.timeline import chronology
from cli import output
from cli.casecommand import command
from cli.options import on_option, reading_params
from cli.runtime import service


def show_case(case: str, creditor: str, as_json: bool, occurred_on: date | None) -> None:
    """Show a case.

    Stage, days overdue, the money breakdown, hold, promises and demand, as seen
    on --on (default today). With --json, the case as plain data.
    """
    svc = service()
    record = svc.case(svc.resolve(case, creditor), occurred_on)
    if as_json:
        output.emit_json(record)
    else:
        output.show(record)


def show_timeline(case: str, creditor: str, as_json: bool) -> None:
    """Show a case's timeline.

    Every event by the day it occurred, then by when it was recorded (as on the web case
    page): occurred on, recorded at (UTC), actor and summary. An event recorded after one
    with a later date is marked back-dated. With --json, the events with all their data
    and "backdated": true or false.
    """
    svc = service()
    events = chronology(svc.history(svc.resolve(case, creditor)))
    if as_json:
        output.emit_json(events)
    else:
        output.timeline(events)


show = command("show", show_case, show_case, before=reading_params(),
               after=[on_option("The day to see the case on; default today.")])
timeline = command("timeline", show_timeline, show_timeline, before=reading_params())

COMMANDS = [show, timeline]
