"""The Flask app: HTML pages for people, a JSON API under /api/v1. Thin: it calls application/."""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask, Response, current_app, jsonify

from application.availability import unavailable
from application.bootstrap import build
from application.clock import clock_from_env
from application.readmodels.follower import Follower
from application.readmodels.status import behind, error_text
from application.settings import DEFAULT_CREDITOR, database_url
from web import requestlog
from web.auth.access import PUBLIC, allow

log = logging.getLogger(__name__)

# The largest request body taken (1 MiB): a JSON command or a form is a few kilobytes.
MAX_BODY = 1024 * 1024


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app: defaults, then the environment, then the test config.

    Config keys: DATABASE_URL (events; default ARREARS_DATABASE_URL), READMODEL_URL,
    CLOCK (an application.clock.Clock; default ARREARS_TODAY's fixed clock, else the
    system clock), MAILER (an application.mail.Mailer; default from ARREARS_SMTP_* and
    ARREARS_MAIL_FROM), FOLLOW (run the projection follower thread; default True), SECRET_KEY
    (default ARREARS_SECRET_KEY, else a random key per process), SESSION_COOKIE_SECURE
    (default: on, unless TESTING or ARREARS_SECURE_COOKIES=0), PASSWORD_HASHER (an
    argon2.PasswordHasher; default argon2-cffi's), MAX_JSON_BODY (the largest JSON body in
    bytes; default MAX_BODY, 1 MiB: a larger one is refused with 413), SIGNING_KEY (the key
    file that signs evidence bundles; default ARREARS_SIGNING_KEY, else
    var/signing-key.pem) or BUNDLE_SOURCES (the bundles' signer, chain and attachments:
    `application.bundles.ports.BundleSources`), BLOB_DIR (attachments' bytes; default
    ARREARS_BLOB_DIR, else var/blobs), ATTACHMENT_POLICY (an AttachmentPolicy; default from
    ARREARS_ATTACHMENT_MAX_BYTES and ARREARS_ATTACHMENT_TYPES), MAX_CONTENT_LENGTH (any
    request; default: the attachment limit and 1 MiB for the rest of a form). Every command
    is recorded with the signed-in user as its actor (ADR 17).
    """
    app = Flask(__name__)
    app.config.from_mapping(
        DATABASE_URL=database_url(),
        READMODEL_URL=os.environ.get("ARREARS_READMODEL_URL") or None,
        CLOCK=None,
        MAILER=None,
        CREDITOR=os.environ.get("ARREARS_CREDITOR") or DEFAULT_CREDITOR,
        FOLLOW=True,
        SECRET_KEY=os.environ.get("ARREARS_SECRET_KEY") or secrets.token_hex(32),
        MAX_JSON_BODY=MAX_BODY,
        BLOB_DIR=os.environ.get("ARREARS_BLOB_DIR") or None,
        ATTACHMENT_POLICY=None,
    )
    app.config["SESSION_COOKIE_SECURE"] = secure_cookies(bool((test_config or {}).get("TESTING")))
    if test_config:
        app.config.update(test_config)
    arrears = build(app.config["DATABASE_URL"], clock=app.config["CLOCK"] or clock_from_env(),
                    readmodels=app.config["READMODEL_URL"], creditor=app.config["CREDITOR"],
                    blobs=app.config["BLOB_DIR"],
                    attachment_policy=app.config["ATTACHMENT_POLICY"],
                    mailer=app.config["MAILER"])
    if app.config.get("MAX_CONTENT_LENGTH") is None:
        from web.uploading import FORM_ALLOWANCE

        app.config["MAX_CONTENT_LENGTH"] = arrears.attachments.policy.max_bytes + FORM_ALLOWANCE
    arrears.projector.catch_up()
    app.extensions["arrears"] = arrears
    if app.config.get("PASSWORD_HASHER") is not None:
        arrears.service.users.hasher = app.config["PASSWORD_HASHER"]
    if app.config["FOLLOW"]:
        app.extensions["arrears_follower"] = Follower(arrears.projector).start()
    _register_blueprints(app)
    _register_filters(app)
    requestlog.register(app)  # JSON logs, a line per request (ARREARS_LOG_LEVEL)
    from web import database_away

    database_away.register(app)
    app.add_url_rule("/healthz", "healthz", _healthz)
    return app


def secure_cookies(testing: bool, environ: dict[str, str] | None = None) -> bool:
    """Cookies only over HTTPS, unless testing or ARREARS_SECURE_COOKIES=0 (plain-HTTP
    development on the loopback address: `arrears serve --host 127.0.0.1` sets it)."""
    env = os.environ if environ is None else environ
    setting = env.get("ARREARS_SECURE_COOKIES", "").strip()
    if setting in ("0", "1"):
        return setting == "1"
    return not testing


@allow(PUBLIC)
def _healthz() -> tuple[Response, int]:
    """Where the read side stands, as JSON: 200 with the lag and the event it is stuck at
    (status `ok`, `behind` or `stuck`); 503 only when a database cannot be reached.

    One status query: the baseline the view benchmarks compare against.
    """
    try:
        status = current_app.extensions["arrears"].projector.status()
    except Exception as error:
        log.exception("/healthz: the status could not be read")
        away = unavailable(error)
        return jsonify({"status": "unavailable",
                        "error": away.reason if away else error_text(error)}), 503
    return jsonify({"status": status.state, **status.as_dict()}), 200


def _register_blueprints(app: Flask) -> None:
    from web import auth
    from web.api import bp as api
    from web.pages import register as register_pages

    app.register_blueprint(api, url_prefix="/api/v1")
    register_pages(app)
    auth.init(app)


def _register_filters(app: Flask) -> None:
    from web import formatting, links

    formatting.register(app)
    links.register(app)
    from web.context import read_side

    app.add_template_global(read_side, "read_side")
    app.add_template_global(behind, "views_behind_text")


def static_root() -> Path:
    return Path(__file__).parent / "static"
