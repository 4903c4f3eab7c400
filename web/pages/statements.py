"""The upload page for bank statements: the files `arrears import-payments` takes, from a
browser (camt.053 statements, camt.054 notifications, a CSV bank export with its mapping).

Unlike the CLI, which takes the good files of a run, the page stores nothing when any file,
entry or row is refused: the person fixes the file and uploads again (ADR 36).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template
from werkzeug.datastructures import FileStorage

from application.attachments.policy import file_name
from application.payments_in.credits import Statement
from application.payments_in.csvbank import Mapping, parse_mapping
from application.payments_in.importing import (
    PaymentImport,
    Summary,
    open_invoices,
    read_upload,
)
from application.settings import import_max_bytes
from application.users.roles import Permission
from domain.errors import InvalidValue
from web.auth.access import allow
from web.auth.identity import actor
from web.context import arrears, catch_up
from web.pages.imports import upload_of

bp = Blueprint("statements", __name__)
MAPPING_BYTES = 64 * 1024


@bp.get("/payments/import")
@allow(Permission.WORK_CASES)
def new() -> str:
    """The form: statement files, a mapping for a CSV export, and the dry run."""
    return render_template("payments/import.html", summary=None, errors=[], values={})


@bp.post("/payments/import")
@allow(Permission.WORK_CASES)
def create() -> tuple[str, int]:
    """Match the files' credits to cases and record them; the page shows what was matched,
    what was recorded before and what went to the review queue. 400 when a file, entry or
    row was refused (then nothing is stored), 413 when the upload is too large."""
    limit = import_max_bytes()
    upload = upload_of(limit, MAPPING_BYTES)
    values = {"dry_run": upload.form.get("dry_run") == "y"}
    if upload.error:
        return _page([upload.error], values, upload.status)
    try:
        mapping = _mapping(upload.files.get("mapping"))
    except InvalidValue as error:
        return _page([f"{error.field}: {error.message}; nothing was stored"], values, 400)
    today = arrears().clock.today()
    statements = [read_upload(file_name(f.filename or ""), f.read(limit + 1), mapping, today,
                              limit) for f in upload.chosen]
    refused = [r.line() for s in statements for r in s.refusals]
    if refused:
        return _page([*refused, "nothing was stored: fix the file and upload it again"],
                     values, 400)
    summary = _import(statements, bool(values["dry_run"]))
    return render_template("payments/import.html", summary=summary, errors=[],
                           values=values), 200


def _mapping(upload: FileStorage | None) -> Mapping | None:
    """The uploaded mapping of a CSV bank export (TOML), or None when none was chosen."""
    if upload is None or not upload.filename:
        return None
    content = upload.read(MAPPING_BYTES + 1)
    name = file_name(upload.filename)
    if len(content) > MAPPING_BYTES:
        raise InvalidValue(f"{name}: larger than {MAPPING_BYTES:,} bytes", "mapping")
    return parse_mapping(name, content)


def _import(statements: list[Statement], dry_run: bool) -> Summary:
    app = arrears()
    catch_up()
    invoices = open_invoices(app.views.open_cases(app.clock.today()))
    summary = PaymentImport(app.service, invoices, actor(), dry_run).run(statements)
    if not dry_run:
        catch_up()
    return summary


def _page(errors: list[str], values: dict[str, Any], status: int) -> tuple[str, int]:
    return render_template("payments/import.html", summary=None, errors=errors,
                           values=values), status
