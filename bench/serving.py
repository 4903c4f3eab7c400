"""What bench/server.py runs against: a seeded store with a user, a real server process, and
a signed-in HTTP client."""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from psycopg import sql
from sqlalchemy import select

from application.bootstrap import build
from application.clock import FixedClock
from application.readmodels.tables import case_summary
from bench import dataset

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "var" / "bench-server"
POSTGRES = os.environ.get("ARREARS_BENCH_POSTGRES_URL",
                          "postgresql://postgres@127.0.0.1:5432/test")
SCHEMA = "bench_server"
# not bench.views' user: the SQLite store is a copy of its data set, which holds that one
USER, PASSWORD = "bench.server", "a long bench password 1"


@dataclass
class Store:
    database: str
    url: str
    env: dict[str, str]
    events: int
    case_ids: list[str] = field(default_factory=list)
    user: str = USER
    password: str = PASSWORD
    token: str = ""
    processes: str = ""


def _sqlite(cases: int) -> tuple[str, int]:
    """A fresh copy of the bench.views data set (made once, then reused)."""
    from bench.views import prepare

    source, meta = prepare(argparse.Namespace(cases=cases, events_per_case=10, seed=7))
    shutil.rmtree(FOLDER, ignore_errors=True)
    FOLDER.mkdir(parents=True)
    with sqlite3.connect(source / "events.db") as src, \
            sqlite3.connect(FOLDER / "events.db") as copy:
        src.backup(copy)
    return f"sqlite:///{FOLDER}/events.db", int(meta["events"])


def _postgres(cases: int) -> tuple[str, int]:
    """A fresh schema, the data set generated into it."""
    with psycopg.connect(POSTGRES, autocommit=True) as connection:
        connection.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(
            sql.Identifier(SCHEMA)))
        connection.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(SCHEMA)))
    url = urllib.parse.urlunsplit(urllib.parse.urlsplit(POSTGRES)._replace(
        query=f"schema={SCHEMA}"))
    app = build(url, clock=FixedClock())
    try:
        events = dataset.generate(app.service, cases, 10, 7)
    finally:
        app.service.close()
    return url, events


def prepare_store(database: str, cases: int) -> Store:
    FOLDER.mkdir(parents=True, exist_ok=True)
    url, events = _sqlite(cases) if database == "sqlite" else _postgres(cases)
    env = {**os.environ, "ARREARS_DATABASE_URL": url, "ARREARS_SECRET_KEY": "b" * 32,
           "ARREARS_SECURE_COOKIES": "0", "ARREARS_ACTOR": "bench",
           "ARREARS_TODAY": dataset.TODAY.isoformat(),
           "ARREARS_KEY_DIR": str(FOLDER / f"keys-{database}")}
    store = Store(database, url, env, events)
    app = build(url, clock=FixedClock())
    try:
        app.projector.rebuild()
        with app.projector.engine.connect() as conn:
            store.case_ids = [str(i) for i in conn.execute(select(case_summary.c.case_id))
                              .scalars()]
    finally:
        app.service.close()
    cli(env, "users", "add", USER, "--role", "collector", stdin=f"{PASSWORD}\n" * 2)
    store.token = cli(env, "users", "token", USER)
    return store


def cli(env: dict[str, str], *args: str, stdin: str = "") -> str:
    done = subprocess.run([sys.executable, "-m", "cli.main", *args], cwd=ROOT, env=env,
                          input=stdin, capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        raise RuntimeError(f"arrears {' '.join(args)}: {done.stderr.strip()}")
    return done.stdout.strip()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(args: argparse.Namespace, store: Store) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    env = dict(store.env)
    if args.server == "waitress":
        command = [sys.executable, "-m", "waitress", f"--listen=127.0.0.1:{port}",
                   f"--threads={args.threads}", "--call", "web:create_app"]
        store.processes = f"waitress, 1 process, {args.threads} threads"
    else:
        env["ARREARS_BIND"] = f"127.0.0.1:{port}"
        if args.workers:
            env["ARREARS_WEB_WORKERS"] = str(args.workers)
        command = [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py"]
        workers = args.workers or min(2 * (os.cpu_count() or 1) + 1, 8)
        store.processes = f"gunicorn (deploy/gunicorn.conf.py), {workers} sync workers"
    server = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        probe = Client(port, "")
        try:
            if probe.get("/healthz") == 200:
                return server, port
        except OSError:
            time.sleep(0.3)
        finally:
            probe.close()
        if server.poll() is not None:
            break
    stop_server(server)
    raise RuntimeError("the server did not start within 120 s")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    try:
        server.wait(30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(10)


class Client:
    """One user's keep-alive connection with its session cookie (reconnects when closed)."""

    def __init__(self, port: int, token: str) -> None:
        self.port, self.token = port, token
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, bytes]:
        sent = dict(headers or {})
        if self.cookies and not path.startswith("/api/"):
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=body, headers=sent)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionError):
                self.conn.close()  # the server closed it: a new connection, once
                if attempt == 2:
                    raise
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, data

    def get(self, path: str) -> int:
        return self.request("GET", path)[0]

    def sign_in(self, user: str, password: str) -> None:
        status, page = self.request("GET", "/login")
        found = re.search(rb'name="csrf_token" value="([^"]+)"', page)
        if status != 200 or found is None:
            raise RuntimeError(f"no sign-in form ({status})")
        form = urllib.parse.urlencode({"name": user, "password": password,
                                       "csrf_token": found.group(1).decode()}).encode()
        status, _ = self.request("POST", "/login", form,
                                 {"Content-Type": "application/x-www-form-urlencoded"})
        if status != 303:
            raise RuntimeError(f"sign-in refused ({status})")

    def write_note(self, case_id: str) -> int:
        body = json.dumps({"text": "Called accounts payable (bench)"}).encode()
        return self.request("POST", f"/api/v1/cases/{case_id}/add_note", body,
                            {"Authorization": f"Bearer {self.token}",
                             "Content-Type": "application/json",
                             "Idempotency-Key": str(uuid.uuid4())})[0]

    def close(self) -> None:
        self.conn.close()
