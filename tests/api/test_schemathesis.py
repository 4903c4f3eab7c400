"""Schemathesis against the JSON API: every operation, every check, no 5xx, no reply off-schema.

The document is the one the API serves (checked below), built at import from the routes
alone, so pytest shows one test per operation. The requests go in-process (WSGI) to one app
on a temporary SQLite store holding a few open cases; a generated case id is mostly replaced
by one of them, so commands run for real rather than stopping at "no such case".

Bounded and reproducible: FUZZ examples per operation (plus Schemathesis' own examples and
coverage cases), derandomized, no example database. Every check Schemathesis has is on;
the one setting is which statuses count as accepting schema-valid data (see ACCEPTED).
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from application.clock import FixedClock
from application.readmodels.queries import CaseFilter
from tests.api.conftest import API, NOW, invoice
from web import create_app
from web.api import bp
from web.api.openapi import build_spec

FUZZ = 25
OPEN_CASES = 3
# Schema-valid data may still be refused: 400 when the one parser refuses a value (an amount's
# notation, more decimals than its currency has, a date outside its bounds, fields that
# contradict each other), 422 when a collection rule refuses the command (ADR 0014).
# 415 when an upload's content (read from its bytes, not its name) is of a type that may not
# be attached: the document cannot say which bytes make a PDF.
ACCEPTED = ["2xx", "3xx", "400", "401", "403", "404", "409", "415", "422", "429"]
CONFIG = schemathesis.Config.from_dict(
    {"checks": {"positive_data_acceptance": {"expected-statuses": ACCEPTED}}})

# Schema-valid values that are mostly valid for the parser too, so commands get stored: the
# document's own formats (web.api.openapi.FORMATS), and dates around the fixed today.
schemathesis.openapi.format("amount", st.decimals(
    Decimal("0.01"), Decimal("5000"), places=2, allow_nan=False).map(str))
schemathesis.openapi.format("currency", st.sampled_from(["EUR", "GBP", "JPY", "KWD", "USD"]))
schemathesis.openapi.format("percent", st.decimals(
    Decimal(0), Decimal(100), places=2, allow_nan=False).map(str))
schemathesis.openapi.format("date", st.dates(date(2025, 1, 1), date(2026, 12, 31)).map(str))


def _document() -> dict[str, Any]:
    """The API's OpenAPI document, from its routes and schemas (no store needed)."""
    bare = Flask(__name__)
    bare.register_blueprint(bp, url_prefix=API)
    return build_spec(bare)


DOCUMENT = _document()
schema = schemathesis.openapi.from_dict(DOCUMENT, config=CONFIG)


@dataclass
class Fuzzed:
    """The app under test and a way to keep a few open cases in it."""

    app: Flask

    def open_case_ids(self) -> list[str]:
        views = self.app.extensions["arrears"].views
        open_now = [row["case_id"] for row in views.list_cases(
            CaseFilter(include_closed=False), sort="invoice", per_page=OPEN_CASES).rows]
        client = self.app.test_client()
        while len(open_now) < OPEN_CASES:
            response = client.post(f"{API}/cases", json=invoice())
            assert response.status_code == 201, response.json
            open_now.append(response.json["case_id"])
        return open_now

    def aim(self, case: schemathesis.Case) -> None:
        """Point a generated case id at an open case, but one time in OPEN_CASES + 1."""
        generated = (case.path_parameters or {}).get("case_id")
        if generated is None:
            return
        slot = zlib.crc32(str(generated).encode()) % (OPEN_CASES + 1)
        if slot < OPEN_CASES:
            case.path_parameters["case_id"] = self.open_case_ids()[slot]


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Fuzzed]:
    path = tmp_path_factory.mktemp("schemathesis")
    app = create_app({
        "TESTING": True, "DATABASE_URL": f"sqlite:///{path / 'events.db'}",
        "READMODEL_URL": f"sqlite:///{path / 'readmodels.db'}", "CLOCK": FixedClock(NOW),
        "FOLLOW": False, "ACTOR": "schemathesis", "CREDITOR": "Fuzz Ltd", "SECRET_KEY": "test",
    })
    fuzzed = Fuzzed(app)
    fuzzed.open_case_ids()
    yield fuzzed
    app.extensions["arrears"].close()


def test_fuzzes_the_document_the_api_serves(fuzzed: Fuzzed) -> None:
    served = fuzzed.app.test_client().get(f"{API}/openapi.json")
    assert served.status_code == 200
    assert served.json == DOCUMENT


@schema.parametrize()
@settings(max_examples=FUZZ, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
def test_api(case: schemathesis.Case, fuzzed: Fuzzed) -> None:
    fuzzed.aim(case)
    case.call_and_validate(app=fuzzed.app)
