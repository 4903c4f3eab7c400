"""Signing in and who may do what (ADR 17): sessions for pages, bearer tokens for the API,
one gate before every view, CSRF on every form, security headers on every response."""

from __future__ import annotations

from flask import Flask
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

from web.auth import access, headers, identity, views


def init(app: Flask) -> None:
    """Sessions, the access gate, CSRF, the sign-in rate limit and the security headers."""
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.config["SESSION_COOKIE_SAMESITE"] = app.config.get("SESSION_COOKIE_SAMESITE") or "Lax"
    manager = LoginManager(app)
    manager.session_protection = "basic"
    identity.register(manager)
    app.before_request(access.gate)
    csrf = CSRFProtect(app)
    from web.api import bp as api

    csrf.exempt(api)  # the API takes bearer tokens, never the session cookie
    limiter = Limiter(get_remote_address, app=app, storage_uri="memory://",
                      default_limits=[], headers_enabled=True)
    app.register_blueprint(views.blueprint(limiter))
    headers.register(app)
    app.add_template_global(access.may, "may")
