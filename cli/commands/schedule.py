"""The escalation schedule: `schedule run`, `schedule preview`, `schedule check`; `tasks`."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from application.schedule import build_schedule
from application.schedule.commands import CompleteTask
from application.schedule.policies import POLICY_DIR, Policies
from application.schedule.policy import Policy
from application.schedule.report import RunReport
from application.wording import plural
from cli import output
from cli.base import ArrearsCommand
from cli.casecommand import Fields, case_command
from cli.failures import REFUSED, Failure
from cli.options import json_option, text
from cli.params import ISO_DATE
from cli.readmodels import arrears

POLICY_HELP = (f"Use this policy file for every creditor (default: {POLICY_DIR}, or the "
               "policy Arrears ships).")


def _policies(policy: Path | None) -> Policies:
    return Policies.of_file(policy) if policy else Policies.from_env()


def _report(report: RunReport, as_json: bool) -> None:
    """The report: --json on stdout, or a line a step and a summary; each error on stderr."""
    for e in report.errors:
        click.echo(f"error: {e.invoice_number} {e.step}: {e.error}", err=True)
    if as_json:
        output.emit_json(report.as_json())
        return
    verb = "Schedule run" if report.recorded else "Preview (nothing is stored)"
    click.echo(f"{verb} for {report.today.isoformat()}: {plural(report.cases, 'open case')}")
    for a in report.actions:
        again = "  (already taken today)" if a.repeated else ""
        click.echo(f"  {a.invoice_number:<14} {a.step:<22} {a.description}{again}")
    for name, count in sorted(report.steps.items()):
        click.echo(f"step {name}: {count}")
    paused = ", ".join(f"{reason} {count}" for reason, count in sorted(report.paused.items()))
    click.echo(f"tasks created: {report.tasks}; paused: {paused or 'none'}; "
               f"repeated: {report.repeated}; errors: {len(report.errors)}")


def _go(today: date | None, policy: Path | None, as_json: bool, live: bool) -> None:
    app = arrears()
    app.projector.catch_up()
    day = today or app.clock.today()
    if live and day > app.clock.today():
        raise Failure("--today", f"{day.isoformat()} is in the future; a run records what "
                      "happened (preview a later day instead)")
    schedule = build_schedule(app, _policies(policy))
    schedule.policies.check()  # a file it cannot use stops it before anything is shown
    rows = schedule.candidates(day)
    label = "Running the schedule" if live else "Previewing the schedule"
    with click.progressbar(length=len(rows), label=label, file=sys.stderr) as bar:
        go = schedule.run if live else schedule.preview
        report = go(day, rows=rows, progress=bar.update)
    if live:
        app.projector.catch_up()
    _report(report, as_json)
    if report.errors:
        click.get_current_context().exit(REFUSED)


def run(today: date | None, policy: Path | None, as_json: bool) -> None:
    """Apply every step due today to every open case.

    Each creditor's policy (ARREARS_POLICY_DIR, or the policy Arrears ships) is applied to
    every open case it works: reminders are sent (email by ARREARS_SMTP_*, else written to
    var/outbox/; SMS to var/outbox/sms/) and recorded with interest claims and demands (actor
    "schedule"); steps for a person become tasks (so does an email reminder to a debtor
    with no email address); a debtor's email reminders of one day go as one message.
    Disputed cases, cases on hold or on a payment plan in good standing, and the cases of
    a debtor on hold (hold-debtor) are paused (and, if the policy says so, those with a
    promise to pay not yet due). A case
    that comes late starts at the step for its age; earlier steps are passed over.

    Idempotent: run twice on one day, the second run records nothing. --today runs a past
    day (its events back-dated). Prints each step taken and a summary (--json: the whole
    report); exits 1 when a step was refused for a case (the others are still taken).
    """
    _go(today, policy, as_json, live=True)


def preview(today: date | None, policy: Path | None, as_json: bool) -> None:
    """Show what a run would do; nothing is stored, sent or rendered.

    The same decisions as `schedule run`, for --today (default today; a later day too).
    """
    _go(today, policy, as_json, live=False)


def _ladder(policy: Policy) -> None:
    click.echo(f"{policy.source}: policy '{policy.name}', {plural(len(policy.steps), 'step')}")
    for step in policy.steps:
        extra = " (also when the case comes late)" if step.catch_up else ""
        click.echo(f"  {step.name:<22} {step.kind.value:<15} {step.mode.value:<10} "
                   f"{step.when()}{extra}")
    promise = ", a promise to pay not yet due" if policy.pause.promise_to_pay else ""
    click.echo(f"  paused: disputed, on hold, on a payment plan in good standing{promise}")


def check(files: tuple[Path, ...]) -> None:
    """Check policy files and show their ladders.

    Without FILE, every policy in use (ARREARS_POLICY_DIR and the one Arrears ships). A
    fault is one line naming the file and the line, exit 2.
    """
    policies = ([Policies.of_file(path).check()[0] for path in files]
                or Policies.from_env().check())
    for policy in policies:
        _ladder(policy)


def _today_option() -> click.Option:
    return click.Option(["--today"], type=ISO_DATE, help="The day to run for; default today.")


def _policy_option() -> click.Option:
    return click.Option(["--policy"], type=click.Path(path_type=Path), help=POLICY_HELP)


schedule = click.Group("schedule", help="The escalation schedule: the policy's steps applied "
                       "to every open case, once a day.")
for name, function in (("run", run), ("preview", preview)):
    schedule.add_command(ArrearsCommand(name, callback=function, help=function.__doc__,
                                        params=[_today_option(), _policy_option(),
                                                json_option()]))
schedule.add_command(ArrearsCommand("check", callback=check, help=check.__doc__, params=[
    click.Argument(["files"], nargs=-1, metavar="[FILE]...", type=click.Path(path_type=Path))]))


# -- tasks ------------------------------------------------------------------------------------

def _print_tasks(found: list[dict]) -> None:
    if not found:
        click.echo("No open tasks.")
    for t in found:
        late = "  overdue" if t["overdue"] else ""
        click.echo(f"{t['due_on'].isoformat()}  {t['invoice_number']:<14} {t['step']:<20} "
                   f"{t['what']}  [{', '.join(t['actions'])}]{late}")


def _task_json(t: dict) -> dict:
    keys = ("case_id", "invoice_number", "creditor", "debtor_name", "step", "what", "actions",
            "prefill", "overdue")
    return {**{k: t[k] for k in keys}, "due_on": t["due_on"].isoformat(),
            "created_on": t["created_on"].isoformat()}


@click.group("tasks", invoke_without_command=True)
@click.option("--due-by", type=ISO_DATE, help="Only tasks due by this day.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON on stdout.")
@click.pass_context
def tasks(ctx: click.Context, due_by: date | None, as_json: bool) -> None:
    """List the open tasks the schedule set, the earliest due first.

    Each is done by recording what it asks for on its case (a call logged for a call task,
    a referral for a referral task), or with `tasks done`.
    """
    if ctx.invoked_subcommand is not None:
        return
    app = arrears()
    app.projector.catch_up()
    found = app.tasks.open_tasks(due_by=due_by)
    if as_json:
        output.emit_json([_task_json(t) for t in found])
    else:
        _print_tasks(found)


@case_command("done", CompleteTask)
@click.argument("step")
@text("--notes", "How it was done, or why not.", required=True)
def task_done(step: str, notes: str) -> Fields:
    """Mark a task done that was done some other way, or decided against.

    STEP is the task's step, as `tasks` lists it.
    """
    return {"step": step, "notes": notes}


tasks.add_command(task_done)

COMMANDS = [schedule, tasks]
