"""Payments in: `import-payments` reads bank statements; `payments` works the review queue."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from application.payments_in.csvbank import load_mapping
from application.payments_in.importing import Summary, import_payments, open_invoices
from application.payments_in.queue import CreditRow
from application.payments_in.review import assign, not_ours, queued
from application.wording import plural
from cli import output
from cli.base import ArrearsCommand
from cli.failures import REFUSED
from cli.options import actor_option, creditor_option, json_option, text
from cli.params import AMOUNT
from cli.readmodels import arrears


def _cases(found: dict[str, Any]) -> str:
    return ", ".join(f"{c['invoice_number']} {c['amount']}" for c in found["cases"])


def _print(summary: Summary) -> None:
    head = "Dry run (nothing is stored)" if summary.dry_run else "Imported"
    click.echo(f"{head}: {len(summary.matched)} matched, {len(summary.unchanged)} unchanged, "
               f"{len(summary.queued)} queued, {len(summary.refused)} refused, "
               f"{summary.ignored} ignored (debits or not booked)")
    for m in summary.matched:
        click.echo(f"  matched   {m['entry']}  {m['amount']} {m['currency']}  "
                   f"{m['debtor_name'] or '-'} -> {_cases(m)} (by {m['by']})")
    for u in summary.unchanged:
        click.echo(f"  unchanged {u['entry']}  {u['amount']} {u['currency']}  ({u['state']})")
    for q in summary.queued:
        click.echo(f"  queued    {q['entry']}  {q['amount']} {q['currency']}  "
                   f"{q['reason']}: {q['detail']}")


def import_payments_command(paths: tuple[Path, ...], mapping: Path | None, dry_run: bool,
                            actor: str, as_json: bool) -> None:
    """Record the credits of bank statements as payments on the cases they pay.

    PATH is an ISO 20022 camt.053 statement or camt.054 notification (versions .02 to .13),
    or a CSV bank export read by --mapping (a TOML file: columns, sign, locale, date format;
    see README "Payments in"). Only booked credits are taken; debits are ignored.

    Each credit is matched to open cases: first by invoice numbers or RF creditor
    references in its remittance (several invoices share it, oldest due first unless the
    remittance gives amounts), then by the debtor's name and an exact outstanding amount.
    A match is recorded as a bank_transfer payment under the credit's idempotency key
    (statement account + the bank's entry reference): the same statement imported again
    records nothing twice and says "unchanged". Unmatched, ambiguous and overpaying credits
    go to the review queue (`arrears payments unmatched`). --dry-run stores nothing.

    Exit codes: 0 done; 1 a file, entry or row was refused (the others are taken).
    """
    app = arrears()
    app.projector.catch_up()
    invoices = open_invoices(app.views.open_cases(app.clock.today()))
    summary = import_payments(app.service, invoices, list(paths),
                              load_mapping(mapping) if mapping else None, actor, dry_run)
    if not dry_run:
        app.projector.catch_up()
    for refusal in summary.refused:
        click.echo(f"error: {refusal.line()}", err=True)
    if as_json:
        output.emit_json(summary.record())
    else:
        _print(summary)
    if summary.refused:
        click.get_current_context().exit(REFUSED)


import_command = ArrearsCommand(
    "import-payments", callback=import_payments_command, help=import_payments_command.__doc__,
    params=[click.Argument(["paths"], nargs=-1, required=True, metavar="PATH...",
                           type=click.Path(path_type=Path)),
            click.Option(["--mapping"], type=click.Path(path_type=Path, dir_okay=False),
                         help="The TOML mapping of a CSV bank export."),
            click.Option(["--dry-run"], is_flag=True, help="Match and report; store nothing."),
            actor_option(), json_option()])


def _line(row: CreditRow) -> str:
    c = row.credit
    return (f"{row.entry}  {c.booked_on.isoformat()}  {c.amount} {c.currency}  "
            f"{c.debtor_name or '-'}  \"{c.remittance[:60]}\"  {row.reason}: {row.detail}")


def unmatched(as_json: bool) -> None:
    """List the credits waiting for review: unmatched, ambiguous, overpaying or refused.

    Each keeps its full details: account, the bank's reference, amount, dates, payer,
    remittance, the file it came from and the file's SHA-256.
    """
    rows = queued(arrears().service)
    if as_json:
        output.emit_json({"unmatched": [row.record() for row in rows]})
        return
    click.echo(f"{plural(len(rows), 'credit')} to review")
    for row in rows:
        click.echo(f"  {_line(row)}")


def assign_command(entry: str, case: str, amount: Any, creditor: str, actor: str,
                   as_json: bool) -> None:
    """Record the queued credit ENTRY as a payment on CASE.

    --amount puts part of it on the case (default: all that is not yet assigned); the
    credit leaves the queue when all of it is assigned.
    """
    app = arrears()
    case_id = app.service.resolve(case, creditor)
    row, recorded = assign(app.service, entry, case_id, actor, amount)
    app.projector.catch_up()
    if as_json:
        output.emit_json({**row.record(), "case_id": str(case_id), "version": recorded.version})
        return
    click.echo(f"Recorded {row.assigned[-1].amount} {row.credit.currency} of credit "
               f"{row.entry} on {recorded.invoice_number}; {row.unassigned} left to assign")


def not_ours_command(entry: str, reason: str, actor: str, as_json: bool) -> None:
    """Mark the queued credit ENTRY as not ours; it leaves the queue, nothing is recorded."""
    row = not_ours(arrears().service, entry, reason, actor)
    if as_json:
        output.emit_json(row.record())
        return
    click.echo(f"Credit {row.entry} marked not ours: {row.note}")


payments = click.Group("payments", help="The review queue of credits no case was found for.")
payments.add_command(ArrearsCommand("unmatched", callback=unmatched, help=unmatched.__doc__,
                                    params=[json_option()]))
payments.add_command(ArrearsCommand(
    "assign", callback=assign_command, help=assign_command.__doc__,
    params=[click.Argument(["entry"], metavar="ENTRY"), click.Argument(["case"], metavar="CASE"),
            click.Option(["--amount"], type=AMOUNT, default=None,
                         help="Part of the credit, e.g. 1,200.50; default all of it."),
            creditor_option(), actor_option(), json_option()]))
not_ours_params = [click.Argument(["entry"], metavar="ENTRY"), actor_option(), json_option()]
payments.add_command(text("--reason", "Why it is not ours.", required=True)(
    ArrearsCommand("not-ours", callback=not_ours_command, help=not_ours_command.__doc__,
                   params=not_ours_params)))

COMMANDS = [import_command, payments]
