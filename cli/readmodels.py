"""Read-model commands: `list`, `project` (the follower process) and `projections`."""

from __future__ import annotations

import json
import signal
import sys
import threading
from decimal import Decimal
from typing import Any

import click

from application.bootstrap import Arrears
from application.readmodels.queries import SORTS, CaseFilter
from application.readmodels.status import Status
from application.wording import plural
from cli.base import ArrearsCommand
from cli.failures import views_stuck
from cli.options import json_option
from cli.runtime import runtime
from domain.stages import AGING_BUCKETS
from domain.values import Stage

STAGES = [s.value for s in Stage]


def arrears(create_table: bool = True) -> Arrears:
    """The service, projector and views of this invocation (ARREARS_DATABASE_URL)."""
    return runtime().arrears(create_table)


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _caught_up(app: Arrears) -> Status:
    """Catch up as far as the views go (up to an event they cannot apply); where they stand."""
    app.projector.catch_up()
    return app.projector.status()


def _exit_if_stuck(status: Status) -> None:
    """At an event the views cannot apply: one line on stderr, exit 3."""
    if status.fault:
        failure = views_stuck(status.fault)
        click.echo(failure.line(), err=True)
        click.get_current_context().exit(failure.exit_code)


def _print_cases(page: Any) -> None:
    header = f"{'invoice':<14} {'debtor':<26} {'due':<10} {'days':>5} {'stage':<13} " \
             f"{'outstanding':>16}  next action"
    click.echo(header)
    for r in page.rows:
        amount = f"{r['currency']} {r['outstanding']:,}"
        click.echo(f"{r['invoice_number']:<14} {r['debtor_name'][:26]:<26} "
                   f"{r['due_date'].isoformat():<10} {r['days_overdue']:>5} "
                   f"{r['stage']:<13} {amount:>16}  {r['next_action']}")
    for currency, totals in page.totals.items():
        click.echo(f"total {currency}: {plural(totals['cases'], 'case')}, "
                   f"outstanding {currency} {totals['outstanding']:,}")
    click.echo(f"page {page.page} of {page.pages} ({plural(page.total, 'case')})")


def list_cases(stage: str | None, bucket: str | None, debtor: str, on_hold: bool | None,
               currency: str, search: str, sort: str, desc: bool, page: int, per_page: int,
               as_json: bool) -> None:
    """List cases from the case summary read model (caught up first).

    Filters combine; amounts are per currency. With --json, the page as plain data. When
    the views are behind the event log (stuck at an event they cannot apply), the list
    shows what they hold and a warning on stderr says how many events are missing.
    """
    app = arrears()
    status = _caught_up(app)
    found = app.views.list_cases(
        CaseFilter(stage=stage or "", bucket=bucket or "", on_hold=on_hold,
                   debtor=debtor or "", currency=currency, q=search),
        sort=sort, descending=desc, page=page, per_page=per_page)
    if as_json:
        click.echo(json.dumps({
            "items": [{k: _plain(v) for k, v in r.items()} for r in found.rows],
            "page": found.page, "pages": found.pages, "total": found.total,
            "totals": {c: {k: _plain(v) for k, v in t.items()} for c, t in found.totals.items()},
            "views_behind": status.lag,
        }, indent=2))
    else:
        _print_cases(found)
    if status.lag:
        click.echo(f"warning: {status.describe()}", err=True)


list_command = ArrearsCommand("list", callback=list_cases, help=list_cases.__doc__, params=[
    click.Option(["--stage"], type=click.Choice(STAGES), help="Only this stage."),
    click.Option(["--bucket"], type=click.Choice(AGING_BUCKETS),
                 help="Only this aging bucket (days overdue)."),
    click.Option(["--debtor"], default="",
                 help="Only this debtor's cases (their key, or their name)."),
    click.Option(["--on-hold/--not-on-hold"], default=None, help="Only cases (not) on hold."),
    click.Option(["--currency"], default="", help="Only this currency, e.g. EUR."),
    click.Option(["--search", "-q"], default="", help="Invoice number or debtor name contains."),
    click.Option(["--sort"], type=click.Choice(sorted(SORTS)), default="due_date",
                 show_default=True),
    click.Option(["--desc"], is_flag=True, help="Sort descending."),
    click.Option(["--page"], type=click.IntRange(min=1), default=1, show_default=True),
    click.Option(["--per-page"], type=click.IntRange(1, 1000), default=50, show_default=True),
    json_option(),
])


