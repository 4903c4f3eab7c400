"""The users page (admin): who may sign in, with which role. Changed with `arrears users`."""

from __future__ import annotations

from flask import Blueprint, render_template

from application.users.roles import Permission
from web.auth.access import allow
from web.context import arrears

bp = Blueprint("users", __name__)


@bp.get("/users")
@allow(Permission.MANAGE_USERS)
def index() -> str:
    """Every user: role, whether disabled, whether they have an API token, when added."""
    return render_template("users.html", accounts=arrears().service.users.all())
