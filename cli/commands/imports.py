"""Importing invoices: `arrears import-invoices PATH...` (accounting exports, e-invoices)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from application.imports.importer import DEFAULT_CREDIT_DAYS, Importer, ImportOptions, Source
from application.imports.ledger import open_cases_of
from application.imports.mapping import load_mapping
from application.imports.reading import check_size
from application.imports.summary import Outcome, Summary
from application.imports.values import ImportRefused
from application.settings import configured_creditors, import_max_bytes
from cli import output
from cli.base import ArrearsCommand
from cli.options import actor_option, creditor_option, json_option
from cli.runtime import runtime
from domain.errors import InvalidValue

PROGRESS_FROM = 1000  # rows: a progress bar for files at least this long (not with --json)


@click.argument("paths", nargs=-1, required=True, metavar="PATH...",
                type=click.Path(exists=True, dir_okay=False, readable=True, path_type=Path))
@click.option("--mapping", "mapping_path", default=None, metavar="FILE",
              type=click.Path(exists=True, dir_okay=False, readable=True, path_type=Path),
              help="A TOML file naming which column is which (README, Invoices in).")
@click.option("--locale", default=None, metavar="LOCALE",
              help="How dates and amounts are written, e.g. en_GB, en_US, de_DE.")
@click.option("--any-seller", is_flag=True,
              help="Take every seller as its own creditor (a bureau collecting for several "
                   "clients); default: only the creditors of ARREARS_CREDITOR(S).")
@click.option("--dry-run", is_flag=True, help="Show what would happen; store nothing.")
@click.option("--all-or-nothing", is_flag=True,
              help="Store nothing if any row or file is refused.")
@click.option("--full", is_flag=True,
              help="The files list every open invoice of their creditors: an open case they "
                   "do not list gets a task 'no longer open in the ledger — confirm payment'.")
@click.option("--credit-days", type=click.IntRange(0, 365), default=DEFAULT_CREDIT_DAYS,
              show_default=True, help="Days to the due date for an invoice that gives none.")
def import_fields() -> None:
    """Import invoices from files: CSV or XLSX exports of open invoices, UBL 2.1 or CII
    e-invoices (XRechnung, ZUGFeRD, Factur-X) as XML or as a PDF with the XML embedded.

    The format is read from the content. Spreadsheets are recognised by their headers (the
    generic template, Xero, QuickBooks Open Invoices, Sage 50) or read with --mapping. The
    same invoice (creditor + number) never makes a second case: a smaller amount due in a
    later export is recorded as a payment reported by the ledger, a larger one is refused.
    Credit notes reduce the case of the invoice they name. Each file is attached as
    evidence to the cases it creates or changes. Good rows land (unless --all-or-nothing);
    every refusal names the file, the row or element, the field and the reason. Exit 0
    when nothing was refused, 1 when a row or file was.
    """


def import_invoices(paths: tuple[Path, ...], mapping_path: Path | None, locale: str | None,
                    any_seller: bool, dry_run: bool, all_or_nothing: bool, full: bool,
                    credit_days: int, actor: str, creditor: str, as_json: bool) -> int:
    limit = import_max_bytes()
    try:
        mapping = None if mapping_path is None else load_mapping(
            mapping_path.read_text(encoding="utf-8"), mapping_path.name)
        for path in paths:
            check_size(path.name, path.stat().st_size, limit)  # before reading it
    except (ImportRefused, UnicodeDecodeError) as error:
        raise InvalidValue(getattr(error, "message", str(error)), "file") from None
    app = runtime().arrears()
    options = ImportOptions(actor=actor, creditor=creditor,
                            creditors=configured_creditors(creditor), any_seller=any_seller,
                            dry_run=dry_run, all_or_nothing=all_or_nothing, full=full,
                            locale=locale, mapping=mapping, credit_days=credit_days,
                            max_bytes=limit)
    sources = [Source(path.name, path.read_bytes()) for path in paths]
    importer = Importer(app.attachments, options, open_cases_of(app) if full else None)
    bar = ProgressBar()
    if not as_json:
        importer.progress = bar
    try:
        summary = importer.run(sources)
    finally:
        bar.close()
    _report(summary, as_json)
    return 1 if summary.refused else 0


class ProgressBar:
    """A bar on stderr, shown only when the files hold PROGRESS_FROM rows or more."""

    def __init__(self) -> None:
        self.bar: Any = None

    def __call__(self, done: int, total: int) -> None:
        if total < PROGRESS_FROM:
            return
        if self.bar is None:
            self.bar = click.progressbar(length=total, label="importing",
                                         file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(done)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


def _report(summary: Summary, as_json: bool) -> None:
    if as_json:
        output.emit_json(summary.as_json())
        return
    counts = summary.counts()
    head = "would be (dry run, nothing stored)" if summary.dry_run else (
        "nothing stored (--all-or-nothing: something was refused)" if not summary.stored
        else "imported")
    click.echo(f"{head}: {counts['created']} created, {counts['unchanged']} unchanged, "
               f"{counts['updated']} updated, {counts['refused']} refused")
    for outcome in (Outcome.CREATED, Outcome.UPDATED):
        for entry in summary.of(outcome):
            click.echo(f"  {outcome.value}: {entry.line}")
    for entry in summary.tasks:
        click.echo(f"  task: {entry.invoice_number} ({entry.creditor}): {entry.what}")
    for warning in summary.warnings:
        click.echo(f"warning: {warning}", err=True)
    for entry in summary.refused:
        click.echo(f"refused: {entry.line}", err=True)


import_command = ArrearsCommand(
    "import-invoices", callback=import_invoices, help=import_fields.__doc__,
    params=[*reversed(import_fields.__click_params__), actor_option(), creditor_option(),
            json_option()])

COMMANDS = [import_command]
