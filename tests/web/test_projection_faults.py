"""The web app when the read side lags or is stuck at an event it cannot apply.

Every page shows a banner; commands are still stored and the answer says so (never a 500
"nothing was stored"); /healthz reports the lag and the fault. SQLite and PostgreSQL.
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
from tests.access import install
from tests.commands import execute
from tests.poison import plant_huge_case
from tests.web.pages_html import text
from web import create_app

API = "/api/v1"
PAGES = ["/", "/cases", "/dashboard", "/audit", "/cases/new"]


def invoice(number: str) -> dict[str, str]:
    return {"invoice_number": number, "debtor_name": f"Debtor {number}", "amount": "100.00",
            "currency": "EUR", "issue_date": "2026-01-01", "due_date": "2026-01-31"}


@pytest.fixture
def app(database_url: str) -> Iterator[Flask]:
    app = create_app({
        "DATABASE_URL": database_url, "CLOCK": FixedClock(datetime(2026, 3, 2, 9, tzinfo=UTC)),
        "FOLLOW": False, "TESTING": True, "SECRET_KEY": "test"})
    yield install(app, {"web-test": "collector"}, "web-test")
    app.extensions["arrears"].close()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def good(client: FlaskClient) -> str:
    """A case opened through the API, projected: its id."""
    response = client.post(f"{API}/cases", json=invoice("GOOD-1"))
    assert response.status_code == 201, response.json
    assert response.json["views_behind"] == 0
    return response.json["case_id"]


@pytest.fixture
def stuck(app: Flask, good: str) -> str:
    """The poison planted as event 2, and a catch-up that stops at it: the poison's case id."""
    arrears = app.extensions["arrears"]
    case_id = plant_huge_case(arrears.service, date(2026, 1, 1))
    arrears.projector.catch_up()
    return str(case_id)


def head(app: Flask) -> int:
    """The last stored event's position (the users' events come first)."""
    return app.extensions["arrears"].service.recorder.max_notification_id()


def stored_events(app: Flask, case_id: str) -> int:
    return len(app.extensions["arrears"].service.history(UUID(case_id)))


class TestEveryPage:
    @pytest.mark.parametrize("path", PAGES)
    def test_shows_a_banner_naming_the_stuck_event(self, app, client, stuck, path):
        html = text(client.get(path))
        assert "views are behind: 1 event." in html
        assert f"stuck at event #{head(app)} (CaseOpened of case {stuck}, version 1)" in html

    def test_shows_the_banner_on_a_case_page_too(self, client, good, stuck):
        html = text(client.get(f"/cases/{good}"))
        assert "views are behind: 1 event." in html

    @pytest.mark.parametrize("path", PAGES)
    def test_shows_no_banner_when_the_views_are_up_to_date(self, client, good, path):
        assert "views are behind" not in text(client.get(path))

    def test_shows_a_lag_without_a_fault_when_events_are_not_yet_applied(self, app, client,
                                                                        good):
        execute(app.extensions["arrears"].service, UUID(good), "add_note", actor="cli",
                                                  text="from elsewhere")
        html = text(client.get("/cases"))
        assert "views are behind: 1 event." in html
        assert "stuck at" not in html

    def test_asks_the_read_side_for_its_status_once(self, app, client, stuck, monkeypatch):
        projector = app.extensions["arrears"].projector
        calls = []
        real = projector.status
        monkeypatch.setattr(projector, "status", lambda: calls.append(1) or real())
        client.get("/dashboard")
        assert len(calls) == 1


class TestACommandWhileTheViewsAreStuck:
    def test_through_the_api_is_stored_and_the_201_says_the_views_are_behind(
            self, app, client, good, stuck):
        before = stored_events(app, good)
        response = client.post(f"{API}/cases/{good}/add_note", json={"text": "called"})
        assert response.status_code == 201, response.json
        assert response.json["views_behind"] == 2
        assert stored_events(app, good) == before + 1

    def test_opening_a_case_through_the_api_is_stored_and_says_the_views_are_behind(
            self, app, client, stuck):
        response = client.post(f"{API}/cases", json=invoice("LATER-1"))
        assert response.status_code == 201, response.json
        assert response.json["views_behind"] == 2
        assert stored_events(app, response.json["case_id"]) == 1

    def test_through_a_form_is_stored_and_the_page_says_it_does_not_show_yet(
            self, app, client, good, stuck):
        before = stored_events(app, good)
        response = client.post(f"/cases/{good}/add_note", data={"text": "called"})
        assert response.status_code == 303
        assert stored_events(app, good) == before + 1
        html = text(client.get(response.headers["Location"]))
        assert "Recorded, but the views are behind: 2 events" in html

    def test_opening_a_case_through_the_form_is_stored_and_says_so(self, app, client, stuck):
        form = {**invoice("LATER-2"), "debtor_kind": "business", "creditor": "Web Creditor"}
        response = client.post("/cases/new", data=form)
        assert response.status_code == 303
        html = text(client.get(response.headers["Location"]))
        assert "Case opened, but the views are behind: 2 events" in html
        service = app.extensions["arrears"].service
        assert stored_events(app, str(service.resolve("LATER-2", "Web Creditor"))) == 1


class TestAFailure:
    def test_never_claims_that_nothing_was_stored(self, app, client, good, monkeypatch):
        app.config["PROPAGATE_EXCEPTIONS"] = False

        def broken(*_: Any, **__: Any) -> None:
            raise RuntimeError("the read model is gone")

        monkeypatch.setattr(app.extensions["arrears"].views, "timeline", broken)
        response = client.post(f"/cases/{good}/add_note", data={"text": "called"})
        assert response.status_code == 500
        html = text(response)
        assert "Nothing was stored" not in html
        assert "may have been stored" in html

    def test_in_the_api_after_a_write_says_it_may_have_been_stored(self, app, client, good,
                                                                     monkeypatch):
        app.config["PROPAGATE_EXCEPTIONS"] = False

        def broken(*_: Any, **__: Any) -> None:
            raise RuntimeError("the read model is gone")

        monkeypatch.setattr(app.extensions["arrears"].views, "case", broken)
        response = client.post(f"{API}/cases/{good}/add_note", json={"text": "called"})
        assert response.status_code == 500
        assert "may have been stored" in response.json["errors"]["server"][0]


class TestHealthz:
    def test_reports_the_lag_and_the_fault_without_failing(self, app, client, stuck):
        response = client.get("/healthz")
        assert response.status_code == 200
        body = response.json
        last = head(app)  # the poison, after the users' events and the good case
        assert (body["status"], body["position"], body["head"], body["lag"]) == (
            "stuck", last - 1, last, 1)
        assert body["fault"]["position"] == last
        assert body["fault"]["case_id"] == stuck
        assert body["fault"]["event_type"] == "CaseOpened"

    def test_reports_ok_when_the_views_are_up_to_date(self, client, good):
        body = client.get("/healthz").json
        assert (body["status"], body["lag"], body["fault"]) == ("ok", 0, None)
