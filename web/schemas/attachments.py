"""Output schemas of the attachments API: a document attached to a case, lists of them and
the reply to an upload. These schemas only dump."""

from __future__ import annotations

from typing import Any

from flask import url_for
from marshmallow import Schema, fields

from application.attachments.types import KNOWN
from domain.attachments import DocumentKind


def _text(**kw: Any) -> fields.String:
    return fields.String(required=True, **kw)


class Attachment(Schema):
    """A document attached to a case: what the event recorded, and where to download it."""

    version = fields.Integer(required=True, metadata={"description": "the event's version"})
    sha256 = _text(metadata={"description": "SHA-256 of the bytes, 64 hex digits; the "
                                            "download is checked against it",
                             "pattern": "^[0-9a-f]{64}$"})
    name = _text(metadata={"description": "the file's name as it was sent"})
    media_type = _text(metadata={"description": "read from the content when attached",
                                 "enum": list(KNOWN)})
    size = fields.Integer(required=True, metadata={"description": "bytes"})
    kind = _text(metadata={"enum": [k.value for k in DocumentKind]})
    description = _text()
    occurred_on = fields.Date(required=True, metadata={"description": "received or made on"})
    recorded_at = _text(metadata={"format": "date-time"})
    actor = _text()
    download = fields.Method("_download", required=True,
                             metadata={"type": "string", "description": "the file's URL"})

    def _download(self, row: dict[str, Any]) -> str:
        return url_for("api.attachment", case_id=row["case_id"], sha256=row["sha256"])


class Attachments(Schema):
    """The documents attached to a case, in the order they were recorded."""

    case_id = _text(metadata={"format": "uuid"})
    items = fields.List(fields.Nested(Attachment), required=True)


class AttachmentResult(Schema):
    """What an upload recorded: the case's new version and the attachment.

    `views_behind` > 0: it is stored, but the case's views do not show it yet.
    """

    case_id = _text(metadata={"format": "uuid"})
    version = fields.Integer(required=True)
    attachment = fields.Nested(Attachment, required=True)
    views_behind = fields.Integer(required=True)
