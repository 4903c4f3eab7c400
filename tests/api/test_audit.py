"""GET /audit: every event, newest first, filtered by actor, case, type and dates; paged."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import API


@pytest.fixture
def trail(open_case, command) -> dict[str, dict[str, Any]]:
    """Two cases: one opened 1 Nov 2025 with a note by ann on 10 Dec and a payment by bob
    on 20 Dec; one opened 1 Dec 2025 with a reminder recorded today."""
    first = open_case()
    second = open_case(issue_date="2025-12-01", due_date="2025-12-31")
    command(first["case_id"], "add_note", text="hello", as_user="ann", occurred_on="2025-12-10")
    command(first["case_id"], "record_payment", amount="10", method="card", as_user="bob",
            occurred_on="2025-12-20")
    command(second["case_id"], "send_reminder", channel="letter")
    return {"first": first, "second": second}


def audit(client, query: str = "") -> dict[str, Any]:
    response = client.get(f"{API}/audit{query}")
    assert response.status_code == 200, response.json
    return response.json


def kinds(page: dict[str, Any]) -> list[str]:
    return [row["type"] for row in page["items"]]


class TestAudit:
    def test_lists_every_event_newest_first(self, client, trail):
        page = audit(client)
        assert kinds(page) == ["ReminderSent", "PaymentReceived", "NoteAdded", "CaseOpened",
                               "CaseOpened"]
        assert (page["total"], page["page"], page["per_page"], page["pages"]) == (5, 1, 100, 1)
        newest = page["items"][0]
        assert newest["case_id"] == trail["second"]["case_id"]
        assert newest["invoice_number"] == trail["second"]["invoice_number"]
        assert (newest["actor"], newest["occurred_on"], newest["version"]) == \
            ("api-test", "2026-01-01", 2)
        assert newest["recorded_at"] == "2026-01-01T09:00:00+00:00"
        assert newest["summary"].startswith("Reminder sent by letter")
        positions = [r["position"] for r in page["items"]]  # the users' events come between
        assert positions == sorted(positions, reverse=True) and len(set(positions)) == 5

    def test_filters_by_actor_and_by_event_type(self, client, trail):
        assert kinds(audit(client, "?actor=bob")) == ["PaymentReceived"]
        assert kinds(audit(client, "?event_type=CaseOpened")) == ["CaseOpened"] * 2
        assert kinds(audit(client, "?actor=ann&event_type=PaymentReceived")) == []

    def test_filters_by_case_id_or_invoice_number(self, client, trail):
        by_id = audit(client, f"?case={trail['first']['case_id']}")
        by_invoice = audit(client, f"?case={trail['first']['invoice_number']}")
        assert kinds(by_id) == kinds(by_invoice) == ["PaymentReceived", "NoteAdded",
                                                     "CaseOpened"]

    @pytest.mark.parametrize(("query", "expected"), [
        ("?date_from=2025-12-01", ["ReminderSent", "PaymentReceived", "NoteAdded",
                                   "CaseOpened"]),
        ("?date_to=2025-12-10", ["NoteAdded", "CaseOpened", "CaseOpened"]),
        ("?date_from=2025-12-10&date_to=2025-12-20", ["PaymentReceived", "NoteAdded"]),
        ("?date_from=2025-12-11&date_to=2025-12-11", []),
    ])
    def test_filters_by_the_day_events_occurred(self, client, trail, query, expected):
        assert kinds(audit(client, query)) == expected

    def test_pages_through_the_trail(self, client, trail):
        pages = [audit(client, f"?per_page=2&page={n}") for n in (1, 2, 3)]
        assert [p["pages"] for p in pages] == [3, 3, 3]
        assert [kinds(p) for p in pages] == [["ReminderSent", "PaymentReceived"],
                                             ["NoteAdded", "CaseOpened"], ["CaseOpened"]]

    @pytest.mark.parametrize(("query", "field"), [
        ("?event_type=PaymentMade", "event_type"),
        ("?date_from=yesterday", "date_from"),
        ("?date_to=2025-13-01", "date_to"),
        ("?date_from=2025-12-20&date_to=2025-12-10", "date_to"),
        ("?page=-1", "page"),
        ("?per_page=1000", "per_page"),
        ("?who=ann", "who"),
    ])
    def test_refuses_a_bad_parameter_naming_it(self, client, query, field):
        response = client.get(f"{API}/audit{query}")
        assert response.status_code == 400
        assert list(response.json["errors"]) == [field]
