"""One log line per web request (logger `arrears.request`), set up with the app's logging.

    {"message": "request", "method": "POST", "route": "/cases/<uuid:case_id>/payments",
     "status": 303, "duration_ms": 41.2, "user": "priya.shah", "case_id": "..."}

The route is the URL rule's template, never the path as sent nor its query string (which
may carry a debtor's name from a search); the case id comes from the route's arguments.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from flask import Flask, Response, g, request
from flask_login import current_user

from application.logs import configure_logging, fields

log = logging.getLogger("arrears.request")


def register(app: Flask) -> None:
    """JSON logs (ARREARS_LOG_LEVEL, default info; not for a TESTING app, whose tests set
    up logging themselves) and a line after every request."""
    if not app.testing:
        configure_logging(default="INFO")
    app.before_request(_start)
    app.after_request(_line)


def _start() -> None:
    g.arrears_started = time.perf_counter()


def _line(response: Response) -> Response:
    if log.isEnabledFor(logging.INFO):
        started = g.get("arrears_started")
        line: dict[str, Any] = {
            "method": request.method,
            "route": request.url_rule.rule if request.url_rule is not None else None,
            "status": response.status_code,
            "duration_ms": None if started is None
            else round((time.perf_counter() - started) * 1000, 1),
            "user": _user()}
        case_id = (request.view_args or {}).get("case_id")
        if case_id is not None:
            line["case_id"] = str(case_id)
        log.info("request", extra=fields(**line))
    return response


def _user() -> str | None:
    try:
        return current_user.name if current_user.is_authenticated else None
    except Exception:  # no user loader for this request (the login manager not set up)
        return None
