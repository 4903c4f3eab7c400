"""The API on a temporary SQLite database, a fixed clock and no follower thread.

Every command in these tests goes through HTTP; the read models are brought up to date by
the command itself (FOLLOW=False), as the API does after each write.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from application.clock import FixedClock
from domain.debtors import name_key
from tests.access import OTHERS, install
from tests.builders import random_name, random_ref
from web import create_app

API = "/api/v1"
NOW = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)
TODAY = NOW.date().isoformat()
CREDITOR = "Test Creditor Ltd"
ACTOR = "api-test"  # the collector whose token every test client sends, unless told


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def app(tmp_path: Any, clock: FixedClock) -> Iterator[Flask]:
    app = create_app({
        "TESTING": True,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'events.db'}",
        "READMODEL_URL": f"sqlite:///{tmp_path / 'readmodels.db'}",
        "CLOCK": clock,
        "FOLLOW": False,
        "CREDITOR": CREDITOR,
        "SECRET_KEY": "test",
        "BLOB_DIR": str(tmp_path / "blobs"),
    })
    yield install(app, {ACTOR: "collector", "ann": "collector", "bob": "collector", **OTHERS},
                  ACTOR)
    arrears = app.extensions["arrears"]
    arrears.service.close()
    arrears.views.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def address_part(name: str) -> str:
    """'Acme Trading Ltd.' → 'acme-trading-ltd' (a domain name's part, from a debtor's)."""
    return re.sub(r"[^a-z0-9]+", "-", name_key(str(name))).strip("-") or "debtor"


def invoice(**overrides: Any) -> dict[str, Any]:
    """A valid OpenCase body: EUR 1,000.00 issued 1 Nov 2025, due 1 Dec 2025; the debtor's
    email address is made from their name (one debtor, one address: `domain.debtors`)."""
    name = overrides.get("debtor_name", random_name())
    return {"invoice_number": random_ref(), "debtor_name": name,
            "debtor_email": f"accounts@{address_part(name)}.example",
            "amount": "1000.00", "currency": "EUR", "issue_date": "2025-11-01",
            "due_date": "2025-12-01", **overrides}


@pytest.fixture
def open_case(client: FlaskClient) -> Callable[..., dict[str, Any]]:
    """Open a case through the API; returns its summary."""
    def make(**overrides: Any) -> dict[str, Any]:
        response = client.post(f"{API}/cases", json=invoice(**overrides))
        assert response.status_code == 201, response.json
        return response.json["case"]
    return make


@pytest.fixture
def command(app: Flask, client: FlaskClient) -> Callable[..., dict[str, Any]]:
    """Run a command through the API that must succeed (as the user `as_user`, default the
    suite's collector); returns the reply."""
    def run(case_id: str, name: str, as_user: str = "", **body: Any) -> dict[str, Any]:
        sender = app.test_client(user=as_user) if as_user else client
        response = sender.post(f"{API}/cases/{case_id}/{name}", json=body)
        assert response.status_code == 201, response.json
        return response.json
    return run
