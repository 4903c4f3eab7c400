"""The web app under a real multi-process server (issue 15, "Load and concurrency"):
gunicorn with several workers on PostgreSQL, many writers on one case at once. Every
request is stored or loses a race (409, saying to reload); nobody gets a 500, and the case
holds one event per success. Through the JSON API (bearer token) and through the HTML
form a person sends (a signed-in session, the form's CSRF and one-time tokens).
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from html import unescape
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlencode
from uuid import UUID

import pytest

from application.service import CaseService
from domain.money import Money
from domain.values import Debtor
from tests.commands import open_case

pytest.importorskip("gunicorn")
ROOT = Path(__file__).resolve().parents[2]
POSTGRES_ONLY = pytest.mark.parametrize(
    "database_url", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True)
WORKERS, WRITERS, REQUESTS = 3, 8, 60
FORMS = 40  # the HTML writers' forms, each rendered (with its own one-time token) first
PASSWORD = "a long password 1"
RELOAD = "the case was changed by someone else meanwhile; reload it and try again"


@dataclass(frozen=True)
class Served:
    """gunicorn serving the app on the test's schema: its address, a case, a user's token."""

    base: str
    case_id: UUID
    token: str
    database_url: str

    def events(self) -> int:
        service = CaseService(self.database_url)
        try:
            return len(service.history(self.case_id))
        finally:
            service.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def cli(env: dict[str, str], *args: str, stdin: str = "") -> str:
    done = subprocess.run([sys.executable, "-m", "cli.main", *args], cwd=ROOT, env=env,
                          input=stdin, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def wait_for(base: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 90
    while True:
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=5)
            return
        except OSError:
            assert server.poll() is None and time.monotonic() < deadline, "no server"
            time.sleep(0.5)


@pytest.fixture
def served(database_url: str) -> Iterator[Served]:
    env = {**os.environ, "ARREARS_DATABASE_URL": database_url, "ARREARS_ACTOR": "admin",
           "ARREARS_SECRET_KEY": "x" * 32, "ARREARS_SECURE_COOKIES": "0"}
    service = CaseService(database_url)
    try:
        case_id = open_case(service, invoice_number="G-1", debtor=Debtor("Gunicorn Ltd"),
                            amount=Money.of("100", "EUR"), issue_date=date(2026, 1, 1),
                            due_date=date(2026, 1, 2))
    finally:
        service.close()
    cli(env, "users", "add", "ann", "--role", "collector", stdin=f"{PASSWORD}\n" * 2)
    token = cli(env, "users", "token", "ann")
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-w", str(WORKERS), "-b",
                               f"127.0.0.1:{port}", "--timeout", "120", "web:create_app()"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base, server)
        yield Served(base, case_id, token, database_url)
    finally:
        server.terminate()
        server.wait(30)


def post(url: str, token: str, body: dict) -> tuple[int, dict]:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Authorization": f"Bearer {token}",
                                              "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


@POSTGRES_ONLY
def test_concurrent_writers_on_one_case_get_201_or_409_never_500(served, capsys):
    url = f"{served.base}/api/v1/cases/{served.case_id}/add_note"
    with ThreadPoolExecutor(WRITERS) as pool:
        answers = list(pool.map(lambda n: post(url, served.token, {"text": f"note {n}"}),
                                range(REQUESTS)))
    statuses = [status for status, _ in answers]
    assert set(statuses) <= {201, 409}, statuses
    for status, body in answers:
        if status == 409:
            assert "reload" in json.dumps(body), body
    assert served.events() == 1 + statuses.count(201)
    with capsys.disabled():
        print(f"\ngunicorn: {WORKERS} workers, {REQUESTS} writes on one case from {WRITERS} "
              f"threads: {statuses.count(201)} stored, {statuses.count(409)} conflicts (409)")


class NoRedirects(urllib.request.HTTPRedirectHandler):
    """A form's answer as sent: 303 back to the case when stored, the page otherwise."""

    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


def hidden_fields(form: str) -> dict[str, str]:
    return {name: unescape(value) for name, value in re.findall(
        r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form)}


def note_form(html: str, case_id: UUID) -> dict[str, str]:
    """The hidden fields (CSRF token, one-time token) of the case page's add-note form."""
    action = f'action="/cases/{case_id}/add_note"'
    start = html.index(action)
    return hidden_fields(html[start:html.index("</form>", start)])


def signed_in(base: str) -> tuple[urllib.request.OpenerDirector, CookieJar]:
    """A browser-like client: signed in as ann through the sign-in page's form."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/login", timeout=60).read().decode()
    fields = {**hidden_fields(page), "name": "ann", "password": PASSWORD}
    with opener.open(f"{base}/login", data=urlencode(fields).encode(), timeout=60) as done:
        assert "/login" not in done.url, "ann could not sign in"
    return opener, jar


def send_form(base: str, jar: CookieJar, case_id: UUID, fields: dict[str, str]
              ) -> tuple[int, str]:
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirects)
    url = f"{base}/cases/{case_id}/add_note"
    try:
        with opener.open(url, data=urlencode(fields).encode(), timeout=60) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@POSTGRES_ONLY
def test_concurrent_form_posts_on_one_case_get_stored_or_a_page_saying_reload(served, capsys):
    opener, jar = signed_in(served.base)
    page = f"{served.base}/cases/{served.case_id}"
    forms = [note_form(opener.open(page, timeout=60).read().decode(), served.case_id)
             for _ in range(FORMS)]
    assert len({f["idempotency_key"] for f in forms}) == FORMS  # each form its own token
    with ThreadPoolExecutor(WRITERS) as pool:
        answers = list(pool.map(lambda n: send_form(served.base, jar, served.case_id, {
            **forms[n], "text": f"form note {n}"}), range(FORMS)))
    statuses = [status for status, _ in answers]
    assert set(statuses) <= {303, 409}, statuses
    for status, html in answers:
        if status == 409:
            assert "<!doctype html>" in html.lower(), html[:500]
            assert RELOAD in unescape(html), html[-2000:]
    assert served.events() == 1 + statuses.count(303)
    with capsys.disabled():
        print(f"\ngunicorn: {WORKERS} workers, {FORMS} form posts on one case from {WRITERS} "
              f"threads: {statuses.count(303)} stored (303), {statuses.count(409)} conflicts "
              "(409, a page saying reload)")
