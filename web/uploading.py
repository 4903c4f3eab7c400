"""Attachments from a request: an upload attached to a case, and a stored file served back.

Shared by the case page and the JSON API. An upload is a multipart/form-data body with a
`file` part and the fields of `web.schemas.commands.AttachDocument`; the request body is
bounded by the attachment limit (plus room for the other fields), so an oversized upload is
refused before it is read in full. Nothing is stored for any refusal (ADR 18).
"""

from __future__ import annotations

import base64
import logging
import re
import unicodedata
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote
from uuid import UUID

from flask import Response, request
from marshmallow import ValidationError
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import RequestEntityTooLarge

from application.attachments.policy import AttachmentPolicy, FileTooLarge, TypeNotAllowed
from application.attachments.store import BlobCorrupt, BlobError
from application.readmodels import rows
from domain.attachments import AlreadyAttached
from domain.errors import DomainError
from web.auth.identity import actor
from web.commanding import Outcome, errors_of, flatten, status_of
from web.context import arrears, catch_up
from web.schemas.commands import AttachDocument

log = logging.getLogger(__name__)
FORM_ALLOWANCE = 1024 * 1024  # room for the form's other fields and the multipart framing
STATUSES = ((FileTooLarge, 413), (TypeNotAllowed, 415), (AlreadyAttached, 409))


@dataclass
class Uploaded(Outcome):
    """What became of an upload; `attachment` is the event's row once it is recorded."""

    attachment: dict[str, Any] | None = None


def policy() -> AttachmentPolicy:
    return arrears().attachments.policy


def body_limit() -> int:
    """The largest request body an upload may have: the file's limit and the allowance."""
    return policy().max_bytes + FORM_ALLOWANCE


def too_large() -> Uploaded:
    return Uploaded(errors={"file": [f"the upload is larger than the {policy().limit_text} "
                                      "a document may be; nothing was stored"]}, status=413)


def posted_form() -> tuple[MultiDict[str, Any], MultiDict[str, Any]] | None:
    """The request's form fields and files, read within `body_limit()`; None when too large."""
    request.max_content_length = body_limit()
    try:
        return request.form, request.files
    except RequestEntityTooLarge:
        return None


def attach_upload(case_id: str, payload: dict[str, Any]) -> Uploaded:
    """Load the form (the `file` part and the command's fields) and attach the document."""
    try:
        case_uuid = UUID(case_id)
    except ValueError:
        return Uploaded(errors={"case": [f"no case with id {case_id}"]}, status=404)
    try:
        data = AttachDocument().load(payload)
    except ValidationError as error:
        return Uploaded(errors=flatten(error.messages), status=400)
    data.pop("actor", None)
    try:
        attached = arrears().attachments.attach(data.pop("file"), case_id=case_uuid,
                                                actor=actor(), **data)
    except DomainError as error:
        status = next((s for kind, s in STATUSES if isinstance(error, kind)), status_of(error))
        return Uploaded(errors=errors_of(error), status=status)
    behind = catch_up()
    event = arrears().attachments.event(case_uuid, attached.recorded.version)
    return Uploaded(case_id=str(case_uuid), version=attached.recorded.version, status=201,
                    views_behind=behind, attachment=rows.attachment_row(event))


def served(row: dict[str, Any]) -> Response:
    """The stored bytes of an attachment, checked against its SHA-256 (BlobError if not)."""
    content = arrears().attachments.content(row["sha256"])
    if len(content) != row["size"]:
        raise BlobCorrupt(f"the blob stored as {row['sha256']} is {len(content)} bytes, not "
                          f"the {row['size']} recorded", row["sha256"])
    response = Response(content, mimetype=row["media_type"])
    digest = base64.b64encode(bytes.fromhex(row["sha256"])).decode("ascii")
    response.headers.update({
        "Content-Disposition": content_disposition(row["name"]),
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; sandbox",
        "Cache-Control": "private, no-store",
        "ETag": f'"{row["sha256"]}"',
        "Repr-Digest": f"sha-256=:{digest}:",
    })
    return response


def refusal(row: dict[str, Any], error: BlobError) -> str:
    """Why a stored file is not served, in words (logged loudly)."""
    log.error("attachment %s of case %s (%s) not served: %s", row["sha256"], row["case_id"],
              row["name"], error.message)
    if isinstance(error, BlobCorrupt):
        return (f"The stored content of '{row['name']}' no longer matches the SHA-256 recorded "
                f"when it was attached ({row['sha256']}), so it is not served. The record of "
                "the attachment is intact; restore the file from a backup.")
    return (f"The stored content of '{row['name']}' (SHA-256 {row['sha256']}) is missing from "
            "the blob store, so it cannot be served; restore the file from a backup.")


def content_disposition(name: str) -> str:
    """`attachment` with an ASCII fallback name and the exact name (RFC 6266, RFC 8187)."""
    fallback = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    fallback = re.sub(r'[^A-Za-z0-9 !#$&+,.;=@^_`{}~()\[\]-]', "_", fallback).strip() or "file"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"
