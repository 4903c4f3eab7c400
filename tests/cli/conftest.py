"""CLI fixtures: `arrears(...)` runs the tool on a temporary SQLite store, today fixed.

Cases get unique invoice numbers (`invoice()`), so tests never collide.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from uuid import uuid4

import pytest
from click.testing import CliRunner, Result

from cli.main import main

TODAY = "2026-03-01"
ISSUED = "2026-01-01"
DUE = "2026-01-31"

Run = Callable[..., Result]


def invoice() -> str:
    return f"INV-{uuid4().hex[:8].upper()}"


@pytest.fixture
def env(tmp_path: Any) -> dict[str, str | None]:
    return {"ARREARS_DATABASE_URL": f"sqlite:///{tmp_path}/events.db",
            "ARREARS_TODAY": TODAY, "ARREARS_ACTOR": "priya.shah",
            "ARREARS_SIGNING_KEY": f"{tmp_path}/signing-key.pem",
            "ARREARS_BLOB_DIR": f"{tmp_path}/blobs", "ARREARS_ATTACHMENT_MAX_BYTES": None,
            "ARREARS_ATTACHMENT_TYPES": None,
            "ARREARS_CREDITOR": None, "PORT": None}


@pytest.fixture
def arrears(env: dict[str, str | None]) -> Run:
    """Run `arrears ARGS...`; never raises (exceptions would show in result.exception)."""
    runner = CliRunner(env=env)

    def run(*args: str) -> Result:
        return runner.invoke(main, list(args))

    return run


@pytest.fixture
def ok(arrears: Run) -> Callable[..., Any]:
    """Run a command that must succeed; return its JSON output (adds --json)."""

    def run(*args: str) -> Any:
        result = arrears(*args, "--json")
        assert result.exit_code == 0, (result.stdout, result.stderr)
        assert result.exception is None
        return json.loads(result.stdout)

    return run


@pytest.fixture
def show(ok: Callable[..., Any]) -> Callable[[str], dict[str, Any]]:
    return lambda case: ok("show", case)


@pytest.fixture
def timeline(ok: Callable[..., Any]) -> Callable[[str], list[dict[str, Any]]]:
    return lambda case: ok("timeline", case)


@pytest.fixture
def open_case(ok: Callable[..., Any]) -> Callable[..., str]:
    """Open a GBP 1,200.00 case due 2026-01-31 (30 days overdue today); return its number."""

    def opened(*extra: str, amount: str = "1200.00") -> str:
        number = invoice()
        ok("open", number, "--debtor", "Harbour Lights Cafe Ltd", "--amount", amount,
           "--issue-date", ISSUED, "--due-date", DUE, "--on", ISSUED, *extra)
        return number

    return opened


@pytest.fixture
def case(open_case: Callable[..., str]) -> str:
    return open_case()


@pytest.fixture
def last_event(timeline: Callable[[str], list[dict[str, Any]]]) -> Callable[[str], dict]:
    return lambda case: timeline(case)[-1]
