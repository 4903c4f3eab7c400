"""The store to a file and back: `export`, `import`, `backup`."""

from __future__ import annotations

import inspect
import os
import sqlite3
import sys
from pathlib import Path
from typing import Any

import click

from application.evidence import digest
from application.evidence.verify import verify_store
from application.service import CaseService
from application.settings import database_url, key_dir
from application.transfer import backup as backups
from application.transfer.export import export_store, to_export
from application.transfer.load import StoreNotEmpty, check, ensure_empty, load
from application.transfer.tables import tables_of
from application.transfer.verify import ImportRefused
from application.wording import plural
from cli import output
from cli.base import ArrearsCommand
from cli.failures import CHAIN_BROKEN, INVALID_INPUT, WRONG_STORE, Failure
from cli.options import json_option
from cli.readmodels import arrears
from cli.runtime import service

OUT = click.Path(dir_okay=False, writable=True, path_type=Path)


def _bar(total: int, label: str) -> Any:
    """A progress bar on stderr (click's), used as a context manager."""
    return click.progressbar(length=total, label=label, file=sys.stderr, show_pos=True)


def export_events(out: Path, as_json: bool) -> None:
    """Write the whole event log to --out as JSON Lines.

    One JSON object a line: a header, every event in notification order (its case,
    version, topic, stored state in base64, its chain hash and the one before), the
    idempotency keys, the checkpoints, and a trailer with the counts and the store
    digest's root (README, Backups and migration). The file is written under a
    temporary name and renamed when whole. Events stored while it runs are left for the
    next export. `arrears import` loads it into an empty store.
    """
    svc = service()
    partial = out.with_name(f".{out.name}.partial-{os.getpid()}")
    with _bar(to_export(svc), "Exporting events") as bar, \
            partial.open("w", encoding="utf-8") as handle:
        done = export_store(svc, handle, bar.update)
    os.replace(partial, out)
    if as_json:
        output.emit_json({"out": str(out), **done.as_dict()})
        return
    click.echo(f"Exported {plural(done.events, 'event')} of {plural(done.cases, 'case')} "
               f"up to notification {done.position} to {out}")
    click.echo(f"  root  {done.root}")


def import_events(file: Path, as_json: bool) -> None:
    """Load an export file into an empty store, then rebuild the read models.

    The store (ARREARS_DATABASE_URL) must hold no event: a store that does is refused
    (exit 10). The whole file is checked before anything is written: every case's
    chain is recomputed from its events, and the counts and digest root in the trailer
    must be the file's; a file that fails is refused (exit 4) naming the line. Then
    everything is written in one transaction, each event under its notification id, so
    the copy's `arrears digest` (with the same signing key) and checkpoints are the
    original's.
    """
    svc = service()
    try:
        ensure_empty(tables_of(svc.chain_recorder).contents())
        with _bar(0, "Checking the file") as bar:
            checked = check(svc, file, bar.update)
        with _bar(checked.events, "Importing events") as bar:
            load(svc, file, checked, bar.update)
    except StoreNotEmpty as error:
        raise Failure("", str(error), WRONG_STORE) from None
    except ImportRefused as error:
        raise Failure(str(file), f"{error}; nothing was imported", CHAIN_BROKEN) from None
    arrears().projector.rebuild()
    summary = {"events": checked.events, "keys": checked.keys,
               "checkpoints": checked.checkpoints, "cases": checked.cases,
               "position": checked.position, "root": checked.root()}
    if as_json:
        output.emit_json(summary)
        return
    click.echo(f"Imported {plural(checked.events, 'event')} of "
               f"{plural(checked.cases, 'case')} up to notification {checked.position}; "
               "read models rebuilt")
    click.echo(f"  root  {summary['root']}")


def backup_store(out: Path, as_json: bool) -> None:
    """Copy the live SQLite event store to --out, with SQLite's backup API.

    Safe while the app and the worker write: the copy is of one moment. It is checked
    (SQLite's integrity check, then every case's chain, as `arrears verify`) before it
    is named --out. For PostgreSQL use pg_dump or `arrears export` (exit 10). The read
    models are not copied: `arrears projections rebuild` makes them from the copy.
    """
    url = database_url()
    try:
        source = backups.sqlite_path(url)
    except backups.NotSQLite as error:
        raise Failure("ARREARS_DATABASE_URL", str(error), WRONG_STORE) from None
    if not source.is_file():
        raise Failure("ARREARS_DATABASE_URL", f"{source} does not exist", INVALID_INPUT)
    try:
        pages = backups.backup(source, out)
    except sqlite3.Error as error:
        raise Failure("--out", f"the copy failed: {error}", INVALID_INPUT) from None
    copy = CaseService(f"sqlite:///{out}", create_table=False, key_directory=key_dir(url))
    try:
        report = verify_store(copy.chain_recorder, copy.chain_recorder.canonical,
                              snapshots=copy.snapshot_check())
        position = digest.current(copy.chain_recorder).position
    finally:
        copy.close()
    summary = {"out": str(out), "pages": pages, "cases": report.cases,
               "events": report.events, "position": position, "verified": report.ok}
    if as_json:
        output.emit_json(summary)
    else:
        click.echo(f"Backed up {plural(report.events, 'event')} of "
                   f"{plural(report.cases, 'case')} (up to notification {position}) to {out}; "
                   + ("the copy verifies" if report.ok else "the copy does NOT verify"))
    if not report.ok:
        click.get_current_context().exit(CHAIN_BROKEN)


def _command(name: str, function: object, *params: click.Parameter) -> ArrearsCommand:
    own = list(reversed(getattr(function, "__click_params__", [])))
    return ArrearsCommand(name, callback=function, help=inspect.getdoc(function),  # type: ignore
                          params=[*params, *own, json_option()])


export = _command("export", export_events,
                  click.Option(["--out"], type=OUT, required=True,
                               help="The file to write (FILE.jsonl)."))
import_ = _command("import", import_events,
                   click.Argument(["file"], type=click.Path(exists=True, dir_okay=False,
                                                            path_type=Path)))
backup = _command("backup", backup_store,
                  click.Option(["--out"], type=OUT, required=True,
                               help="The file the copy is written to."))

COMMANDS = [export, import_, backup]
