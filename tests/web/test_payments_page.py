"""The credits to review page (/payments/unmatched): the queue, assign, not ours."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from uuid import UUID

import pytest
from flask import Flask

from application.payments_in.credits import Credit
from application.payments_in.importing import PaymentImport
from application.payments_in.review import queued
from tests.web.pages_html import text


@pytest.fixture
def entry(app: Flask, seeded: dict[str, str]) -> str:
    """A credit of EUR 300.00 from an unknown payer, queued by an import."""
    service = app.extensions["arrears"].service
    credit = Credit("DE00ACC", "BANK-9", Decimal("300.00"), "EUR", date(2026, 3, 1), None,
                    "Nobody We Know SA", "gift", source_file="march.xml",
                    source_sha256="ab" * 32, location="Stmt 1 Ntry 4")
    PaymentImport(service, [], "web-test").run_credits([credit])
    return credit.entry


def test_the_page_lists_the_credit_with_its_reason_and_source(client, entry):
    html = text(client.get("/payments/unmatched"))
    assert "300.00 EUR from Nobody We Know SA on 2026-03-01" in html
    assert "<strong>unmatched</strong>: no invoice named in the remittance" in html
    assert "march.xml (Stmt 1 Ntry 4), SHA-256 <code>" + "ab" * 32 in html


def test_assign_records_it_on_the_case_and_empties_the_queue(app, client, entry, seeder):
    response = client.post(f"/payments/{entry}/assign", data={"case": "INV-1004"})
    assert response.status_code == 303, text(response)[-3000:]
    service = app.extensions["arrears"].service
    history = service.history(UUID(seeder.ids["INV-1004"]))
    assert history[-2]["type"] == "PaymentReceived"
    assert history[-2]["data"]["reference"] == "BANK-9"
    assert queued(service) == []
    assert "No credits to review." in text(client.get("/payments/unmatched"))


def test_a_case_in_another_currency_is_refused_on_the_page(client, entry):
    response = client.post(f"/payments/{entry}/assign", data={"case": "INV-1003"})
    assert response.status_code == 422
    assert "case: the credit is in EUR, the case in GBP" in text(response)


def test_not_ours_needs_a_reason(app, client, entry):
    response = client.post(f"/payments/{entry}/not-ours", data={"reason": ""})
    assert response.status_code == 400
    assert "reason: must not be blank" in text(response)
    done = client.post(f"/payments/{entry}/not-ours", data={"reason": "a refund"})
    assert done.status_code == 303
    assert queued(app.extensions["arrears"].service) == []
