"""Signing in and out, sessions, tokens, CSRF, the sign-in rate limit, cookie flags, security
headers and error pages (ADR 17)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from flask import Flask

from application.clock import FixedClock
from tests.access import PASSWORD, install
from tests.web.pages_html import text
from web import create_app, secure_cookies
from web.auth.headers import CONTENT_SECURITY_POLICY

TEMPLATES = Path(__file__).parents[2] / "web" / "templates"
API = "/api/v1"


def login_token(client: Any, path: str = "/login") -> str:
    """The CSRF token of the sign-in form, as a browser would read it."""
    html = text(client.get(path))
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def sign_in(client: Any, name: str, password: str = PASSWORD, next_: str = "",
            address: str = "127.0.0.1") -> Any:
    data = {"name": name, "password": password, "csrf_token": login_token(client)}
    if next_:
        data["next"] = next_
    return client.post("/login", data=data, environ_base={"REMOTE_ADDR": address})


@pytest.fixture
def anonymous(app: Flask, seeded: dict[str, str]) -> Any:
    return app.test_client(user=None)


class TestSigningIn:
    def test_a_user_signs_in_and_lands_on_the_cases(self, anonymous: Any) -> None:
        response = sign_in(anonymous, "web-test")
        assert (response.status_code, response.headers["Location"]) == (303, "/cases")
        assert anonymous.get("/cases").status_code == 200

    def test_an_admin_lands_on_the_users(self, anonymous: Any) -> None:
        assert sign_in(anonymous, "ada.admin").headers["Location"] == "/users"
        assert "carol.counsel" in text(anonymous.get("/users"))

    def test_goes_back_to_the_page_asked_for(self, anonymous: Any) -> None:
        assert sign_in(anonymous, "web-test", next_="/audit?actor=bob").headers[
            "Location"] == "/audit?actor=bob"

    @pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/",
                                        "/\\evil.example", "javascript:alert(1)"])
    def test_never_goes_on_to_another_site(self, anonymous: Any, target: str) -> None:
        assert sign_in(anonymous, "web-test", next_=target).headers["Location"] == "/cases"

    @pytest.mark.parametrize(("name", "password"), [("web-test", "wrong password"),
                                                    ("nobody", PASSWORD), ("", "")])
    def test_a_wrong_name_or_password_says_the_same_and_signs_nobody_in(
            self, anonymous: Any, name: str, password: str) -> None:
        response = sign_in(anonymous, name, password)
        assert response.status_code == 401
        assert "Unknown user or wrong password" in text(response)
        assert anonymous.get("/cases").status_code == 302

    def test_signing_out_ends_the_session(self, anonymous: Any) -> None:
        sign_in(anonymous, "web-test")
        html = text(anonymous.get("/cases"))
        token = re.search(r'action="/logout" method="post">\s*<input type="hidden" '
                          r'name="csrf_token" value="([^"]+)"', html).group(1)
        assert anonymous.post("/logout", data={"csrf_token": token}).status_code == 303
        assert anonymous.get("/cases").status_code == 302

    def test_a_disabled_user_is_signed_out_and_cannot_sign_in(self, app: Flask,
                                                              anonymous: Any) -> None:
        sign_in(anonymous, "web-test")
        app.extensions["arrears"].service.users.disable("web-test", actor="ops")
        assert anonymous.get("/cases").status_code == 302
        assert sign_in(anonymous, "web-test").status_code == 401

    def test_a_new_password_ends_the_sessions_of_the_old_one(self, app: Flask,
                                                             anonymous: Any) -> None:
        sign_in(anonymous, "web-test")
        app.extensions["arrears"].service.users.set_password("web-test", "another password",
                                                             actor="ops")
        assert anonymous.get("/cases").status_code == 302
        assert sign_in(anonymous, "web-test", "another password").status_code == 303

    def test_a_new_role_applies_from_the_next_request(self, app: Flask) -> None:
        client = app.test_client(user="otto.auditor")
        assert client.get("/cases/new").status_code == 403
        app.extensions["arrears"].service.users.set_role("otto.auditor", "collector", "ops")
        assert client.get("/cases/new").status_code == 200


class TestRateLimit:
    def test_the_sixth_failed_sign_in_within_a_minute_gets_429(self, anonymous: Any) -> None:
        codes = [sign_in(anonymous, "web-test", "wrong password").status_code
                 for _ in range(6)]
        assert codes == [401] * 5 + [429]
        assert sign_in(anonymous, "web-test").status_code == 429  # even the right password
        assert "Too many failed sign-ins" in text(sign_in(anonymous, "web-test"))

    def test_successful_sign_ins_are_not_counted(self, app: Flask) -> None:
        for _ in range(7):
            client = app.test_client(user=None)
            assert sign_in(client, "web-test").status_code == 303

    def test_counts_each_address_apart(self, anonymous: Any) -> None:
        for _ in range(6):
            sign_in(anonymous, "web-test", "wrong password", address="127.0.0.2")
        assert sign_in(anonymous, "web-test", address="127.0.0.3").status_code == 303


class TestCsrf:
    def test_a_form_without_the_token_is_refused_and_stores_nothing(
            self, app: Flask, seeded: dict[str, str]) -> None:
        client = app.test_client()
        case_id = seeded["INV-1004"]
        before = len(app.extensions["arrears"].service.history(UUID(case_id)))
        response = client.post(f"/cases/{case_id}/add_note",
                               data={"text": "forged", "csrf_token": "not-a-token"})
        assert response.status_code == 400
        assert "This form has expired or was not sent from this site" in text(response)
        assert len(app.extensions["arrears"].service.history(UUID(case_id))) == before

    @pytest.mark.parametrize("path", ["/cases/new", "/login", "/logout"])
    def test_every_form_needs_it(self, app: Flask, seeded: dict[str, str], path: str) -> None:
        assert app.test_client().post(path, data={"csrf_token": ""}).status_code == 400

    @pytest.mark.parametrize("path", ["/cases/new", "/cases/{case}", "/login", "/users",
                                      "/dashboard"])
    def test_every_post_form_on_a_page_carries_the_token(self, app: Flask,
                                                         seeded: dict[str, str],
                                                         path: str) -> None:
        user = "ada.admin" if path == "/users" else None if path == "/login" else "web-test"
        html = text(app.test_client(user=user).get(path.format(case=seeded["INV-1004"])))
        forms = re.findall(r"<form[^>]*method=\"post\"[^>]*>(.*?)</form>", html, re.S)
        assert forms
        assert all('name="csrf_token"' in form for form in forms)

    def test_the_api_takes_no_csrf_token_but_a_bearer_token(self, app: Flask,
                                                            seeded: dict[str, str]) -> None:
        response = app.test_client().post(f"{API}/cases/{seeded['INV-1004']}/add_note",
                                          json={"text": "by the API"})
        assert response.status_code == 201


class TestApiTokens:
    def test_a_session_cookie_does_not_sign_in_to_the_api(self, app: Flask,
                                                          anonymous: Any) -> None:
        sign_in(anonymous, "web-test")
        assert anonymous.get("/cases").status_code == 200
        assert anonymous.get(f"{API}/cases").status_code == 401

    @pytest.mark.parametrize("header", ["Bearer nonsense", "Bearer arrears_nonsense",
                                        "Basic d2ViLXRlc3Q6eA==", "Bearer "])
    def test_a_wrong_token_is_401(self, anonymous: Any, header: str) -> None:
        response = anonymous.get(f"{API}/cases", headers={"Authorization": header})
        assert response.status_code == 401

    def test_a_new_token_replaces_the_old_and_a_disabled_users_token_stops(
            self, app: Flask, anonymous: Any) -> None:
        users = app.extensions["arrears"].service.users
        first = users.issue_token("otto.auditor", actor="ops")
        second = users.issue_token("otto.auditor", actor="ops")

        def get(token: str) -> int:
            return anonymous.get(f"{API}/cases", headers={
                "Authorization": f"Bearer {token}"}).status_code
        assert (get(first), get(second)) == (401, 200)
        users.disable("otto.auditor", actor="ops")
        assert get(second) == 401

    def test_the_token_is_stored_only_as_its_hash(self, app: Flask) -> None:
        users = app.extensions["arrears"].service.users
        token = users.issue_token("otto.auditor", actor="ops")
        stored = b"".join(e.state for e in users.store.recorder.select_events(
            users.directory().id))
        assert token.encode() not in stored
        assert PASSWORD.encode() not in stored


class TestHeaders:
    @pytest.mark.parametrize(("user", "path"), [
        ("web-test", "/cases"), ("web-test", "/dashboard"), (None, "/login"),
        (None, "/cases"), ("web-test", "/nowhere"), ("web-test", "/static/arrears.css"),
        ("web-test", f"{API}/cases"), (None, f"{API}/cases"), ("ada.admin", "/cases"),
        ("web-test", "/healthz")])
    def test_every_response_has_them(self, app: Flask, seeded: dict[str, str],
                                     user: str | None, path: str) -> None:
        with app.test_client(user=user).get(path) as response:
            headers = response.headers
        assert headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"

    def test_the_policy_allows_no_inline_script_or_style(self) -> None:
        assert "unsafe-inline" not in CONTENT_SECURITY_POLICY
        assert "script-src 'self'" in CONTENT_SECURITY_POLICY
        assert "style-src 'self'" in CONTENT_SECURITY_POLICY
        assert "frame-ancestors 'none'" in CONTENT_SECURITY_POLICY

    @pytest.mark.parametrize("template", sorted(p.name for p in TEMPLATES.rglob("*.html")))
    def test_no_template_has_inline_script_or_style(self, template: str) -> None:
        source = next(TEMPLATES.rglob(template)).read_text(encoding="utf-8")
        assert re.findall(r"<script|<style|\sstyle=|\son[a-z]+=|javascript:", source) == []

    @pytest.mark.parametrize("path", ["/dashboard", "/cases", "/cases/{case}",
                                      "/debtors/acme trading ltd", "/audit", "/cases/new"])
    def test_no_page_has_inline_script_or_style(self, app: Flask, seeded: dict[str, str],
                                                path: str) -> None:
        html = text(app.test_client().get(path.format(case=seeded["INV-1003"])))
        assert re.findall(r"<script|<style|\sstyle=|\son[a-z]+=", html) == []

    def test_pages_are_not_cached(self, app: Flask, seeded: dict[str, str]) -> None:
        assert app.test_client().get("/cases").headers["Cache-Control"] == "no-store"


def plain_app(tmp_path: Path, **config: Any) -> Flask:
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'events.db'}",
                      "READMODEL_URL": f"sqlite:///{tmp_path / 'readmodels.db'}",
                      "CLOCK": FixedClock(datetime(2026, 3, 2, 9, tzinfo=UTC)),
                      "FOLLOW": False, "SECRET_KEY": "test", **config})
    return install(app, {"web-test": "collector"}, "web-test")


class TestCookies:
    def test_the_session_cookie_is_httponly_samesite_lax_and_secure(self, tmp_path) -> None:
        app = plain_app(tmp_path)  # not TESTING: as served
        client = app.test_client(user=None)
        site = "https://arrears.example"
        html = text(client.get("/login", base_url=site))
        token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
        response = client.post("/login", base_url=site, headers={"Referer": f"{site}/login"},
                               data={"name": "web-test", "password": PASSWORD,
                                     "csrf_token": token})
        assert response.status_code == 303
        cookie = response.headers["Set-Cookie"]
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" in cookie

    @pytest.mark.parametrize(("testing", "env", "secure"), [
        (False, {}, True), (True, {}, False), (False, {"ARREARS_SECURE_COOKIES": "0"}, False),
        (True, {"ARREARS_SECURE_COOKIES": "1"}, True)])
    def test_are_secure_unless_testing_or_switched_off(self, testing: bool,
                                                       env: dict[str, str],
                                                       secure: bool) -> None:
        assert secure_cookies(testing, env) is secure


class TestErrorPages:
    @pytest.fixture
    def failing(self, tmp_path: Path) -> Flask:
        app = plain_app(tmp_path, PROPAGATE_EXCEPTIONS=False)

        def broken() -> str:
            raise RuntimeError("secret detail of the failure")
        broken.access = "signed_in"  # type: ignore[attr-defined]
        app.add_url_rule("/broken", "broken", broken)
        app.add_url_rule(f"{API}/broken", "api.broken", broken)
        return app

    @pytest.mark.parametrize("path", ["/broken", f"{API}/broken"])
    def test_a_failure_shows_no_stack_trace(self, failing: Flask, path: str) -> None:
        response = failing.test_client().get(path)
        body = text(response)
        assert response.status_code == 500
        assert "Traceback" not in body and "secret detail" not in body
        assert "RuntimeError" not in body and ".py" not in body

    def test_a_view_that_declares_nothing_is_refused(self, tmp_path: Path) -> None:
        app = plain_app(tmp_path)
        app.add_url_rule("/undeclared", "undeclared", lambda: "open to all?")
        assert app.test_client().get("/undeclared").status_code == 403
        assert app.test_client(user=None).get("/undeclared").status_code == 302
