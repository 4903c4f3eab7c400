"""Every count on the pages reads as English: 1 case, 2 cases, 1 event, 2 events."""

from __future__ import annotations

import re
from datetime import date
from html import unescape

import pytest
from flask.testing import FlaskClient

from tests.web.conftest import Seeder
from tests.web.pages_html import section, text


def words(html: str) -> str:
    """The text a reader sees: tags dropped, whitespace folded."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def seen(client: FlaskClient, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return words(text(response))


def says(page: str, phrase: str) -> bool:
    """The phrase appears as whole words ('1 event' is not in '1 events')."""
    return re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", page) is not None


def case_page(client: FlaskClient, seeded: dict[str, str], invoice: str) -> str:
    return seen(client, f"/cases/{seeded[invoice]}")


class TestTheCaseList:
    @pytest.mark.parametrize(("query", "count"), [("INV-1004", "1 case"),
                                                  ("Acme", "2 cases")])
    def test_counts_the_cases_found_under_the_heading_and_in_the_pages(
            self, client: FlaskClient, query: str, count: str) -> None:
        page = seen(client, f"/cases?q={query}")
        assert says(page, f"Cases {count} matching “{query}”")
        assert says(page, f"{count} · page 1 of 1")

    @pytest.mark.parametrize(("query", "notice"), [
        ("per_page=10&page=3", "There is only 1 page; showing the last."),
        ("per_page=5&page=3", "There are only 2 pages; showing the last."),
    ])
    def test_a_page_past_the_end_says_how_many_pages_there_are(
            self, client: FlaskClient, query: str, notice: str) -> None:
        assert notice in seen(client, f"/cases?{query}")


class TestTheCasePage:
    @pytest.mark.parametrize(("invoice", "count"), [("INV-1004", "Timeline 1 event"),
                                                    ("INV-1001", "Timeline 2 events")])
    def test_counts_the_timelines_events(self, client: FlaskClient, seeded: dict[str, str],
                                         invoice: str, count: str) -> None:
        assert says(case_page(client, seeded, invoice), count)

    @pytest.mark.parametrize(("due", "overdue"), [(date(2026, 3, 1), "1 day overdue"),
                                                  (date(2026, 2, 28), "2 days overdue")])
    def test_counts_the_days_overdue(self, client: FlaskClient, seeder: Seeder, due: date,
                                     overdue: str) -> None:
        seeder.open("INV-2001", "Gale Ltd", "10.00", "EUR", date(2026, 2, 1), due)
        seeder.arrears.projector.catch_up()
        page = case_page(client, seeder.ids, "INV-2001")
        assert says(page, f"due {due.isoformat()} · {overdue}")


class TestTheDebtorPage:
    @pytest.mark.parametrize(("debtor", "count"), [("carla jensen", "1 case, 1 open"),
                                                   ("acme trading ltd", "2 cases, 2 open")])
    def test_counts_their_cases(self, client: FlaskClient, debtor: str, count: str) -> None:
        assert says(seen(client, f"/debtors/{debtor}"), f"· {count}")


class TestTheDashboard:
    def test_counts_one_case_needing_an_action(self, client: FlaskClient) -> None:
        html = section(text(client.get("/dashboard")), "reminders_due")
        assert "Reminders due: 1 case</caption>" in html
        assert "Total 1 case" in words(html)

    def test_counts_two_cases_needing_an_action(self, client: FlaskClient,
                                                seeder: Seeder) -> None:
        seeder.open("INV-2002", "Gale Ltd", "10.00", "EUR", date(2026, 1, 1), date(2026, 2, 1))
        seeder.arrears.projector.catch_up()
        html = section(text(client.get("/dashboard")), "reminders_due")
        assert "Reminders due: 2 cases</caption>" in html
        assert "Total 2 cases" in words(html)


class TestTheAuditTrail:
    @pytest.mark.parametrize(("invoice", "count"), [("INV-1004", "1 event"),
                                                    ("INV-1001", "2 events")])
    def test_counts_the_events_found(self, client: FlaskClient, invoice: str,
                                     count: str) -> None:
        assert says(seen(client, f"/audit?case={invoice}"), f"{count} · page 1 of 1")
