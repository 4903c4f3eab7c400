"""The case page's interest: the table `arrears interest --json` gives, the claim button,
what each payment paid, and interest left unclaimed when the principal is paid.

The case: GBP 1,200.00 due 2026-01-31, a business debtor in England and Wales, today
2026-03-02. Bank Rate on 31 December 2025: 3.75% -> 11.75% a year: GBP 141.00 a year.
"""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.web.conftest import Seeder
from tests.web.pages_html import section, text


@pytest.fixture
def uk_case(app: Flask, seeder: Seeder) -> str:
    case_id = seeder.open(f"INT-{uuid4().hex[:6]}", "Harbour Lights Ltd", "1200.00", "GBP",
                          date(2026, 1, 1), date(2026, 1, 31))
    app.extensions["arrears"].projector.catch_up()
    return case_id


def page(app: Flask, client: FlaskClient, case_id: str) -> str:
    app.extensions["arrears"].projector.catch_up()
    return text(client.get(f"/cases/{case_id}"))


class TestTheInterestSection:
    def test_shows_each_line_the_totals_and_the_basis(self, app, client, uk_case):
        # 1 Feb - 2 Mar 2026, 30 days: 141.00 x 30 / 365 = 11.589 -> 11.59; GBP 70 band
        html = section(page(app, client, uk_case), "interest")
        assert "1 Feb 2026" in html or "2026-02-01" in html
        assert ">30<" in html and "11.75" in html
        assert "GBP 11.59" in html and "GBP 70.00" in html
        assert "Late Payment of Commercial Debts (Interest) Act 1998" in html

    def test_the_button_claims_once(self, app, client, uk_case):
        response = client.post(f"/cases/{uk_case}/claim_interest", data={})
        assert response.status_code == 303
        timeline = app.extensions["arrears"].views.timeline(uk_case)
        claimed = [r for r in timeline if r["event_type"] == "PenaltyApplied"]
        assert [r["actor"] for r in claimed] == ["web-test", "web-test"]
        again = client.post(f"/cases/{uk_case}/claim_interest", data={},
                            follow_redirects=True)
        assert "Nothing recorded: nothing to claim" in text(again)
        timeline = app.extensions["arrears"].views.timeline(uk_case)
        assert len([r for r in timeline if r["event_type"] == "PenaltyApplied"]) == 2

    def test_each_payment_shows_what_it_paid(self, app, client, uk_case):
        client.post(f"/cases/{uk_case}/claim_interest", data={})
        client.post(f"/cases/{uk_case}/record_payment",
                    data={"amount": "100.00", "method": "card"})
        # 100.00 pays the GBP 70.00 compensation, then the 11.59 interest, then 18.41
        html = section(page(app, client, uk_case), "interest")
        assert "GBP 70.00" in html and "GBP 11.59" in html and "GBP 18.41" in html

    def test_interest_unclaimed_when_the_principal_is_paid_is_said(self, app, client,
                                                                   uk_case):
        client.post(f"/cases/{uk_case}/record_payment",
                    data={"amount": "1200.00", "method": "card", "occurred_on": "2026-02-14"})
        # 1-14 Feb: 141.00 x 14 / 365 = 5.408 -> 5.41
        html = page(app, client, uk_case)
        assert ("interest of GBP 5.41 to 14 February 2026 not claimed: claim it or waive it"
                in html)
        response = client.post(f"/cases/{uk_case}/waive_interest",
                               data={"reason": "Goodwill"})
        assert response.status_code == 303
        assert "not claimed" not in page(app, client, uk_case)
