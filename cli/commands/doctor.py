"""`arrears doctor`: the installation's health, each problem with what to do about it."""

from __future__ import annotations

import inspect
import os

import click

from application.doctor.checks import Level, worst
from application.doctor.run import examine, report
from application.settings import database_url
from cli import output
from cli.base import ArrearsCommand
from cli.failures import DOCTOR_FAILS, DOCTOR_WARNS
from cli.options import json_option
from cli.runtime import clock_from

EXIT = {Level.OK: 0, Level.WARN: DOCTOR_WARNS, Level.FAIL: DOCTOR_FAILS}


def doctor(as_json: bool) -> None:
    """Check the installation and say what to do about each problem.

    In order: the database answers (within 5 seconds) and its version; the event
    store's tables; the events and cases stored; the read models' schema version; the
    projection's lag and any event it is stuck at; the schedule's last recorded step;
    free disk space under var/ (beside the SQLite file); the SMTP server, when
    ARREARS_SMTP_HOST is set. Nothing is created or changed.

    Exit 0 when every check is ok, 11 when one warns, 12 when one fails. --json prints
    {"ok", "status", "checks": [{"name", "status", "summary", "advice", "details"}]}.
    """
    environ = dict(os.environ)
    checks = examine(database_url(environ), clock_from(environ), environ)
    if as_json:
        output.emit_json(report(checks))
    else:
        for check in checks:
            click.echo(f"{check.level.value:<5} {check.name:<11} {check.summary}")
            if check.advice:
                click.echo(f"{'':17}-> {check.advice}")
    click.get_current_context().exit(EXIT[worst(checks)])


COMMANDS = [ArrearsCommand("doctor", callback=doctor, help=inspect.getdoc(doctor),
                           params=[json_option()])]
