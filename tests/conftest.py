"""Shared fixtures: a `service` on SQLite and on PostgreSQL, with a fixed clock.

The `service` fixture is parametrised, so every test that takes it runs on both stores.
PostgreSQL: $ARREARS_TEST_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/test);
each test gets a fresh schema, dropped afterwards. Where no server answers, the postgres
runs are skipped loudly (and the terminal summary says so), unless
$ARREARS_REQUIRE_POSTGRES=1, as in CI, which makes them fail instead.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from urllib.parse import urlsplit, urlunsplit
from uuid import uuid4

import psycopg
import pytest
from psycopg import sql

from application.clock import FixedClock
from application.service import CaseService
from tests.mail.conftest import smtp_server  # noqa: F401  (a real SMTP server on loopback)
from tests.missing import Missing
from tests.pdf import OPENSSL, PDF, pdf_ready  # noqa: F401  (a fixture for the tests below)

POSTGRES_URL = os.environ.get("ARREARS_TEST_POSTGRES_URL",
                              "postgresql://postgres@127.0.0.1:5432/test")
POSTGRES = Missing(
    "POSTGRESQL WAS NOT TESTED", "ARREARS_REQUIRE_POSTGRES",
    "Start it (pg_ctlcluster --skip-systemctl-redirect <version> main start) or set "
    "ARREARS_TEST_POSTGRES_URL")

_POSTGRES_PROBLEM = pytest.StashKey[str | None]()


def _postgres_problem(config: pytest.Config) -> str | None:
    """Why PostgreSQL cannot be used (None when it answers); asked once per session."""
    if _POSTGRES_PROBLEM not in config.stash:
        try:
            with psycopg.connect(POSTGRES_URL, connect_timeout=3):
                problem = None
        except psycopg.Error as error:
            problem = " ".join(str(error).split()) or type(error).__name__
        config.stash[_POSTGRES_PROBLEM] = problem
    return config.stash[_POSTGRES_PROBLEM]


def _with_schema(url: str, schema: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(query=f"schema={schema}"))


@pytest.fixture
def clock() -> FixedClock:
    """The application's clock, standing at 2026-01-01 09:00 UTC until moved."""
    return FixedClock(datetime(2026, 1, 1, 9, 0, tzinfo=UTC))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    """An empty event store: a SQLite file in tmp_path, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/events.db"
        return
    problem = _postgres_problem(request.config)
    if problem is not None:
        POSTGRES.skip(request.config, f"no server at {POSTGRES_URL} ({problem})",
                      f"POSTGRESQL NOT REACHABLE at {POSTGRES_URL} ({problem}): "
                      "this test did NOT run on PostgreSQL")
    schema = f"arrears_test_{uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
        connection.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
    try:
        yield _with_schema(POSTGRES_URL, schema)
    finally:
        with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
            connection.execute(
                sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))


@pytest.fixture
def make_service(database_url: str, clock: FixedClock) -> Iterator[Callable[..., CaseService]]:
    """Build CaseService instances on the test's event store; all closed afterwards."""
    made: list[CaseService] = []

    def make(**options) -> CaseService:
        service = CaseService(database_url, **{"clock": clock, **options})
        made.append(service)
        return service

    yield make
    for service in made:
        service.close()


@pytest.fixture
def service(make_service: Callable[..., CaseService]) -> CaseService:
    """A CaseService on an empty store (SQLite, then PostgreSQL), clock fixed."""
    return make_service()


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    POSTGRES.report(terminalreporter, config)
    PDF.report(terminalreporter, config)
    OPENSSL.report(terminalreporter, config)
