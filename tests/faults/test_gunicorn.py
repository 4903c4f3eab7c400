"""The web app under a real multi-process server (issue 15, "Load and concurrency"):
gunicorn with several workers on PostgreSQL, many writers on one case at once. Every
request is stored (201) or loses a race (409, saying to reload); nobody gets a 500, and the
case holds one event per 201.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

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


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def cli(env: dict[str, str], *args: str, stdin: str = "") -> str:
    done = subprocess.run([sys.executable, "-m", "cli.main", *args], cwd=ROOT, env=env,
                          input=stdin, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


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
def test_concurrent_writers_on_one_case_get_201_or_409_never_500(database_url, capsys):
    env = {**os.environ, "ARREARS_DATABASE_URL": database_url, "ARREARS_ACTOR": "admin",
           "ARREARS_SECRET_KEY": "x" * 32, "ARREARS_SECURE_COOKIES": "0"}
    service = CaseService(database_url)
    try:
        case_id = open_case(service, invoice_number="G-1", debtor=Debtor("Gunicorn Ltd"),
                            amount=Money.of("100", "EUR"), issue_date=date(2026, 1, 1),
                            due_date=date(2026, 1, 2))
    finally:
        service.close()
    cli(env, "users", "add", "ann", "--role", "collector", stdin="a long password 1\n" * 2)
    token = cli(env, "users", "token", "ann")
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-w", str(WORKERS), "-b",
                               f"127.0.0.1:{port}", "--timeout", "120", "web:create_app()"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=5)
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, "no server"
                time.sleep(0.5)
        url = f"{base}/api/v1/cases/{case_id}/add_note"
        with ThreadPoolExecutor(WRITERS) as pool:
            answers = list(pool.map(lambda n: post(url, token, {"text": f"note {n}"}),
                                    range(REQUESTS)))
    finally:
        server.terminate()
        server.wait(30)
    statuses = [status for status, _ in answers]
    assert set(statuses) <= {201, 409}, statuses
    for status, body in answers:
        if status == 409:
            assert "reload" in json.dumps(body), body
    service = CaseService(database_url)
    try:
        assert len(service.history(case_id)) == 1 + statuses.count(201)
    finally:
        service.close()
    with capsys.disabled():
        print(f"\ngunicorn: {WORKERS} workers, {REQUESTS} writes on one case from {WRITERS} "
              f"threads: {statuses.count(201)} stored, {statuses.count(409)} conflicts (409)")
