"""Error pages in the site's layout; requests under /api/ keep the API's own handling."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, abort, render_template, request
from werkzeug.exceptions import HTTPException

from web.context import read_side

EXPLANATIONS = {
    400: "The request could not be understood.",
    403: "This request is not allowed.",
    404: "There is nothing at this address. The case or debtor may not exist.",
    405: "This address does not accept that kind of request.",
    413: "What was sent is larger than this server accepts; nothing was stored.",
    500: "Something went wrong on our side; the error is logged.",
}
# What is added when it may not be what it seems. A failure after the save cannot undo it.
AFTER_A_POST = ("What this form recorded may have been stored all the same: look at the case "
                "(or the audit trail) before sending it again.")
NOT_SHOWN_YET = "The views are behind, so a case recorded just now may not show yet."


def _page(error: HTTPException) -> HTTPException | tuple[str, int]:
    """The error in the site's layout (or untouched for the API)."""
    if request.path.startswith("/api/"):
        return error
    code = error.code or 500
    explanation = EXPLANATIONS.get(code, error.description)
    if code >= 500 and request.method == "POST":
        explanation = f"{explanation} {AFTER_A_POST}"
    elif code == 404 and (side := read_side()) and side.lag:
        explanation = f"{explanation} {NOT_SHOWN_YET}"
    return render_template("error.html", code=code, name=error.name,
                           explanation=explanation), code


def check_same_origin() -> None:
    """Refuse a form posted from another site (a browser sends Origin with every POST)."""
    if request.method != "POST" or request.path.startswith("/api/"):
        return
    origin = request.headers.get("Origin")
    if request.headers.get("Sec-Fetch-Site") == "cross-site" or (
            origin and origin != "null" and urlsplit(origin).netloc != request.host):
        abort(403)


def register(app: Flask) -> None:
    for code in EXPLANATIONS:
        app.register_error_handler(code, _page)
    app.before_request(check_same_origin)
