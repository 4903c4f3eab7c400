"""The upload page for invoices: the files `arrears import-invoices` takes, from a browser."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from werkzeug.exceptions import RequestEntityTooLarge

from application.attachments.policy import file_name
from application.imports.importer import Importer, ImportOptions, Source
from application.imports.ledger import open_cases_of
from application.imports.summary import Summary
from application.settings import configured_creditors, import_max_bytes
from application.users.roles import Permission
from domain.errors import InvalidValue
from web.auth.access import allow
from web.auth.identity import actor
from web.context import arrears, catch_up

bp = Blueprint("imports", __name__)
MAX_FILES = 20
ALLOWANCE = 1024 * 1024
FLAGS = ("any_seller", "dry_run", "all_or_nothing", "full")


@bp.get("/imports/new")
@allow(Permission.WORK_CASES)
def new() -> str:
    """The form: files (spreadsheets, e-invoices, Factur-X PDFs) and the import's options."""
    return render_template("imports/new.html", summary=None, errors=[], values={})


@bp.post("/imports/new")
@allow(Permission.WORK_CASES)
def create() -> tuple[str, int]:
    """Import the chosen files; the page shows the summary (what was created, unchanged,
    updated and refused, with reasons). 400 when something was refused, 413 when too large."""
    limit = import_max_bytes()
    request.max_content_length = limit * MAX_FILES + ALLOWANCE
    try:
        form, files = request.form, request.files.getlist("file")
    except RequestEntityTooLarge:
        return _page([f"the upload is larger than {MAX_FILES} files of at most {limit:,} "
                      "bytes; nothing was stored"], {}, 413)
    values = {flag: form.get(flag) == "y" for flag in FLAGS} | {"locale": form.get("locale", "")}
    chosen = [f for f in files if f and f.filename][:MAX_FILES + 1]
    if not chosen or len(chosen) > MAX_FILES:
        return _page([f"choose 1 to {MAX_FILES} files to import"], values, 400)
    try:
        sources = [Source(file_name(f.filename), f.read(limit + 1)) for f in chosen]
        summary = _import(sources, values, limit)
    except InvalidValue as error:
        return _page([f"{error.field}: {error.message}"], values, 400)
    catch_up()
    return render_template("imports/new.html", summary=summary, errors=[], values=values), \
        400 if summary.refused else 200


def _import(sources: list[Source], values: dict[str, object], limit: int) -> Summary:
    app = arrears()
    creditor = app.service.default_creditor
    options = ImportOptions(actor=actor(), creditor=creditor,
                            creditors=configured_creditors(creditor),
                            locale=str(values["locale"]).strip() or None, max_bytes=limit,
                            **{flag: bool(values[flag]) for flag in FLAGS})
    return Importer(app.attachments, options,
                    open_cases_of(app) if options.full else None).run(sources)


def _page(errors: list[str], values: dict[str, object], status: int) -> tuple[str, int]:
    return render_template("imports/new.html", summary=None, errors=errors,
                           values=values), status
