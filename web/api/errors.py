"""Errors under /api/v1 are JSON, {"errors": {field: [messages]}}, never an HTML page.

Handlers are registered on the blueprint for every HTTP error code, so they win over any
app-wide HTML handler inside API views. A URL that matches no route (404) or not with that
method (405) never reaches a blueprint's handlers, so those are answered before dispatch,
for paths under the blueprint's prefix only.
"""

from __future__ import annotations

from flask import Response, current_app, jsonify, request
from werkzeug.exceptions import HTTPException, default_exceptions

from web.api import bp
from web.schemas.readmodels import Errors

# Which field an HTTP error concerns when nothing more precise is known.
_FIELDS = {404: "url", 405: "method", 413: "body", 415: "body", 500: "server"}
FAILED = "the server failed; the error is logged"
# A failure after the save cannot undo it: a write may be stored even though it failed.
FAILED_AFTER_A_WRITE = (f"{FAILED}; the command may have been stored all the same: read the "
                        "case before sending it again")


class ApiError(Exception):
    """Refuse a request with a status and messages by field."""

    def __init__(self, status: int, errors: dict[str, list[str]]) -> None:
        super().__init__(errors)
        self.status = status
        self.errors = errors


def error_response(status: int, errors: dict[str, list[str]]) -> Response:
    response = jsonify(Errors().dump({"errors": errors}))
    response.status_code = status
    return response


@bp.errorhandler(ApiError)
def _api_error(error: ApiError) -> Response:
    return error_response(error.status, error.errors)


def _http_error(error: HTTPException) -> Response:
    code = error.code or 500
    message = error.description if code != 500 else (
        FAILED_AFTER_A_WRITE if request.method == "POST" else FAILED)
    response = error_response(code, {_FIELDS.get(code, "_schema"): [str(message)]})
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


for _code in default_exceptions:
    bp.register_error_handler(_code, _http_error)


@bp.record
def _remember_prefix(state) -> None:  # type: ignore[no-untyped-def]
    state.app.extensions["arrears_api_prefix"] = state.url_prefix or ""


@bp.before_app_request
def _routing_error() -> Response | None:
    """A 404 or 405 under the API's prefix, answered as JSON before any HTML handler."""
    error = request.routing_exception
    if not isinstance(error, HTTPException) or (error.code or 0) < 400:
        return None
    prefix = current_app.extensions.get("arrears_api_prefix", "")
    if not (request.path == prefix or request.path.startswith(prefix + "/")):
        return None
    return _http_error(error)
