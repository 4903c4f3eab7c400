"""One gate before every view: each view declares what it needs, anything undeclared is
refused (fail closed). The answers are the README's table (Users and access):

- not signed in: a page redirects (302) to /login; the API answers 401;
- signed in without the permission: 403, whatever the case (nothing is looked up);
- counsel asking for a case no referral names them on: 404, as for a case that does not
  exist (`web.context.views` shows them only their cases).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import abort, current_app, jsonify, redirect, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from application.users.roles import Permission, can
from web.auth.identity import is_api

F = TypeVar("F", bound=Callable)
PUBLIC = "public"  # anyone, signed in or not
SIGNED_IN = "signed_in"  # anyone signed in
PUBLIC_ENDPOINTS = frozenset({"static"})
SIGN_IN_WITH_A_TOKEN = ("sign in with an API token: Authorization: Bearer TOKEN "
                        "(the operator prints one with `arrears users token NAME`)")


def allow(need: Permission | str) -> Callable[[F], F]:
    """Declare what a view needs: a Permission, SIGNED_IN or PUBLIC."""
    def mark(view: F) -> F:
        view.access = need  # type: ignore[attr-defined]
        return view
    return mark


def needs(endpoint: str) -> Permission | str | None:
    """What the endpoint's view declared (None: nothing, so it is refused)."""
    if endpoint in PUBLIC_ENDPOINTS:
        return PUBLIC
    return getattr(current_app.view_functions.get(endpoint), "access", None)


def may(need: Permission | str) -> bool:
    """Whether the current user may do it (templates: which links and forms to show)."""
    if need == PUBLIC:
        return True
    if not current_user.is_authenticated:
        return False
    return need == SIGNED_IN or can(current_user.role, Permission(need))


def gate() -> Response | None:
    """Before every view: sign-in first, then the view's permission."""
    if request.endpoint is None or request.routing_exception is not None:
        return None  # 404 or 405: nothing to protect
    need = needs(request.endpoint)
    if need == PUBLIC:
        return None
    if not current_user.is_authenticated:
        return _sign_in_first()
    if need is None or not may(need):
        abort(403, description=f"a user with the role {current_user.role.value} may not "
                               "do this")
    return None


def _sign_in_first() -> Response:
    if is_api():
        response = jsonify({"errors": {"authorization": [SIGN_IN_WITH_A_TOKEN]}})
        response.status_code = 401
        response.headers["WWW-Authenticate"] = 'Bearer realm="arrears"'
        return response
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
