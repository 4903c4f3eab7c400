"""A form sent twice records once: every rendered form carries a fresh one-time token."""

from __future__ import annotations

import re
from datetime import date
from uuid import UUID, uuid4

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.web.conftest import CREDITOR, Seeder
from tests.web.pages_html import section, text
from web.pages.forms import TOKEN_FIELD

REFERRAL = {"counsel": "Lee & Co", "override_reason": "debtor unreachable"}


@pytest.fixture
def case_id(app: Flask, seeder: Seeder) -> str:
    """An overdue EUR 2,000.00 case with nothing done yet."""
    found = seeder.open(f"ONCE-{uuid4().hex[:6]}", "Gamma Supplies Ltd", "2000.00", "EUR",
                        date(2026, 1, 1), date(2026, 1, 31))
    app.extensions["arrears"].projector.catch_up()
    return found


def stored(app: Flask, case_id: str) -> list[str]:
    """The case's event types, as stored (not as the views show them)."""
    return [e["type"] for e in app.extensions["arrears"].service.history(UUID(case_id))]


def tokens(html: str) -> list[str]:
    return re.findall(rf'<input type="hidden" name="{TOKEN_FIELD}" value="([^"]+)">', html)


def token(client: FlaskClient, path: str, form_id: str) -> str:
    """The one-time token of the form with this id, from a fresh render of the page."""
    found = tokens(section(text(client.get(path)), form_id))
    assert len(found) == 1
    return found[0]


class TestTheToken:
    def test_every_form_of_a_render_has_its_own_and_a_new_render_new_ones(
            self, client: FlaskClient, case_id: str) -> None:
        first, second = (tokens(text(client.get(f"/cases/{case_id}"))) for _ in range(2))
        assert len(first) > 10 and len(set(first)) == len(first)
        assert not set(first) & set(second)
        assert all(re.fullmatch(r"[A-Za-z0-9_-]{32}", t) for t in first)

    def test_the_open_case_form_has_one(self, client: FlaskClient) -> None:
        assert len(tokens(text(client.get("/cases/new")))) == 1


class TestACaseForm:
    def send(self, client: FlaskClient, case_id: str, once: str, **changes: str):
        return client.post(f"/cases/{case_id}/refer_to_counsel",
                           data={**REFERRAL, **changes, TOKEN_FIELD: once})

    def test_sent_twice_records_once_and_says_it_was_already_recorded(
            self, app: Flask, client: FlaskClient, case_id: str) -> None:
        once = token(client, f"/cases/{case_id}", "form-refer_to_counsel")
        first = self.send(client, case_id, once)
        assert first.status_code == 303
        client.get(first.headers["Location"])  # the first answer's messages, read
        again = self.send(client, case_id, once)
        assert again.status_code == 303
        assert again.headers["Location"] == f"/cases/{case_id}"
        assert stored(app, case_id).count("LegalReferral") == 1
        page = text(client.get(again.headers["Location"]))
        assert "Already recorded: " in page and "nothing new was stored" in page
        assert "Recorded: " not in page.replace("Already recorded: ", "")

    def test_two_renders_sent_once_each_record_two_referrals(
            self, app: Flask, client: FlaskClient, case_id: str) -> None:
        for _ in range(2):
            once = token(client, f"/cases/{case_id}", "form-refer_to_counsel")
            assert self.send(client, case_id, once).status_code == 303
        assert stored(app, case_id).count("LegalReferral") == 2

    def test_a_form_sent_again_with_other_values_is_refused_and_ready_again(
            self, app: Flask, client: FlaskClient, case_id: str) -> None:
        once = token(client, f"/cases/{case_id}", "form-refer_to_counsel")
        self.send(client, case_id, once)
        refused = self.send(client, case_id, once, counsel="Other & Partners")
        assert refused.status_code == 422
        html = text(refused)
        assert "already sent with other values" in section(html, "refer_to_counsel-errors")
        assert stored(app, case_id).count("LegalReferral") == 1
        fresh = tokens(section(html, "form-refer_to_counsel"))
        assert fresh and fresh[0] != once  # sent as it is now, it records the second one
        assert self.send(client, case_id, fresh[0], counsel="Other & Partners").status_code \
            == 303
        assert stored(app, case_id).count("LegalReferral") == 2

    def test_a_refused_form_keeps_nothing_and_may_be_corrected_and_sent(
            self, app: Flask, client: FlaskClient, case_id: str) -> None:
        once = token(client, f"/cases/{case_id}", "form-refer_to_counsel")
        assert self.send(client, case_id, once, override_reason="").status_code == 422
        assert self.send(client, case_id, once).status_code == 303
        assert stored(app, case_id).count("LegalReferral") == 1

    def test_a_malformed_token_is_refused(self, app: Flask, client: FlaskClient,
                                          case_id: str) -> None:
        before = stored(app, case_id)
        refused = self.send(client, case_id, "bad token!")
        assert refused.status_code == 400
        assert "one-time token is not valid" in text(refused)
        assert stored(app, case_id) == before


class TestTheOpenCaseForm:
    def test_sent_twice_opens_one_case_and_goes_to_it(self, app: Flask,
                                                      client: FlaskClient) -> None:
        data = {"creditor": CREDITOR, "invoice_number": f"ONCE-{uuid4().hex[:6]}",
                "amount": "500.00", "currency": "EUR", "issue_date": "2026-02-01",
                "due_date": "2026-03-01", "debtor_name": "Harbour Cafe Ltd",
                "debtor_kind": "business",
                TOKEN_FIELD: tokens(text(client.get("/cases/new")))[0]}
        first = client.post("/cases/new", data=data)
        assert first.status_code == 303
        client.get(first.headers["Location"])
        again = client.post("/cases/new", data=data)
        assert again.status_code == 303
        assert again.headers["Location"] == first.headers["Location"]
        page = text(client.get(again.headers["Location"]))
        assert "Case already opened" in page and "Case opened." not in page
        case_id = first.headers["Location"].rsplit("/", 1)[1]
        assert stored(app, case_id) == ["CaseOpened"]
