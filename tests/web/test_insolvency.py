"""The case page and dashboard: the limitation date and its warning, the statutory demand,
an offer. Today is 2 March 2026."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from flask import Flask
from flask.testing import FlaskClient

from tests.commands import execute
from tests.web.conftest import Seeder
from tests.web.pages_html import invoices, section, text


def caught_up(app: Flask) -> None:
    app.extensions["arrears"].projector.catch_up()


class TestLimitationOnTheDashboard:
    def test_lists_open_cases_whose_limitation_falls_within_90_days(
            self, app: Flask, seeder: Seeder, client: FlaskClient) -> None:
        # Due 15 Apr 2020 + 6 years = 15 Apr 2026: 44 days from 2 Mar 2026, listed.
        seeder.open("LIM-NEAR", "Old Debts Ltd", "900.00", "GBP", date(2020, 3, 1),
                    date(2020, 4, 15))
        # Due 1 Jun 2020 + 6 = 1 Jun 2026: 91 days ahead, not yet.
        seeder.open("LIM-LATER", "Old Debts Ltd", "900.00", "GBP", date(2020, 5, 1),
                    date(2020, 6, 1))
        # Due 1 Mar 2020 + 6 = 1 Mar 2026: passed yesterday, no longer "within".
        seeder.open("LIM-PAST", "Old Debts Ltd", "900.00", "GBP", date(2020, 2, 1),
                    date(2020, 3, 1))
        # Near, but paid: closed cases are not warned about.
        paid = seeder.open("LIM-PAID", "Old Debts Ltd", "900.00", "GBP", date(2020, 3, 1),
                           date(2020, 4, 15))
        execute(app.extensions["arrears"].service, UUID(paid), "record_payment", actor="ann",
                occurred_on=date(2026, 3, 1), amount="900.00", method="card")
        caught_up(app)
        found = section(text(client.get("/dashboard")), "limitation_near")
        assert invoices(found) == ["LIM-NEAR"]
        assert "Limitation within 90 days" in found

    def test_the_case_page_gives_the_date_its_basis_and_the_warning(
            self, app: Flask, seeder: Seeder, client: FlaskClient) -> None:
        case_id = seeder.open("LIM-PAGE", "Old Debts Ltd", "900.00", "GBP", date(2020, 3, 1),
                              date(2020, 4, 15))
        caught_up(app)
        summary = section(text(client.get(f"/cases/{case_id}")), "summary")
        assert "2026-04-15" in summary and "within 90 days" in summary
        assert ("Limitation ends on 15 April 2026: 6 years from 15 April 2020, the due date "
                "(Limitation Act 1980 s.5).") in summary


class TestStatutoryDemandForm:
    def test_a_refusal_shows_the_reason_and_records_nothing(
            self, app: Flask, seeder: Seeder, client: FlaskClient) -> None:
        case_id = seeder.open("SD-LOW", "Small Ltd", "750.00", "GBP", date(2026, 1, 1),
                              date(2026, 1, 31))
        caught_up(app)
        response = client.post(f"/cases/{case_id}/serve_statutory_demand", data={})
        assert response.status_code == 422
        assert ("a statutory demand needs more than GBP 750.00 owed by a business debtor "
                "(Insolvency Act 1986 s.123); GBP 750.00 is owed") in text(response)

    def test_served_it_shows_on_the_case(self, app: Flask, seeder: Seeder,
                                         client: FlaskClient) -> None:
        case_id = seeder.open("SD-OK", "Big Ltd", "750.01", "GBP", date(2026, 1, 1),
                              date(2026, 1, 31))
        caught_up(app)
        response = client.post(f"/cases/{case_id}/serve_statutory_demand",
                               data={"occurred_on": "2026-03-02"})
        assert response.status_code == 303
        page = text(client.get(f"/cases/{case_id}"))
        # 2 Mar 2026 + 21 days = 23 Mar 2026.
        assert "Recorded: Statutory demand for GBP 750.01 served; 21 days to pay, until " \
               "23 March 2026" in page
        assert "Served; to pay by" in section(page, "summary")


class TestOfferOnThePage:
    def test_an_open_offer_shows_and_an_expired_one_says_so(
            self, app: Flask, seeder: Seeder, client: FlaskClient) -> None:
        case_id = seeder.open("OF-1", "Offer Ltd", "1000.00", "EUR", date(2026, 1, 1),
                              date(2026, 1, 31))
        caught_up(app)
        client.post(f"/cases/{case_id}/offer_discount",
                    data={"amount": "50", "expires_on": "2026-03-01",
                          "occurred_on": "2026-02-20"})
        summary = section(text(client.get(f"/cases/{case_id}")), "summary")
        assert "Discount:" in summary and "950.00" in summary and "expired" in summary
        response = client.post(f"/cases/{case_id}/accept_offer", data={})
        assert response.status_code == 422
        assert "the offer expired on 1 March 2026" in text(response)
