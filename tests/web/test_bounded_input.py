"""One way in: what the web forms refuse, all at once, beside each field, storing nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.web.pages_html import field_error, text
from tests.web.test_pages import OPENING, listed


def stored_events(app: Flask) -> int:
    return app.extensions["arrears"].service.recorder.max_notification_id() or 0


def open_form(client: FlaskClient, **changes: Any) -> tuple[int, str]:
    response = client.post("/cases/new", data={**OPENING, **changes})
    return response.status_code, text(response)


class TestOpeningACase:
    def test_an_oversized_amount_is_refused_and_nothing_is_stored(self, app: Flask,
                                                                  client: FlaskClient) -> None:
        before = stored_events(app)
        status, html = open_form(client, amount="999999999999999999999")
        assert status == 400
        assert "at most 999,999,999,999.99" in field_error(html, "open_case-amount")
        assert stored_events(app) == before
        status, _ = open_form(client, invoice_number="INV-AFTER")
        assert status == 303
        assert listed(client, "/cases?q=INV-AFTER") == {"INV-AFTER"}

    @pytest.mark.parametrize(("amount", "currency", "message"), [
        ("800,50", "EUR", "is ambiguous"),
        ("1.000,50", "EUR", "is ambiguous"),
        ("100.555", "EUR", "more decimals than EUR allows"),
        ("1e3", "EUR", "exponent notation"),
        ("800.50", "JPY", "more decimals than JPY allows"),
    ])
    def test_an_amount_is_never_misread(self, app: Flask, client: FlaskClient, amount: str,
                                        currency: str, message: str) -> None:
        before = stored_events(app)
        status, html = open_form(client, amount=amount, currency=currency, late_fee="")
        assert status == 400
        assert message in field_error(html, "open_case-amount")
        assert stored_events(app) == before

    def test_a_grouped_amount_is_read_exactly(self, client: FlaskClient) -> None:
        status, _ = open_form(client, invoice_number="INV-GROUPED", amount="1,000.50")
        assert status == 303
        page = text(client.get("/cases?q=INV-GROUPED"))
        assert "1,000.50" in page

    def test_any_three_letters_are_not_a_currency(self, client: FlaskClient) -> None:
        status, html = open_form(client, currency="XYZ")
        assert status == 400
        assert "not an ISO 4217 currency" in field_error(html, "open_case-currency")

    def test_every_error_is_reported_at_once_beside_its_field(self,
                                                               client: FlaskClient) -> None:
        status, html = open_form(client, amount="-5", due_date="2026-01-01",
                                 debtor_email="nobody")
        assert status == 400
        assert "more than zero" in field_error(html, "open_case-amount")
        assert "before the issue date" in field_error(html, "open_case-due_date")
        assert "not an email address" in field_error(html, "open_case-debtor_email")

    def test_an_issue_date_in_the_future_is_reported_against_the_issue_date(
            self, client: FlaskClient) -> None:
        status, html = open_form(client, issue_date="2030-01-01", due_date="2030-02-01")
        assert status == 400
        assert "in the future" in field_error(html, "open_case-issue_date")
        assert field_error(html, "open_case-occurred_on") is None

    def test_a_due_date_far_in_the_future_is_refused(self, client: FlaskClient) -> None:
        status, html = open_form(client, due_date="9999-12-31")
        assert status == 400
        assert "outside 1900-01-01" in field_error(html, "open_case-due_date")


class TestNotes:
    @pytest.mark.parametrize(("note", "message"), [
        ("a\u0000b", "U+0000"),
        ("pay \u202eevil", "U+202E"),
        ("x" * 5001, "at most 5,000 characters"),
    ])
    def test_a_note_the_views_cannot_show_safely_is_refused(self, app: Flask,
                                                             client: FlaskClient,
                                                             seeded: dict[str, str],
                                                             note: str, message: str) -> None:
        case_id = next(iter(seeded.values()))
        before = stored_events(app)
        response = client.post(f"/cases/{case_id}/add_note", data={"text": note})
        assert response.status_code == 400
        assert message in field_error(text(response), "add_note-text")
        assert stored_events(app) == before

    def test_a_note_keeps_its_line_breaks(self, app: Flask, client: FlaskClient,
                                          seeded: dict[str, str]) -> None:
        case_id = next(iter(seeded.values()))
        response = client.post(f"/cases/{case_id}/add_note",
                               data={"text": "first line\r\n\tsecond line"})
        assert response.status_code == 303
        rows = app.extensions["arrears"].views.timeline(case_id)
        notes = [json.loads(row["details"]).get("text") for row in rows
                 if row["event_type"] == "NoteAdded"]
        assert "first line\n\tsecond line" in notes
