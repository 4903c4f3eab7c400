"""The case page's letters: the PDF a demand, a letter of claim or a reminder by post rests
on, served from the letter store, checked against the SHA-256 its event records."""

from __future__ import annotations

import base64
import json
import logging
import re
from typing import Any

from flask import Blueprint, Response, abort, render_template

from application.attachments.store import BlobError
from application.users.roles import Permission
from web.auth.access import allow
from web.context import arrears, get_case, views

bp = Blueprint("letters", __name__)
log = logging.getLogger(__name__)
UNSAFE = re.compile(r"[^A-Za-z0-9.-]+")


def letter_sha256(details: str | dict[str, Any] | None) -> str:
    """The letter_sha256 of a timeline row's details (stored as JSON), or ""."""
    data = json.loads(details) if isinstance(details, str) else (details or {})
    return str(data.get("letter_sha256") or "")


@bp.get("/cases/<case_id>/letters/<int:version>.pdf")
@allow(Permission.READ_CASES)
def download(case_id: str, version: int) -> Response | tuple[str, int]:
    """The letter of the case's event at `version`, as kept; 404 if that event has none,
    500 (and nothing served) if the stored PDF no longer matches the event's SHA-256."""
    case = get_case(case_id)
    row = next((r for r in views().timeline(case_id) if r["version"] == version), None)
    sha256 = letter_sha256(row["details"]) if row else ""
    letters = arrears().letters
    if not sha256 or letters is None:
        abort(404)
    try:
        content = letters.store.get(sha256)
    except BlobError as error:
        log.error("letter of event %s of case %s not served: %s", version, case_id,
                  error.message)
        return render_template(
            "error.html", code=500, name="Stored letter not served",
            explanation=f"The stored letter of event {version} cannot be served: "
                        f"{error.message}. The event still records its SHA-256 ({sha256})."), 500
    name = UNSAFE.sub("_", case["invoice_number"])[:60]
    response = Response(content, mimetype="application/pdf")
    digest = base64.b64encode(bytes.fromhex(sha256)).decode("ascii")
    response.headers.update({
        "Content-Disposition": f'attachment; filename="letter-{name}-v{version}.pdf"',
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; sandbox",
        "Cache-Control": "private, no-store",
        "ETag": f'"{sha256}"',
        "Repr-Digest": f"sha-256=:{digest}:",
    })
    return response
