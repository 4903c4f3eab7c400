"""The CLI with the database unavailable (issue 15, "What was seen"): every command fails
within seconds, with one line on stderr and exit code 6 (not 1, "refused"), nothing stored.

Run as real processes, as a user would: PostgreSQL at a closed port and at a listening
socket that never answers; a SQLite store locked by another writer; a read-only store (the
reading commands work on it); a full disk.
"""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from cli.failures import DATABASE_UNAVAILABLE
from tests.faults.conftest import TIMEOUTS

ROOT = Path(__file__).resolve().parents[2]
COMMANDS = [["list"], ["show", "INV-1"], ["note", "INV-1", "hello"],
            ["open", "INV-2", "--debtor", "Bob", "--amount", "10", "--issue-date", "2026-01-01",
             "--due-date", "2026-01-02"]]
OPEN = ["open", "INV-1", "--debtor", "Bob", "--amount", "100", "--issue-date", "2026-01-01",
        "--due-date", "2026-01-02"]
WITHIN = 15.0  # seconds: the 2 s connect timeout, the retries, and starting Python


def arrears(url: str, *args: str, **env: str) -> tuple[subprocess.CompletedProcess, float]:
    environ = {**os.environ, **TIMEOUTS, "ARREARS_DATABASE_URL": url,
               "ARREARS_TODAY": "2026-01-05", "ARREARS_ACTOR": "ann", **env}
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "cli.main", *args], cwd=ROOT, env=environ,
                          capture_output=True, text=True, timeout=120)
    return done, time.monotonic() - started


def assert_unavailable(done: subprocess.CompletedProcess, took: float, words: str) -> None:
    assert done.returncode == DATABASE_UNAVAILABLE, (done.stdout, done.stderr)
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: database: "), done.stderr
    assert words in lines[0]
    assert "Traceback" not in done.stderr + done.stdout
    assert took < WITHIN


@contextmanager
def silent_listener():
    """A socket that accepts connections and never answers."""
    listener = socket.create_server(("127.0.0.1", 0), backlog=64)
    try:
        yield listener.getsockname()[1]
    finally:
        listener.close()


class TestPostgresUnreachable:
    @pytest.mark.parametrize("args", COMMANDS, ids=lambda a: a[0])
    def test_a_closed_port(self, args):
        done, took = arrears("postgresql://postgres@127.0.0.1:1/test", *args)
        assert_unavailable(done, took, "cannot connect to PostgreSQL at 127.0.0.1:1")

    @pytest.mark.parametrize("args", [["note", "INV-1", "hello"]], ids=str)
    def test_a_server_that_never_answers(self, args):
        with silent_listener() as port:
            done, took = arrears(f"postgresql://postgres@127.0.0.1:{port}/test", *args)
        assert_unavailable(done, took, "no answer within 2 s (ARREARS_DB_CONNECT_TIMEOUT)")

    def test_serve_says_so_in_one_line(self):
        done, took = arrears("postgresql://postgres@127.0.0.1:1/test", "serve", "--port", "0")
        assert_unavailable(done, took, "cannot connect to PostgreSQL")

    def test_a_bad_timeout_is_named(self):
        done, _ = arrears("sqlite://", "list", ARREARS_DB_CONNECT_TIMEOUT="soon")
        assert done.returncode == 2
        assert done.stderr == "error: ARREARS_DB_CONNECT_TIMEOUT: 'soon' is not a number of " \
                              "seconds\n"


@pytest.fixture
def store(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path}/var/arrears.db"
    done, _ = arrears(url, *OPEN)
    assert done.returncode == 0, done.stderr
    assert arrears(url, "key")[0].returncode == 0  # the signing key exists, as in use
    return url


class TestSQLite:
    def test_locked_by_another_writer(self, store, tmp_path):
        holder = sqlite3.connect(tmp_path / "var" / "arrears.db", isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            done, took = arrears(store, "note", "INV-1", "hello")
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        assert_unavailable(done, took, "locked by another writer")
        assert "hello" not in arrears(store, "timeline", "INV-1")[0].stdout


def _mount(*args: str) -> bool:
    return subprocess.run(["mount", *args], capture_output=True).returncode == 0


@contextmanager
def read_only(directory: Path):
    """The directory made read-only: a read-only bind mount as root (root writes through
    file modes), else its files' and its own write bits removed."""
    if os.geteuid() == 0:
        if not (_mount("--bind", str(directory), str(directory))
                and _mount("-o", "remount,bind,ro", str(directory))):
            pytest.skip("cannot mount read-only here (needs CAP_SYS_ADMIN)")
        try:
            yield
        finally:
            subprocess.run(["umount", str(directory)], check=True)
        return
    for path in [*directory.iterdir(), directory]:
        path.chmod(0o555 if path.is_dir() else 0o444)
    try:
        yield
    finally:
        for path in [directory, *directory.iterdir()]:
            path.chmod(0o755 if path.is_dir() else 0o644)


class TestReadOnlyStore:
    @pytest.mark.parametrize("views", ["built", "none yet"])
    def test_reading_commands_work_and_writes_fail_in_one_line(self, store, tmp_path, views):
        if views == "built":
            assert arrears(store, "list")[0].returncode == 0
        before = sorted(p.name for p in (tmp_path / "var").iterdir())
        with read_only(tmp_path / "var"):
            for args in (["show", "INV-1"], ["timeline", "INV-1"], ["list"], ["verify"]):
                done, _ = arrears(store, *args)
                assert done.returncode == 0, (args, done.stderr)
                assert "INV-1" in done.stdout or "everything holds" in done.stdout, done.stdout
            done, took = arrears(store, "note", "INV-1", "hello")
            assert_unavailable(done, took, "read-only")
        assert sorted(p.name for p in (tmp_path / "var").iterdir()) == before


class TestFullDisk:
    def test_a_write_on_a_full_disk_fails_in_one_line_and_the_store_holds(self, tmp_path):
        disk = tmp_path / "disk"
        disk.mkdir()
        if os.geteuid() != 0 or not _mount("-t", "tmpfs", "-o", "size=1m", "tmpfs", str(disk)):
            pytest.skip("cannot mount a small tmpfs here (needs root and CAP_SYS_ADMIN)")
        try:
            url = f"sqlite:///{disk}/arrears.db"
            assert arrears(url, *OPEN)[0].returncode == 0
            with open(disk / "filler", "wb") as filler:
                try:
                    while True:
                        filler.write(b"\0" * 65536)
                        filler.flush()
                except OSError:
                    pass
            done, took = arrears(url, "note", "INV-1", "x" * 5000)
            assert_unavailable(done, took, "disk")  # full, or (in WAL mode) an I/O error
            (disk / "filler").unlink()
            done, _ = arrears(url, "verify")
            assert done.returncode == 0, done.stderr
            assert arrears(url, "note", "INV-1", "after")[0].returncode == 0
        finally:
            subprocess.run(["umount", "-l", str(disk)], check=False)
