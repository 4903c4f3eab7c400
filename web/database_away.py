"""While the database is away: 503 with a plain page (the API: JSON), never a traceback.

The page is plain HTML, not the site's layout: the layout reads the views and the signed-in
user, which need the database too. The app recovers by itself: the next request after the
database returns is served as usual.
"""

from __future__ import annotations

import logging
import sqlite3
from html import escape

import psycopg
from eventsourcing import persistence
from flask import Flask, Response, jsonify, request
from sqlalchemy import exc

from application.availability import DatabaseUnavailable, unavailable

log = logging.getLogger(__name__)
RETRY_AFTER = "5"
AFTER_A_POST = ("Nothing of what this form sent was stored, unless it was stored just before "
                "the database went away: look at the case before sending it again.")
PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>503 Database unavailable</title></head>
<body><h1>503 Database unavailable</h1><p>{reason}</p><p>{advice}</p>
<p>Arrears tries again by itself: reload this page in a few seconds.</p></body></html>
"""
# What a database that went away raises, before `unavailable` looks closer.
FAULTS = (DatabaseUnavailable, persistence.OperationalError, persistence.InterfaceError,
          psycopg.OperationalError, psycopg.InterfaceError, sqlite3.OperationalError,
          exc.OperationalError, exc.InterfaceError, exc.TimeoutError)


def answer(error: Exception) -> Response:
    """503 naming why, as a plain page or (under /api/) JSON; other failures stay 500s."""
    away = unavailable(error)
    if away is None:
        raise error
    log.warning("database unavailable: %s %s: %s", request.method, request.path, away.reason)
    if request.path.startswith("/api/"):
        response = jsonify({"errors": {"database": [away.reason]}})
    else:
        advice = AFTER_A_POST if request.method == "POST" else ""
        response = Response(PAGE.format(reason=escape(away.reason), advice=advice),
                            mimetype="text/html")
    response.status_code = 503
    response.headers["Retry-After"] = RETRY_AFTER
    return response


def register(app: Flask) -> None:
    for fault in FAULTS:
        app.register_error_handler(fault, answer)
