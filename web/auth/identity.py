"""Who is asking: the signed-in user of a page (the session) or of an API call (its token).

A page's session holds `session_id(account)`: a new password ends it, and a disabled user
is signed out at the next request. The API ignores the session cookie: only
`Authorization: Bearer TOKEN` signs an API request in (so the API needs no CSRF token).
"""

from __future__ import annotations

from flask import Request, current_app, request
from flask_login import LoginManager, UserMixin, current_user

from application.users.accounts import Accounts, session_id
from application.users.directory import Account
from application.users.roles import Role


class SignedIn(UserMixin):
    """The signed-in user, as Flask-Login sees them."""

    def __init__(self, account: Account) -> None:
        self.account = account

    @property
    def name(self) -> str:
        return self.account.name

    @property
    def role(self) -> Role:
        return self.account.role

    def get_id(self) -> str:
        return session_id(self.account)


def accounts() -> Accounts:
    return current_app.extensions["arrears"].service.users


def is_api() -> bool:
    return request.blueprint == "api"


def from_session(value: str) -> SignedIn | None:
    if is_api():
        return None
    account = accounts().active(value.partition(":")[0])
    return SignedIn(account) if account and session_id(account) == value else None


def from_token(req: Request) -> SignedIn | None:
    if not is_api():
        return None
    scheme, _, token = req.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    account = accounts().by_token(token.strip())
    return SignedIn(account) if account else None


def register(manager: LoginManager) -> None:
    manager.user_loader(from_session)
    manager.request_loader(from_token)


def actor() -> str:
    """Who records what this request stores: the signed-in user."""
    if not current_user.is_authenticated:
        raise RuntimeError("a command reached the application without a signed-in user")
    return current_user.name
