"""Documents attached to a case: list them, upload one (multipart/form-data), download one."""

from __future__ import annotations

from flask import request, url_for
from flask.typing import ResponseReturnValue

from application.attachments.store import BlobError
from application.attachments.types import KNOWN
from web.api import bp
from web.api.errors import ApiError
from web.api.io import case_or_404, reply, views
from web.api.openapi import Binary, documented
from web.schemas.attachments import AttachmentResult, Attachments
from web.schemas.commands import AttachDocument
from web.schemas.readmodels import Errors
from web.uploading import attach_upload, posted_form, refusal, served, too_large

DOWNLOAD_HEADERS = {
    "Content-Disposition": "attachment, with the file's name (filename and filename*)",
    "ETag": "the SHA-256 of the bytes, quoted",
    "Repr-Digest": "sha-256=:BASE64: of the bytes (RFC 9530)",
}


@bp.get("/cases/<case_id>/attachments")
@documented({200: Attachments, 404: Errors})
def attachments(case_id: str) -> ResponseReturnValue:
    """The documents attached to a case, in the order they were recorded."""
    found = case_or_404(case_id)
    return reply(Attachments, {"case_id": found["case_id"],
                               "items": views().attachments(found["case_id"])})


@bp.post("/cases/<case_id>/attachments")
@documented({201: AttachmentResult, 404: Errors, 409: Errors, 413: Errors, 415: Errors,
             422: Errors}, body=AttachDocument, form=True,
            headers={201: {"Location": "the attached file's URL"}})
def attach(case_id: str) -> ResponseReturnValue:
    """Attach a document to a case, sent as multipart/form-data with a `file` part.

    Its type is read from the content, not the name; the same content twice on one case is
    a 409; a file over the size limit a 413; a type not allowed a 415. Nothing is stored
    when the upload is refused.
    """
    found = case_or_404(case_id)
    if request.mimetype != "multipart/form-data":
        raise ApiError(415, {"body": ["must be multipart/form-data, with the document in a "
                                      "file part named 'file'"]})
    posted = posted_form()
    if posted is None:
        outcome = too_large()
    else:
        form, files = posted
        outcome = attach_upload(found["case_id"], {**form.to_dict(), **files.to_dict()})
    if not outcome.ok:
        raise ApiError(outcome.status, outcome.errors)
    row = outcome.attachment or {}
    return reply(AttachmentResult, {"case_id": found["case_id"], "version": outcome.version,
                                    "attachment": row, "views_behind": outcome.views_behind},
                 status=201, headers={"Location": url_for(
                     "api.attachment", case_id=found["case_id"], sha256=row["sha256"])})


@bp.get("/cases/<case_id>/attachments/<sha256>")
@documented({200: Binary(tuple(KNOWN)), 404: Errors, 500: Errors},
            headers={200: DOWNLOAD_HEADERS})
def attachment(case_id: str, sha256: str) -> ResponseReturnValue:
    """Download an attached document: its bytes as stored, in the media type recorded.

    The bytes are checked against the SHA-256 recorded when it was attached; a file that no
    longer matches (or is missing) is refused with a 500 naming it, never served.
    """
    found = case_or_404(case_id)
    row = views().attachment(found["case_id"], sha256)
    if row is None:
        raise ApiError(404, {"sha256": [f"no document {sha256[:64]} is attached to the case"]})
    try:
        return served(row)
    except BlobError as error:
        raise ApiError(500, {"file": [refusal(row, error)]}) from None
