"""Reading a case: its summary on a day, and its timeline of events, now or as known at a
recorded time (--as-of)."""

from __future__ import annotations

from datetime import date, datetime

import click

from application.asof import known_at
from application.timeline import chronology
from cli import output
from cli.casecommand import command
from cli.options import on_option, reading_params
from cli.params import ISO_DATETIME
from cli.runtime import service


def as_of_option() -> click.Option:
    return click.Option(
        ["--as-of", "as_of"], type=ISO_DATETIME,
        help="Show the case as Arrears knew it then: only the events recorded at or before "
             "DATETIME (YYYY-MM-DD is the end of that day, UTC; or e.g. "
             "2026-01-31T17:00:00+01:00).")


def show_case(case: str, creditor: str, as_json: bool, occurred_on: date | None,
              as_of: datetime | None) -> None:
    """Show a case.

    Stage, days overdue, the money breakdown, hold, promises and demand, as seen
    on --on (default today). With --as-of, as known at that recorded time (what the creditor
    knew when the demand went out), seen on --on (default that time's day). With --json, the
    case as plain data (with --as-of also "as_of", "events_known" and "events_later").
    """
    svc = service()
    case_id = svc.resolve(case, creditor)
    if as_of is None:
        record = svc.case(case_id, occurred_on)
    else:
        record = known_at(svc, case_id, as_of).record(occurred_on)
    if as_json:
        output.emit_json(record)
        return
    if as_of is not None:
        output.known_at(record)
    output.show(record)


def show_timeline(case: str, creditor: str, as_json: bool, as_of: datetime | None) -> None:
    """Show a case's timeline.

    Every event by the day it occurred, then by when it was recorded (as on the web case
    page): occurred on, recorded at (UTC), actor and summary. An event recorded after one
    with a later date is marked back-dated. With --as-of, only the events recorded at or
    before that time. With --json, the events with all their data and "backdated": true or
    false.
    """
    svc = service()
    case_id = svc.resolve(case, creditor)
    if as_of is None:
        events = chronology(svc.history(case_id))
    else:
        known = known_at(svc, case_id, as_of)
        events = known.history()
        if not as_json:
            output.known_at(known.provenance())
    if as_json:
        output.emit_json(events)
    else:
        output.timeline(events)


show = command("show", show_case, show_case, before=reading_params(),
               after=[on_option("The day to see the case on; default today (with --as-of: "
                                "that time's day)."), as_of_option()])
timeline = command("timeline", show_timeline, show_timeline,
                   before=[*reading_params(), as_of_option()])

COMMANDS = [show, timeline]
