"""Fixtures for the fault tests: a PostgreSQL schema behind a proxy that can go away."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.faults.proxy import Proxy

# Short waits, so that a database that is away is reported within seconds.
TIMEOUTS = {"ARREARS_DB_CONNECT_TIMEOUT": "2", "ARREARS_DB_STATEMENT_TIMEOUT": "3"}


@pytest.fixture
def short_timeouts(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    for name, value in TIMEOUTS.items():
        monkeypatch.setenv(name, value)
    return TIMEOUTS


@pytest.fixture
def proxied(database_url: str) -> Iterator[tuple[Proxy, str]]:
    """A proxy in front of the test's PostgreSQL schema, and the URL through it."""
    parts = urlsplit(database_url)
    proxy = Proxy(parts.hostname or "127.0.0.1", parts.port or 5432)
    schema = parse_qs(parts.query)["schema"][0]
    try:
        yield proxy, proxy.url(parts.path.lstrip("/"), schema)
    finally:
        proxy.close()
