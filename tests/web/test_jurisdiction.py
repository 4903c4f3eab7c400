"""The open-case form takes the case's jurisdiction; the case page shows it."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.web.pages_html import text, unlabelled
from tests.web.test_pages import OPENING


def opened_page(client: FlaskClient, **changes: str) -> str:
    response = client.post("/cases/new", data={**OPENING, **changes})
    assert response.status_code == 303, text(response)
    return text(client.get(response.headers["Location"]))


class TestJurisdiction:
    def test_the_form_offers_every_jurisdiction(self, client: FlaskClient) -> None:
        html = text(client.get("/cases/new"))
        assert unlabelled(html) == []
        for word in ("england-wales", "scotland", "northern-ireland", "germany"):
            assert f'value="{word}"' in html

    def test_the_case_page_shows_the_jurisdiction_chosen(self, client: FlaskClient) -> None:
        page = opened_page(client, jurisdiction="germany")
        assert "Jurisdiction</dt><dd class=\"jurisdiction\">germany</dd>" in page

    def test_left_blank_the_case_is_under_england_and_wales(self, client: FlaskClient) -> None:
        page = opened_page(client, jurisdiction="")
        assert "Jurisdiction</dt><dd class=\"jurisdiction\">england-wales</dd>" in page
