"""Signed-in test clients: like a browser with a session (and the CSRF token in its forms),
and like an API client with its user's bearer token.

`install(app, users, default)` adds the users (a cheap argon2 profile, for speed: the hash
records its own parameters) and makes every `app.test_client()` signed in as `default`;
`app.test_client(user=None)` is anonymous, `app.test_client(user="name")` someone else.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from typing import Any

from argon2 import PasswordHasher
from flask import Flask
from flask.testing import FlaskClient
from itsdangerous import URLSafeTimedSerializer
from werkzeug.datastructures import MultiDict

from application.users.accounts import Accounts, session_id

CHEAP_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
PASSWORD = "a test password"
_DEFAULT = object()
# One user of each other role, beside each suite's own collector.
OTHERS = {"ada.admin": "admin", "carol.counsel": "counsel", "otto.auditor": "auditor"}


def accounts(app: Flask) -> Accounts:
    return app.extensions["arrears"].service.users


def token_for(app: Flask, name: str) -> str:
    """The user's API token, issued once per app (a new token replaces the earlier one)."""
    tokens = app.extensions.setdefault("test_tokens", {})
    if name not in tokens:
        tokens[name] = accounts(app).issue_token(name, actor="tests")
    return tokens[name]


class Client(FlaskClient):
    """A test client signed in as `user` (None: anonymous) on the pages and the API."""

    def __init__(self, *args: Any, user: Any = _DEFAULT, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        name = self.application.config.get("TEST_USER") if user is _DEFAULT else user
        self.user = name
        if name:
            self.sign_in(name)

    def sign_in(self, name: str) -> None:
        """A session as /login leaves it, and the user's bearer token for the API."""
        account = accounts(self.application).get(name)
        assert account is not None, f"no test user {name!r}"
        with self.session_transaction() as session:
            session["_user_id"] = session_id(account)
            session["_fresh"] = True
        self.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token_for(self.application, name)}"

    def csrf_token(self) -> str:
        """A valid CSRF token for this client's session (as a page's form carries it)."""
        with self.session_transaction() as session:
            raw = session.setdefault("csrf_token", hashlib.sha1(os.urandom(64)).hexdigest())
        signer = URLSafeTimedSerializer(self.application.secret_key, salt="wtf-csrf-token")
        return str(signer.dumps(raw))

    def open(self, *args: Any, **kwargs: Any) -> Any:
        """A form posted to a page carries the CSRF token, as the page's form would."""
        data = kwargs.get("data")
        path = str(args[0]) if args else str(kwargs.get("path", ""))
        if (kwargs.get("method") == "POST" and isinstance(data, Mapping)
                and "csrf_token" not in data and not path.startswith("/api/")):
            posted = data.copy() if isinstance(data, MultiDict) else dict(data)
            posted["csrf_token"] = self.csrf_token()
            kwargs["data"] = posted
        return super().open(*args, **kwargs)


def install(app: Flask, users: Mapping[str, str], default: str | None) -> Flask:
    """Add the users {name: role} and sign every new test client in as `default`."""
    store = accounts(app)
    store.hasher = CHEAP_HASHER
    for name, role in users.items():
        if store.get(name) is None:
            store.add(name, role, PASSWORD, actor="tests")
    app.config["TEST_USER"] = default
    app.test_client_class = Client
    return app
