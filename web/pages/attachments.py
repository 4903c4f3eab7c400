"""Documents on the case page: the upload form's POST, and downloads of the stored files."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from application.attachments.store import BlobError
from web.context import arrears, get_case, lag_notice
from web.pages.case import recorded_since, render_case
from web.pages.forms import payload, place_errors, upload_form
from web.uploading import attach_upload, posted_form, refusal, served, too_large

bp = Blueprint("attachments", __name__)


@bp.post("/cases/<case_id>/attach_document")
def upload(case_id: str) -> Response | tuple[str, int]:
    """Attach the chosen file; back to the case on success, the form with the error if not.

    Refused (and nothing stored): a file over the size limit (413), content of a type not
    allowed, whatever its name says (415), the same content again (409), bad fields (400).
    """
    case = get_case(case_id)
    form = upload_form(arrears().attachments.policy)
    posted = posted_form()
    if posted is None:
        outcome, values = too_large(), request.args
    else:
        values, files = posted
        chosen = {"file": files["file"]} if files.get("file") else {}  # no file: "required"
        outcome = attach_upload(case_id, {**payload(form, values), **chosen})
    if outcome.ok:
        for summary in recorded_since(case_id, case["version"]):
            flash(f"Recorded: {summary}", "success")
        if notice := lag_notice("Recorded"):
            flash(notice, "notice")
        return redirect(url_for("case.show", case_id=case_id), code=303)
    beside, general = place_errors(form, outcome.errors)
    failed = {"command": form.command, "values": values, "errors": beside, "general": general}
    return render_case(case, failed), outcome.status


@bp.get("/cases/<case_id>/attachments/<sha256>")
def download(case_id: str, sha256: str) -> Response | tuple[str, int]:
    """The attached file as it was stored, checked against its SHA-256 before it is served."""
    get_case(case_id)
    row = arrears().views.attachment(case_id, sha256)
    if row is None:
        abort(404)
    try:
        return served(row)
    except BlobError as error:
        return render_template("error.html", code=500, name="Stored file not served",
                               explanation=refusal(row, error)), 500
