"""The upload page for invoices: the files `arrears import-invoices` takes, from a browser."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import Blueprint, render_template, request
from werkzeug.datastructures import FileStorage, MultiDict
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


@dataclass
class Upload:
    """An import page's form, read within its size limit, and the files chosen in it
    (`error` and `status` say why the upload is refused before any file is read)."""

    form: MultiDict[str, str] = field(default_factory=MultiDict)
    files: MultiDict[str, FileStorage] = field(default_factory=MultiDict)
    chosen: list[FileStorage] = field(default_factory=list)
    error: str = ""
    status: int = 200


def upload_of(limit: int, extra: int = 0) -> Upload:
    """The posted form, its `file` parts (1 to MAX_FILES of at most `limit` bytes each) and
    `extra` bytes of other parts; refused with 413 when larger, 400 with too few or many."""
    request.max_content_length = limit * MAX_FILES + extra + ALLOWANCE
    try:
        form, files = request.form, request.files
    except RequestEntityTooLarge:
        return Upload(error=f"the upload is larger than {MAX_FILES} files of at most "
                            f"{limit:,} bytes; nothing was stored", status=413)
    chosen = [f for f in files.getlist("file") if f and f.filename][:MAX_FILES + 1]
    if not chosen or len(chosen) > MAX_FILES:
        return Upload(form, files, chosen, f"choose 1 to {MAX_FILES} files to import", 400)
    return Upload(form, files, chosen)


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
    upload = upload_of(limit)
    form = upload.form
    values = {flag: form.get(flag) == "y" for flag in FLAGS} | {"locale": form.get("locale", "")}
    if upload.error:
        return _page([upload.error], values, upload.status)
    try:
        sources = [Source(file_name(f.filename or ""), f.read(limit + 1))
                   for f in upload.chosen]
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
