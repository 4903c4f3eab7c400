"""Signing in and out of the pages. The API signs in with tokens instead (identity.py)."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, redirect, render_template, request, session, url_for
from flask_limiter import Limiter
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from application.users.roles import Permission, can
from web.auth.access import PUBLIC, SIGNED_IN, allow
from web.auth.identity import SignedIn, accounts

# Failed sign-ins allowed from one address per minute; the next one is refused with 429.
SIGN_IN_LIMIT = "5 per minute"
WRONG = "Unknown user or wrong password (or the user is disabled)."


def safe_next(target: str | None) -> str | None:
    """A path on this site to go back to after signing in; never another site."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") \
            or "\\" in target:
        return None
    return target


def home() -> str:
    """Where a user lands: the cases, or the users page for an admin."""
    if can(current_user.role, Permission.READ_CASES):
        return url_for("cases.index")
    return url_for("users.index")


def blueprint(limiter: Limiter) -> Blueprint:
    """The sign-in pages, rate-limited by this app's limiter."""
    bp = Blueprint("auth", __name__)

    @bp.get("/login")
    @allow(PUBLIC)
    def login() -> str | Response:
        """The sign-in form (a signed-in user goes on to their home page)."""
        if current_user.is_authenticated:
            return redirect(home())
        return render_template("login.html", name="", next=safe_next(request.args.get("next")),
                               error="")

    @bp.post("/login")
    @allow(PUBLIC)
    @limiter.limit(SIGN_IN_LIMIT, deduct_when=lambda response: response.status_code == 401)
    def sign_in() -> tuple[str, int] | Response:
        """Check name and password; on success start a new session and go on."""
        name = request.form.get("name", "").strip()
        target = safe_next(request.form.get("next"))
        account = accounts().sign_in(name, request.form.get("password", ""))
        if account is None:
            return render_template("login.html", name=name, next=target, error=WRONG), 401
        session.clear()  # nothing of the session before sign-in is kept
        login_user(SignedIn(account))
        return redirect(target or home(), code=303)

    @bp.post("/logout")
    @allow(SIGNED_IN)
    def logout() -> Response:
        """End the session."""
        logout_user()
        session.clear()
        return redirect(url_for("auth.login"), code=303)

    return bp
