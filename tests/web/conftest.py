"""Fixtures for the HTML pages: an app on a temporary SQLite database, a fixed clock, seeded cases.

Every `app.test_client()` is signed in as the collector `web-test` and sends the CSRF token
with its forms (tests.access); `app.test_client(user=None)` is anonymous.

Today is 2026-03-02. The seeded cases, by invoice number:
  INV-1001 Acme Trading Ltd   EUR 1,200.00  due 2025-12-31  reminded            61-90
  INV-1002 Acme Trading Ltd   EUR   800.00  due 2026-02-20  promise broken      1-30
  INV-1003 Bright Wholesale   GBP 5,000.00  due 2025-10-15  demanded, deadline passed, penalty  90+
  INV-1004 Carla Jensen       EUR   300.00  due 2026-03-31  open (individual)   current
  INV-1005 Delta Foods GmbH   EUR   450.00  due 2026-01-15  disputed, on hold   31-60
  INV-1006 Echo Media Ltd     GBP   100.00  due 2026-01-31  paid (closed)
  INV-1007 Fern Logistics     EUR 2,000.00  due 2026-01-19  overdue, reminder due  31-60
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

import pytest
from flask import Flask
from flask.testing import FlaskClient

from application.clock import FixedClock
from domain.money import Money
from domain.values import Debtor, PaymentTerms
from tests.access import OTHERS, install
from tests.commands import execute, open_case
from web import create_app

TODAY = date(2026, 3, 2)
CREDITOR = "Test Creditor Ltd"
COLLECTOR = "web-test"  # every test client is signed in as this collector unless told


class Seeder:
    """Opens and works cases through the service, as a credit controller would."""

    def __init__(self, app: Flask) -> None:
        self.arrears = app.extensions["arrears"]
        self.ids: dict[str, str] = {}

    def open(self, invoice: str, debtor: str, amount: str, currency: str, issue: date,
             due: date, kind: str = "business", actor: str = "ann") -> str:
        case_id = open_case(self.arrears.service,
            actor=actor, occurred_on=issue, creditor=CREDITOR, invoice_number=invoice,
            debtor=Debtor(debtor, kind, f"accounts@{debtor.split()[0].lower()}.example",
                          "+44 20 7946 0000", "1 High Street\nLondon"),
            amount=Money.of(amount, currency), issue_date=issue, due_date=due,
            terms=PaymentTerms(), contract_reference="")
        self.ids[invoice] = str(case_id)
        return str(case_id)

    def run(self, invoice: str, command: str, on: date, actor: str = "ann",
            **fields: Any) -> None:
        service = self.arrears.service
        currency = service.case(UUID(self.ids[invoice]))["currency"]
        fields = {k: Money.of(v, currency) if k == "amount" else v for k, v in fields.items()}
        execute(service, UUID(self.ids[invoice]), command, actor=actor, occurred_on=on,
                        **fields)

    def seed(self) -> None:
        self.open("INV-1001", "Acme Trading Ltd", "1200.00", "EUR", date(2025, 12, 1),
                  date(2025, 12, 31))
        self.run("INV-1001", "send_reminder", date(2026, 1, 5), channel="email")
        self.open("INV-1002", "Acme Trading Ltd", "800.00", "EUR", date(2026, 1, 21),
                  date(2026, 2, 20))
        self.run("INV-1002", "promise_payment", date(2026, 2, 21), actor="bob",
                 amount="800.00", promised_on=date(2026, 2, 27))
        self.open("INV-1003", "Bright Wholesale plc", "5000.00", "GBP", date(2025, 9, 15),
                  date(2025, 10, 15))
        self.run("INV-1003", "send_reminder", date(2025, 10, 20), channel="letter")
        self.run("INV-1003", "apply_penalty", date(2026, 1, 10), kind="compensation",
                 amount="70.00", basis="fixed sum")
        self.run("INV-1003", "issue_demand", date(2026, 1, 10), deadline=date(2026, 1, 24),
                 consequences="Referral to counsel")
        self.open("INV-1004", "Carla Jensen", "300.00", "EUR", date(2026, 3, 1),
                  date(2026, 3, 31), kind="individual")
        self.open("INV-1005", "Delta Foods GmbH", "450.00", "EUR", date(2025, 12, 15),
                  date(2026, 1, 15))
        self.run("INV-1005", "raise_dispute", date(2026, 1, 20), reason="Goods damaged")
        self.open("INV-1006", "Echo Media Ltd", "100.00", "GBP", date(2026, 1, 1),
                  date(2026, 1, 31))
        # paid on its due date: no interest accrued, so it closes as paid (ADR 25)
        self.run("INV-1006", "record_payment", date(2026, 1, 31), actor="bob",
                 amount="100.00", method="bank_transfer")
        self.open("INV-1007", "Fern Logistics", "2000.00", "EUR", date(2025, 12, 20),
                  date(2026, 1, 19))
        self.arrears.projector.catch_up()


@pytest.fixture
def app(tmp_path: Any) -> Iterator[Flask]:
    app = create_app({
        "DATABASE_URL": f"sqlite:///{tmp_path / 'events.db'}",
        "READMODEL_URL": f"sqlite:///{tmp_path / 'readmodels.db'}",
        "CLOCK": FixedClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC)),
        "FOLLOW": False,
        "TESTING": True,
        "SECRET_KEY": "test",
        "SIGNING_KEY": str(tmp_path / "signing-key.pem"),
        "BLOB_DIR": str(tmp_path / "blobs"),
    })
    yield install(app, {COLLECTOR: "collector", **OTHERS}, COLLECTOR)


@pytest.fixture
def seeded(app: Flask) -> dict[str, str]:
    """The seeded cases' ids by invoice number."""
    seeder = Seeder(app)
    seeder.seed()
    return seeder.ids


@pytest.fixture
def seeder(app: Flask, seeded: dict[str, str]) -> Seeder:
    found = Seeder(app)
    found.ids = seeded
    return found


@pytest.fixture
def client(app: Flask, seeded: dict[str, str]) -> FlaskClient:
    return app.test_client()