def project(interval: float, once: bool) -> None:
    """Keep the read models following new events (run one per deployment, e.g. PostgreSQL).

    Catches up, then polls every --interval seconds until interrupted (Ctrl-C or SIGTERM).
    Each page of events and the tracked position are committed together, so stopping it
    at any moment loses nothing and applies nothing twice. The web app follows by itself;
    this process is for deployments where writers run elsewhere.

    At an event it cannot apply it stops: everything before it is applied, one line on
    stderr names the event and the error, and it exits 3 (see `projections status`).
    """
    app = arrears(create_table=False)
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    while True:
        applied = app.projector.catch_up()
        status = app.projector.status()
        if applied:
            click.echo(f"applied {plural(applied, 'event')}; position {status.position}")
        _exit_if_stuck(status)
        if once or stop.wait(interval):
            break


project_command = ArrearsCommand("project", callback=project, help=project.__doc__, params=[
    click.Option(["--interval"], type=click.FloatRange(min=0.05), default=1.0,
                 show_default=True, help="Seconds between polls when caught up."),
    click.Option(["--once"], is_flag=True, help="Catch up once and exit."),
])


def rebuild(as_json: bool, jobs: int | None) -> None:
    """Rebuild every read model from the event log, from scratch, with a progress bar.

    With SQLite files, a log of 100,000 events or more (or --jobs 2 and up) is projected
    case by case by worker processes and copied in at once; else it is applied in order.
    At an event it cannot apply it stops: the views hold every event before it, one line
    on stderr names the event and the error, and it exits 3.
    """
    app = arrears()
    head = app.projector.status().head
    with click.progressbar(length=head, label="Rebuilding read models",
                           file=sys.stderr) as bar:
        applied = app.projector.rebuild(progress=bar.update, jobs=jobs)
    status = app.projector.status()
    if as_json:
        click.echo(json.dumps({"applied": applied, **status.as_dict()}))
    else:
        click.echo(f"Rebuilt from {plural(applied, 'event')}; position {status.position}.")
    _exit_if_stuck(status)


def status(as_json: bool) -> None:
    """Show each projection's tracked position, the event log's head, and the lag.

    A projection stuck at an event it cannot apply names it (position, case, version, type)
    and the error; with --json as "fault" (null when none).
    """
    s = arrears().projector.status()
    if as_json:
        click.echo(json.dumps({"projections": [s.as_dict()]}))
    else:
        click.echo(f"{'projection':<12} {'position':>10} {'head':>10} {'lag':>8}")
        click.echo(f"{s.projection:<12} {s.position:>10} {s.head:>10} {s.lag:>8}")
        if s.fault:
            click.echo(f"{s.projection}: {s.fault.describe()}")


projections = click.Group("projections", help="Rebuild the read models or see how far behind "
                          "they are.")
projections.add_command(ArrearsCommand("rebuild", callback=rebuild, help=rebuild.__doc__,
                                       params=[json_option(), click.Option(
                                           ["--jobs"], type=click.IntRange(min=1), metavar="N",
                                           help="Worker processes (default: one per core, up "
                                                "to 4, for a log of 100,000 events or more; 1 "
                                                "applies the log in order).")]))
projections.add_command(ArrearsCommand("status", callback=status, help=status.__doc__,
                                       params=[json_option()]))


def register(group: click.Group) -> None:
    """Add `list`, `project` and `projections` to the `arrears` group."""
    group.add_command(list_command)
    group.add_command(project_command)
    group.add_command(projections)
