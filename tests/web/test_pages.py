"""The HTML pages over HTTP: case list, dashboard, case page and its forms, debtor, audit trail."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from datetime import date
from typing import Any
from uuid import UUID, uuid4

import pytest
from flask import Flask
from flask.testing import FlaskClient

from domain.money import Money
from domain.values import Instalment
from tests.commands import execute
from tests.web.conftest import CREDITOR, Seeder
from tests.web.pages_html import (
    field_error,
    input_value,
    invoices,
    section,
    text,
    unlabelled,
)
from web.pages.audit import COLUMNS
from web.schemas.commands import COMMAND_SCHEMAS

ALL = ["INV-1001", "INV-1002", "INV-1003", "INV-1004", "INV-1005", "INV-1006", "INV-1007"]


def listed(client: FlaskClient, url: str) -> set[str]:
    response = client.get(url)
    assert response.status_code == 200
    return set(invoices(text(response)))


def events(app: Flask, case_id: str) -> list[dict[str, Any]]:
    return app.extensions["arrears"].views.timeline(case_id)


class TestCaseList:
    def test_lists_every_case_at_the_root_and_at_cases(self, client: FlaskClient) -> None:
        assert listed(client, "/") == set(ALL)
        assert listed(client, "/cases") == set(ALL)

    def test_shows_totals_per_currency_at_the_top(self, client: FlaskClient) -> None:
        html = text(client.get("/cases"))
        totals = html[:html.index('class="data cases"')]
        assert "EUR 4,750.00" in totals  # 1,200 + 800 + 300 + 450 + 2,000
        assert "GBP 5,070.00" in totals  # 5,000 + 70 penalty; INV-1006 is paid
        assert "GBP 100.00" in totals  # paid

    def test_shows_the_columns_a_credit_controller_works_from(self, client: FlaskClient) -> None:
        html = text(client.get("/cases?q=INV-1002"))
        for heading in ("Invoice", "Debtor", "Due date", "Days overdue", "Aging bucket",
                        "Stage", "Outstanding", "Hold", "Next promised date", "Next action"):
            assert heading in html
        assert "/debtors/email:accounts@acme.example" in html  # the debtor key
        assert "2026-02-20" in html and "2026-02-27" in html and "broken" in html
        assert "Chase broken promise" in html

    @pytest.mark.parametrize(("query", "expected"), [
        ("stage=demanded", {"INV-1003"}),
        ("stage=reminded", {"INV-1001"}),
        ("stage=paid", {"INV-1006"}),
        ("stage=overdue", {"INV-1002", "INV-1005", "INV-1007"}),
        ("stage=open", {"INV-1004"}),
        ("bucket=90%2B", {"INV-1003"}),
        ("bucket=61-90", {"INV-1001"}),
        ("bucket=31-60", {"INV-1005", "INV-1007"}),
        ("bucket=current", {"INV-1004"}),
        ("debtor=Acme+Trading+Ltd", {"INV-1001", "INV-1002"}),
        ("debtor=acme+trading+ltd", {"INV-1001", "INV-1002"}),
        ("on_hold=yes", {"INV-1005"}),
        ("currency=gbp", {"INV-1003", "INV-1006"}),
        ("q=1003", {"INV-1003"}),
        ("q=acme", {"INV-1001", "INV-1002"}),
        ("closed=hide&currency=GBP", {"INV-1003"}),
        ("on_hold=no&currency=EUR&bucket=31-60", {"INV-1007"}),
    ])
    def test_filters_and_searches(self, client: FlaskClient, query: str,
                                  expected: set[str]) -> None:
        assert listed(client, f"/cases?{query}") == expected

    def test_sorts_by_outstanding_descending(self, client: FlaskClient) -> None:
        html = text(client.get("/cases?sort=outstanding&dir=desc"))
        assert invoices(html) == ["INV-1003", "INV-1007", "INV-1001", "INV-1002", "INV-1005",
                                  "INV-1004", "INV-1006"]
        assert 'aria-sort="descending"' in html

    @pytest.mark.parametrize("sort", ["due_date", "outstanding", "debtor", "invoice", "stage",
                                      "updated"])
    def test_sorts_by_every_column_both_ways(self, client: FlaskClient, sort: str) -> None:
        ascending = invoices(text(client.get(f"/cases?sort={sort}")))
        descending = invoices(text(client.get(f"/cases?sort={sort}&dir=desc")))
        assert sorted(ascending) == sorted(descending) == ALL

    def test_sorts_by_invoice(self, client: FlaskClient) -> None:
        assert invoices(text(client.get("/cases?sort=invoice"))) == ALL
        assert invoices(text(client.get("/cases?sort=invoice&dir=desc"))) == ALL[::-1]

    def test_pages_and_keeps_the_filters_in_its_links(self, client: FlaskClient) -> None:
        first = text(client.get("/cases?currency=EUR&sort=invoice&per_page=2"))
        assert invoices(first) == ["INV-1001", "INV-1002"]
        assert "page 1 of 3" in first
        next_link = section(first, "main").split('rel="next"')[0].rsplit('href="', 1)[1]
        assert "currency=EUR" in next_link and "sort=invoice" in next_link
        assert "page=2" in next_link
        third = text(client.get("/cases?currency=EUR&sort=invoice&per_page=2&page=3"))
        assert invoices(third) == ["INV-1007"]

    def test_sort_links_keep_the_filters(self, client: FlaskClient) -> None:
        html = text(client.get("/cases?currency=EUR&stage=overdue"))
        start = html.index('class="data cases"')
        header = html[start:html.index("</thead>", start)]
        assert header.count("currency=EUR") == 5 and header.count("stage=overdue") == 5

    @pytest.mark.parametrize(("query", "notice"), [
        ("bucket=zzz", "Ignored unknown aging bucket"),
        ("stage=lost", "Ignored unknown stage"),
        ("page=abc", "Ignored page"),
        ("page=0", "Ignored page"),
        ("per_page=-5", "Ignored per page"),
        ("per_page=100000", "Ignored per page"),
        ("sort=colour", "Ignored unknown sort"),
        ("dir=sideways", "Ignored unknown sort direction"),
        ("on_hold=maybe", "Ignored unknown hold choice"),
        ("currency=EURO", "Ignored currency"),
    ])
    def test_ignores_bad_filter_values_with_a_notice(self, client: FlaskClient, query: str,
                                                     notice: str) -> None:
        response = client.get(f"/cases?{query}")
        assert response.status_code == 200
        assert notice in text(response)
        assert set(invoices(text(response))) == set(ALL)

    def test_a_page_past_the_end_shows_the_last(self, client: FlaskClient) -> None:
        html = text(client.get("/cases?per_page=5&page=9&sort=invoice"))
        assert "There are only 2 pages; showing the last." in html
        assert invoices(html) == ["INV-1006", "INV-1007"]

    def test_the_lookup_box_opens_the_case_named_by_its_invoice(
            self, client: FlaskClient, seeded: dict[str, str]) -> None:
        response = client.get("/cases?q=INV-1003&go=1")
        assert response.status_code == 303
        assert response.headers["Location"].endswith(f"/cases/{seeded['INV-1003']}")

    def test_the_lookup_box_lists_when_no_single_invoice_matches(
            self, client: FlaskClient) -> None:
        assert listed(client, "/cases?q=acme&go=1") == {"INV-1001", "INV-1002"}

    def test_an_empty_list_says_so(self, client: FlaskClient) -> None:
        html = text(client.get("/cases?q=nothing-like-this"))
        assert "No cases match." in html and invoices(html) == []


class TestDashboard:
    def test_shows_outstanding_by_aging_bucket_per_currency(self, client: FlaskClient) -> None:
        table = section(text(client.get("/dashboard")), "aging")
        table = table[table.index('class="data aging"'):]
        rows = {row.split("</th>")[0].rsplit(">", 2)[-2].split("<")[0]: row
                for row in table.split("<tr>")[2:]}
        assert "EUR 300.00" in rows["current"]
        assert "EUR 800.00" in rows["1-30"] and "GBP 0.00" in rows["1-30"]
        assert "EUR 2,450.00" in rows["31-60"]
        assert "EUR 1,200.00" in rows["61-90"]
        assert "GBP 5,070.00" in rows["90+"]
        assert "EUR 4,750.00" in table.split("<tfoot>")[1]

    def test_draws_the_aging_chart_as_accessible_svg(self, client: FlaskClient) -> None:
        html = text(client.get("/dashboard"))
        assert '<svg role="img" aria-labelledby="aging-title aging-desc"' in html
        assert '<title id="aging-title">Outstanding by aging bucket</title>' in html
        desc = html[html.index('<desc id="aging-desc">'):html.index("</desc>")]
        assert "90+: EUR 0.00, GBP 5,070.00" in desc

    def test_serves_the_chart_as_an_svg_image(self, client: FlaskClient) -> None:
        response = client.get("/dashboard/aging.svg")
        assert response.status_code == 200
        assert response.mimetype == "image/svg+xml"
        root = ET.fromstring(response.data)
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        assert root.find("{http://www.w3.org/2000/svg}title").text == "Outstanding by aging bucket"

    def test_counts_cases_by_stage(self, client: FlaskClient) -> None:
        table = section(text(client.get("/dashboard")), "stages")
        counts = {}
        for row in table.split("<tr")[2:]:
            if "stage-" in row:
                name = row.split("stage-")[1].split('"')[0]
                counts[name] = int(row.split('<td class="num">')[1].split("<")[0])
        assert counts["overdue"] == 3 and counts["reminded"] == 1 and counts["demanded"] == 1
        assert counts["open"] == 1 and counts["paid"] == 1 and counts["with_counsel"] == 0

    @pytest.mark.parametrize(("action", "invoice"), [
        ("broken_promises", "INV-1002"),
        ("deadlines_passed", "INV-1003"),
        ("demands_due", "INV-1001"),
        ("reminders_due", "INV-1007"),
    ])
    def test_lists_what_needs_action_today(self, client: FlaskClient, action: str,
                                           invoice: str) -> None:
        found = section(text(client.get("/dashboard")), action)
        assert invoices(found) == [invoice]
        assert '<span class="total">1</span>' in found

    def test_lists_a_missed_instalment_and_the_case_shows_it(
            self, app: Flask, seeder: Seeder, client: FlaskClient) -> None:
        case_id = seeder.open("INV-4001", "Ivy Bakery Ltd", "600.00", "EUR", date(2025, 12, 1),
                              date(2025, 12, 31))
        execute(app.extensions["arrears"].service,
            UUID(case_id), "agree_payment_plan", actor="ann", occurred_on=date(2026, 2, 1),
            instalments=[Instalment(date(2026, 2, 15), Money.of("300", "EUR")),
                         Instalment(date(2026, 3, 15), Money.of("300", "EUR"))])
        app.extensions["arrears"].projector.catch_up()
        found = section(text(client.get("/dashboard")), "missed_instalments")
        assert invoices(found) == ["INV-4001"]
        summary = section(text(client.get(f"/cases/{case_id}")), "summary")
        assert "2026-02-15" in summary and "missed" in summary
        assert "Chase missed instalment" in summary

    def test_an_empty_dashboard_still_renders(self, app: Flask) -> None:
        response = app.test_client().get("/dashboard")
        assert response.status_code == 200
        assert "Nothing is outstanding." in text(response)
        assert app.test_client().get("/dashboard/aging.svg").status_code == 200


class TestCasePage:
    def test_shows_the_summary_and_the_debtors_contact_details(
            self, client: FlaskClient, seeded: dict[str, str]) -> None:
        html = text(client.get(f"/cases/{seeded['INV-1003']}"))
        summary = section(html, "summary")
        for fact in ("INV-1003", CREDITOR, "2025-09-15", "2025-10-15", "138", "90+",
                     "stage-demanded", "2026-01-24", "Demand deadline passed: refer",
                     "accounts@bright.example", "+44 20 7946 0000", "1 High Street",
                     "Bright Wholesale plc"):
            assert fact in summary, fact

    def test_shows_the_money_breakdown(self, client: FlaskClient,
                                       seeded: dict[str, str]) -> None:
        money = section(text(client.get(f"/cases/{seeded['INV-1003']}")), "money")
        for label, amount in (("Principal", "GBP 5,000.00"), ("Penalties", "GBP 70.00"),
                              ("Paid", "GBP 0.00"), ("Waived", "GBP 0.00"),
                              ("Written off", "GBP 0.00"), ("Outstanding", "GBP 5,070.00")):
            row = money.split(f">{label}</th>")[1].split("</tr>")[0]
            assert amount in row, label

    def test_timeline_shows_business_time_and_recorded_time_with_actor(
            self, client: FlaskClient, seeded: dict[str, str]) -> None:
        timeline = section(text(client.get(f"/cases/{seeded['INV-1002']}")), "timeline")
        row = timeline.split("PaymentPromised")[0].rsplit("<tr>", 1)[1] + \
            timeline.split("PaymentPromised")[1].split("</tr>")[0]
        assert "2026-02-21" in row  # occurred on
        assert "2026-03-02 09:00 UTC" in row  # recorded at
        assert "bob" in row
        assert "Promised to pay EUR 800.00 by 2026-02-27" in row

    def test_timeline_is_by_business_date_then_recorded_time_and_marks_back_dated_events(
            self, app: Flask, seeder: Seeder, client: FlaskClient) -> None:
        seeder.run("INV-1001", "add_note", date(2026, 2, 10), text="Called, no answer")
        seeder.run("INV-1001", "log_call", date(2026, 1, 20), direction="outbound",
                   outcome="no_answer")  # recorded after the note, dated before it
        app.extensions["arrears"].projector.catch_up()
        timeline = section(text(client.get(f"/cases/{seeder.ids['INV-1001']}")), "timeline")
        rows = timeline.split("<tbody>")[1].split("</tr>")[:-1]
        assert [row.split('class="event-type">')[1].split("<")[0] for row in rows] == \
            ["CaseOpened", "ReminderSent", "CallLogged", "NoteAdded"]
        assert ["back-dated" in row for row in rows] == [False, False, True, False]
        assert "2026-03-02 09:00 UTC" in rows[2]  # both times: recorded at, beside occurred on
        assert "2026-01-20" in rows[2]

    def test_has_a_labelled_form_for_every_command_that_applies(
            self, client: FlaskClient, seeded: dict[str, str]) -> None:
        case_id = seeded["INV-1001"]
        html = text(client.get(f"/cases/{case_id}"))
        shown, _, more = html.partition('id="more-actions"')
        for command in ("log_call", "record_payment", "promise_payment", "add_note"):
            assert f'action="/cases/{case_id}/{command}"' in shown, command
        for command in ("write_off", "agree_settlement", "place_hold", "refer_to_counsel",
                        "file_bankruptcy_claim", "apply_penalty", "attach_document"):
            assert f'action="/cases/{case_id}/{command}"' in more, command
        for command in ("resolve_dispute", "lift_hold", "conclude_mediation"):
            assert f'action="/cases/{case_id}/{command}"' not in html, command
        assert unlabelled(html) == []

    def test_a_disputed_case_shows_resolving_it_and_no_chasing(
            self, client: FlaskClient, seeded: dict[str, str]) -> None:
        case_id = seeded["INV-1001"]
        posted = client.post(f"/cases/{case_id}/raise_dispute",
                             data={"reason": "goods damaged", "occurred_on": "2026-03-01"})
        assert posted.status_code == 303
        html = text(client.get(f"/cases/{case_id}"))
        shown, _, _ = html.partition('id="more-actions"')
        assert f'action="/cases/{case_id}/resolve_dispute"' in shown
        for refused in ("raise_dispute", "lift_hold", "issue_demand"):
            assert f'action="/cases/{case_id}/{refused}"' not in html, refused

    def test_opens_the_most_used_forms_first(self, client: FlaskClient,
                                             seeded: dict[str, str]) -> None:
        html = text(client.get(f"/cases/{seeded['INV-1001']}"))
        opened = [c for c in COMMAND_SCHEMAS
                  if f'id="form-{c}" open' in html]
        assert opened == ["log_call", "record_payment", "promise_payment"]

    def test_a_closed_case_offers_only_a_note_and_a_document(self, client: FlaskClient,
                                                             seeded: dict[str, str]) -> None:
        case_id = seeded["INV-1006"]
        html = text(client.get(f"/cases/{case_id}"))
        assert f'action="/cases/{case_id}/add_note"' in html
        assert f'action="/cases/{case_id}/attach_document"' in html
        assert f'action="/cases/{case_id}/record_payment"' not in html
        assert "only notes and documents may be added" in html

    @pytest.mark.parametrize("url", ["/cases/00000000-0000-0000-0000-000000000000",
                                     "/cases/not-a-case", "/cases/a/b/c"])
    def test_an_unknown_case_is_a_404_page(self, client: FlaskClient, url: str) -> None:
        response = client.get(url)
        assert response.status_code == 404
        assert "Not Found" in text(response) and "Audit trail" in text(response)

    def test_posting_to_an_unknown_case_or_command_is_a_404(
            self, client: FlaskClient, seeded: dict[str, str]) -> None:
        assert client.post(f"/cases/{uuid4()}/add_note", data={"text": "x"}).status_code == 404
        assert client.post(f"/cases/{seeded['INV-1001']}/launch_rocket",
                           data={}).status_code == 404

    def test_a_command_url_does_not_accept_get(self, client: FlaskClient,
                                               seeded: dict[str, str]) -> None:
        assert client.get(f"/cases/{seeded['INV-1001']}/add_note").status_code == 405


def plan(*rows: tuple[str, str]) -> dict[str, str]:
    data = {}
    for n, (due_on, amount) in enumerate(rows, start=1):
        data[f"instalments[{n}].due_on"] = due_on
        data[f"instalments[{n}].amount"] = amount
    return data


DEMAND = {"deadline": "2026-03-16", "consequences": "Referral to counsel."}
COMMANDS: dict[str, tuple[list[tuple[str, dict[str, str]]], dict[str, str], str]] = {
    "log_call": ([], {"direction": "outbound", "person": "Jo Bloggs",
                      "outcome": "promised_to_pay", "notes": "Will pay Friday"}, "CallLogged"),
    "record_payment": ([], {"amount": "1,250.00", "method": "bank_transfer",
                            "reference": "BACS 991"}, "PaymentReceived"),
    "promise_payment": ([], {"amount": "400", "promised_on": "2026-03-10"},
                        "PaymentPromised"),
    "send_reminder": ([], {"channel": "email"}, "ReminderSent"),
    "add_note": ([], {"text": "Spoke to their accountant."}, "NoteAdded"),
    "apply_penalty": ([], {"kind": "statutory_interest", "amount": "9.86", "rate": "12",
                           "period_start": "2026-02-01", "period_end": "2026-03-01",
                           "basis": "8% over base rate"}, "PenaltyApplied"),
    "waive_penalty": ([("apply_penalty", {"kind": "late_fee", "amount": "40.00"})],
                      {"kind": "late_fee", "amount": "40.00", "reason": "Goodwill"},
                      "PenaltyWaived"),
    "issue_demand": ([], {**DEMAND, "letter_reference": "LBA-1"}, "DemandIssued"),
    "raise_dispute": ([], {"reason": "Goods not received"}, "DisputeRaised"),
    "resolve_dispute": ([("raise_dispute", {"reason": "Short delivery"})],
                        {"outcome": "for_creditor", "notes": "Delivery note signed"},
                        "DisputeResolved"),
    "place_hold": ([], {"reason": "Awaiting credit note", "until": "2026-03-20"},
                   "HoldPlaced"),
    "lift_hold": ([("place_hold", {"reason": "Review"})], {"reason": "Reviewed"},
                  "HoldLifted"),
    "agree_payment_plan": ([], plan(("2026-03-15", "300.00"), ("2026-04-15", "300.00"),
                                    ("2026-05-15", "400.00")), "PaymentPlanAgreed"),
    "agree_settlement": ([], {"amount": "800.00", "pay_by": "2026-03-31"}, "SettlementAgreed"),
    "refer_to_mediation": ([("issue_demand", DEMAND)], {"mediator": "CEDR", "reference": "M-1"},
                           "MediationReferred"),
    "conclude_mediation": ([("refer_to_mediation", {"mediator": "CEDR",
                                                    "override_reason": "Debtor asked"})],
                           {"outcome": "agreed"}, "MediationConcluded"),
    "refer_to_counsel": ([("issue_demand", DEMAND)], {"counsel": "Lee & Co Solicitors"},
                         "LegalReferral"),
    "assign_agency": ([], {"agency": "Northern Collections"}, "CollectionAgencyAssigned"),
    "file_bankruptcy_claim": ([], {"court": "High Court",
                                   "insolvency_case_number": "BR-2026-17"},
                              "BankruptcyClaimFiled"),
    "acknowledge_debt": ([], {"document": "Email of 2026-02-28", "amount": "1000.00"},
                         "DebtAcknowledged"),
    "withdraw_service": ([], {"service": "Support contract"}, "ServiceWithdrawn"),
    "record_delivery": ([], {"method": "email", "proof": "Read receipt"}, "InvoiceDelivered"),
    "write_off": ([], {"reason": "uncollectable", "notes": "Debtor dissolved"}, "WrittenOff"),
    "waive_interest": ([], {"reason": "Goodwill"}, "InterestWaived"),
    "serve_statutory_demand": ([], {}, "StatutoryDemandServed"),
    "offer_settlement": ([], {"amount": "1,500.00", "expires_on": "2026-03-20"},
                         "SettlementOffered"),
    "offer_discount": ([], {"percent": "2.5", "expires_on": "2026-03-20"},
                       "SettlementOffered"),
    "accept_offer": ([("offer_settlement", {"amount": "1500", "expires_on": "2026-03-20"})],
                     {}, "OfferAccepted"),
    "withdraw_offer": ([("offer_settlement", {"amount": "1500", "expires_on": "2026-03-20"})],
                       {"reason": "No reply"}, "OfferWithdrawn"),
}
# Exercised on a GBP case in tests/web/test_interest_page.py (fresh_case is a euro debt
# under English law, whose fixed sum in GBP the law refuses).
ELSEWHERE = {"claim_interest"}
# Commands tried on a GBP case (the statutory demand's thresholds are in pounds).
IN_POUNDS = {"serve_statutory_demand"}


@pytest.fixture
def fresh_case(app: Flask, seeder: Seeder) -> str:
    """An overdue EUR 2,000.00 case with nothing done yet (due 2026-01-31)."""
    case_id = seeder.open(f"CMD-{uuid4().hex[:6]}", "Gamma Supplies Ltd", "2000.00", "EUR",
                          date(2026, 1, 1), date(2026, 1, 31))
    app.extensions["arrears"].projector.catch_up()
    return case_id


class TestCommandForms:
    def test_every_command_is_exercised(self) -> None:
        assert set(COMMANDS) | ELSEWHERE == set(COMMAND_SCHEMAS)

    @pytest.mark.parametrize("command", list(COMMANDS))
    def test_each_form_records_its_event_and_returns_to_the_case(
            self, app: Flask, client: FlaskClient, fresh_case: str, command: str,
            seeder: Seeder) -> None:
        before, payload, event_type = COMMANDS[command]
        if command in IN_POUNDS:
            fresh_case = seeder.open(f"CMD-{uuid4().hex[:6]}", "Gamma Supplies Ltd", "2000.00",
                                     "GBP", date(2026, 1, 1), date(2026, 1, 31))
            app.extensions["arrears"].projector.catch_up()
        for step, data in before:
            assert client.post(f"/cases/{fresh_case}/{step}", data=data).status_code == 303
        count = len(events(app, fresh_case))
        response = client.post(f"/cases/{fresh_case}/{command}", data=payload)
        assert response.status_code == 303, text(response)
        assert response.headers["Location"] == f"/cases/{fresh_case}"
        after = events(app, fresh_case)
        assert len(after) > count
        assert event_type in [e["event_type"] for e in after[count:]]
        assert {e["actor"] for e in after[count:]} == {"web-test"}  # the signed-in user
        page = text(client.get(response.headers["Location"]))
        assert "Recorded: " in page
        assert f'<span class="event-type">{event_type}</span>' in page

    def test_a_command_is_recorded_by_the_signed_in_user_whatever_the_form_says(
            self, app: Flask, client: FlaskClient, fresh_case: str) -> None:
        response = client.post(f"/cases/{fresh_case}/add_note",
                               data={"text": "Checked the ledger", "actor": "mallory"})
        assert response.status_code == 303
        assert events(app, fresh_case)[-1]["actor"] == "web-test"

    def test_no_form_asks_who_records_it(self, client: FlaskClient, fresh_case: str) -> None:
        html = text(client.get(f"/cases/{fresh_case}"))
        assert 'name="actor"' not in html

    def test_occurred_on_is_kept_as_business_time(self, app: Flask, client: FlaskClient,
                                                  fresh_case: str) -> None:
        client.post(f"/cases/{fresh_case}/log_call",
                    data={"direction": "inbound", "outcome": "other",
                          "occurred_on": "2026-02-10"})
        call = [e for e in events(app, fresh_case) if e["event_type"] == "CallLogged"][0]
        assert call["occurred_on"] == date(2026, 2, 10)
        assert call["recorded_at"].startswith("2026-03-02T09:00")


class TestRefusedCommands:
    def refused(self, app: Flask, client: FlaskClient, case_id: str, command: str,
                data: dict[str, str], status: int) -> str:
        count = len(events(app, case_id))
        response = client.post(f"/cases/{case_id}/{command}", data=data)
        assert response.status_code == status
        assert len(events(app, case_id)) == count  # nothing stored
        html = text(response)
        assert f'id="form-{command}" open' in html
        assert "Nothing was stored" in html
        return html

    def test_a_negative_amount_is_shown_beside_the_field_with_the_input_kept(
            self, app: Flask, client: FlaskClient, fresh_case: str) -> None:
        html = self.refused(app, client, fresh_case, "record_payment",
                            {"amount": "-5", "method": "card", "reference": "R-77"}, 400)
        assert field_error(html, "record_payment-amount") == "must be more than zero, got -5"
        assert input_value(html, "record_payment-amount") == "-5"
        assert input_value(html, "record_payment-reference") == "R-77"
        assert 'value="card" selected' in section(html, "form-record_payment")

    def test_a_missing_field_is_shown_beside_it(self, app: Flask, client: FlaskClient,
                                                fresh_case: str) -> None:
        html = self.refused(app, client, fresh_case, "log_call",
                            {"direction": "outbound", "person": "Jo"}, 400)
        assert field_error(html, "log_call-outcome") == "Missing data for required field."
        assert input_value(html, "log_call-person") == "Jo"

    def test_a_referral_without_a_demand_is_refused_beside_the_override_reason(
            self, app: Flask, client: FlaskClient, fresh_case: str) -> None:
        html = self.refused(app, client, fresh_case, "refer_to_counsel",
                            {"counsel": "Lee & Co"}, 422)
        assert "issue a demand before referring to counsel" in field_error(
            html, "refer_to_counsel-override_reason")
        assert input_value(html, "refer_to_counsel-counsel") == "Lee & Co"

    def test_paying_more_than_is_outstanding_is_refused(
            self, app: Flask, client: FlaskClient, fresh_case: str) -> None:
        html = self.refused(app, client, fresh_case, "record_payment",
                            {"amount": "5000", "method": "card"}, 422)
        assert "more than the outstanding balance" in field_error(html, "record_payment-amount")

    def test_a_bad_date_is_shown_beside_the_field(self, app: Flask, client: FlaskClient,
                                                  fresh_case: str) -> None:
        html = self.refused(app, client, fresh_case, "promise_payment",
                            {"amount": "100", "promised_on": "10/03/2026"}, 400)
        assert field_error(html, "promise_payment-promised_on") == \
            "'10/03/2026' is not a date (YYYY-MM-DD)"

    def test_an_instalment_error_is_shown_beside_its_row(
            self, app: Flask, client: FlaskClient, fresh_case: str) -> None:
        data = plan(("2026-03-15", "300.00"), ("2026-04-15", "0"))
        html = self.refused(app, client, fresh_case, "agree_payment_plan", data, 400)
        assert field_error(html, "agree_payment_plan-amount-2") == "must be more than zero, got 0"
        assert input_value(html, "agree_payment_plan-due-1") == "2026-03-15"

    def test_a_plan_without_instalments_is_refused(self, app: Flask, client: FlaskClient,
                                                   fresh_case: str) -> None:
        html = self.refused(app, client, fresh_case, "agree_payment_plan", {}, 400)
        assert field_error(html, "agree_payment_plan-instalments") == \
            "a plan needs at least one instalment"

    def test_a_rule_about_the_whole_case_is_shown_at_the_top_of_the_form(
            self, app: Flask, client: FlaskClient, seeded: dict[str, str]) -> None:
        html = self.refused(app, client, seeded["INV-1005"], "send_reminder",
                            {"channel": "email"}, 422)
        errors = section(html, "send_reminder-errors")
        assert "lift the hold before sending a reminder" in errors

    def test_a_closed_case_refuses_a_payment_and_shows_why(
            self, app: Flask, client: FlaskClient, seeded: dict[str, str]) -> None:
        html = self.refused(app, client, seeded["INV-1006"], "record_payment",
                            {"amount": "10", "method": "card"}, 422)
        assert "only notes may be added" in section(html, "record_payment-errors")

    def test_a_form_posted_from_another_site_is_forbidden(
            self, app: Flask, client: FlaskClient, fresh_case: str) -> None:
        count = len(events(app, fresh_case))
        response = client.post(f"/cases/{fresh_case}/add_note", data={"text": "x"},
                               headers={"Origin": "https://evil.example"})
        assert response.status_code == 403
        assert len(events(app, fresh_case)) == count
        same = client.post(f"/cases/{fresh_case}/add_note", data={"text": "x"},
                           headers={"Origin": "http://localhost"})
        assert same.status_code == 303


OPENING = {
    "creditor": CREDITOR, "invoice_number": "INV-2001", "amount": "1,500.00",
    "currency": "eur", "issue_date": "2026-02-01", "due_date": "2026-03-01",
    "debtor_name": "Harbour Cafe Ltd", "debtor_kind": "business",
    "debtor_email": "pay@harbour.example", "debtor_phone": "+44 161 496 0000",
    "debtor_address": "2 Quay Street", "interest_rate": "8", "late_fee": "40",
    "payment_methods": ["bank_transfer", "card"], "contract_reference": "MSA-7",
}


class TestOpenCase:
    def test_the_form_is_labelled_and_prefilled_with_the_creditor(
            self, client: FlaskClient) -> None:
        html = text(client.get("/cases/new"))
        assert unlabelled(html) == []
        assert input_value(html, "open_case-currency") == "EUR"
        assert 'action="/cases/new"' in html

    def test_opens_the_case_and_goes_to_it(self, app: Flask, client: FlaskClient) -> None:
        response = client.post("/cases/new", data=OPENING)
        assert response.status_code == 303
        page = text(client.get(response.headers["Location"]))
        assert "Case opened." in page and "Invoice INV-2001" in page
        assert "EUR 1,500.00" in page and "pay@harbour.example" in page
        assert "bank transfer, card" in page and "EUR 40.00" in page
        assert listed(client, "/cases?q=INV-2001") == {"INV-2001"}

    def test_bad_input_is_shown_beside_each_field_and_kept(self, client: FlaskClient) -> None:
        response = client.post("/cases/new", data={**OPENING, "invoice_number": "",
                                                   "amount": "-1", "currency": "EURO"})
        assert response.status_code == 400
        html = text(response)
        assert field_error(html, "open_case-invoice_number") == "Missing data for required field."
        assert field_error(html, "open_case-amount") == "must be more than zero, got -1"
        assert "not an ISO 4217 currency" in field_error(html, "open_case-currency")
        assert input_value(html, "open_case-debtor_name") == "Harbour Cafe Ltd"
        assert 'value="card" checked' in html
        assert listed(client, "/cases?q=INV-2001") == set()

    def test_a_due_date_before_the_issue_date_is_refused(self, client: FlaskClient) -> None:
        response = client.post("/cases/new", data={**OPENING, "due_date": "2026-01-01"})
        assert response.status_code == 400
        assert "before the issue date" in field_error(text(response), "open_case-due_date")

    def test_a_bad_email_is_shown_beside_the_debtors_email(self, client: FlaskClient) -> None:
        response = client.post("/cases/new", data={**OPENING, "debtor_email": "nobody"})
        assert response.status_code == 400
        assert "not an email address" in field_error(text(response), "open_case-debtor_email")

    def test_a_second_case_for_the_same_invoice_is_refused(self, client: FlaskClient) -> None:
        response = client.post("/cases/new", data={**OPENING, "invoice_number": "INV-1001"})
        assert response.status_code == 409
        assert "already has a case" in field_error(text(response), "open_case-invoice_number")


class TestDebtorPage:
    def test_shows_contact_details_cases_and_totals(self, client: FlaskClient) -> None:
        response = client.get("/debtors/acme trading ltd")
        assert response.status_code == 200
        html = text(response)
        assert set(invoices(html)) == {"INV-1001", "INV-1002"}
        assert "accounts@acme.example" in html and "+44 20 7946 0000" in html
        assert "EUR 2,000.00" in section(html, "totals")

    def test_a_debtor_whose_name_has_a_slash_has_a_page(self, app: Flask, seeder: Seeder,
                                                        client: FlaskClient) -> None:
        seeder.open("INV-3001", "Nordic A/S", "100.00", "DKK", date(2026, 1, 1),
                    date(2026, 1, 31))
        app.extensions["arrears"].projector.catch_up()
        html = text(client.get("/cases?q=INV-3001"))
        assert "/debtors/email:accounts@nordic.example" in html  # the debtor's key
        assert invoices(text(client.get("/debtors/nordic a/s"))) == ["INV-3001"]  # by name

    def test_an_unknown_debtor_is_a_404(self, client: FlaskClient) -> None:
        assert client.get("/debtors/nobody at all").status_code == 404


class TestAuditTrail:
    def test_lists_every_event_with_both_times_actor_and_case(
            self, client: FlaskClient, seeded: dict[str, str]) -> None:
        html = text(client.get("/audit"))
        assert "15 events" in html
        assert f'href="/cases/{seeded["INV-1003"]}"' in html
        assert "2026-03-02 09:00 UTC" in html and "2025-10-20" in html
        assert "DemandIssued" in html and "Demand for GBP 5,070.00 issued" in html

    @pytest.mark.parametrize(("query", "expected"), [
        ("actor=bob", {"INV-1002", "INV-1006"}),
        ("case=INV-1003", {"INV-1003"}),
        ("event_type=DemandIssued", {"INV-1003"}),
        ("date_from=2026-01-01&date_to=2026-01-31",
         {"INV-1001", "INV-1002", "INV-1003", "INV-1005", "INV-1006"}),
        ("date_from=2026-03-01", {"INV-1004"}),
    ])
    def test_filters(self, client: FlaskClient, query: str, expected: set[str]) -> None:
        assert listed(client, f"/audit?{query}") == expected

    def test_filters_by_case_id(self, client: FlaskClient, seeded: dict[str, str]) -> None:
        assert listed(client, f"/audit?case={seeded['INV-1006']}") == {"INV-1006"}

    def test_offers_the_recorded_event_types(self, client: FlaskClient) -> None:
        html = text(client.get("/audit"))
        for event_type in ("CaseOpened", "ReminderSent", "PaymentPromised", "CasePaid"):
            assert f'<option value="{event_type}"' in html

    @pytest.mark.parametrize(("query", "notice"), [
        ("date_from=yesterday", "Ignored occurred-on from"),
        ("date_to=2026-13-45", "Ignored occurred-on to"),
        ("event_type=Teleported", "Ignored unknown event type"),
        ("page=x", "Ignored page"),
        ("page=40", "There is only 1 page; showing the last."),
        ("date_from=2026-02-01&date_to=2026-01-01", "ends before it starts"),
    ])
    def test_bad_filters_are_ignored_with_a_notice(self, client: FlaskClient, query: str,
                                                   notice: str) -> None:
        response = client.get(f"/audit?{query}")
        assert response.status_code == 200
        assert notice in text(response)

    def test_exports_the_filtered_rows_as_csv(self, client: FlaskClient,
                                              seeded: dict[str, str]) -> None:
        response = client.get("/audit.csv?case=INV-1003")
        assert response.status_code == 200
        assert response.mimetype == "text/csv"
        assert response.headers["Content-Disposition"] == \
            'attachment; filename="audit-2026-03-02-case-INV-1003.csv"'
        rows = list(csv.reader(io.StringIO(text(response))))
        assert tuple(rows[0]) == COLUMNS
        assert [r[COLUMNS.index("event_type")] for r in rows[1:]] == [  # newest first
            "DemandIssued", "PenaltyApplied", "ReminderSent", "CaseOpened"]
        assert {r[COLUMNS.index("case_id")] for r in rows[1:]} == {seeded["INV-1003"]}

    def test_the_export_link_keeps_the_filters(self, client: FlaskClient) -> None:
        html = text(client.get("/audit?actor=bob&event_type=CasePaid"))
        assert 'href="/audit.csv?actor=bob&amp;event_type=CasePaid"' in html

    def test_the_export_neutralises_spreadsheet_formulas(
            self, app: Flask, client: FlaskClient, seeded: dict[str, str]) -> None:
        execute(app.extensions["arrears"].service, UUID(seeded["INV-1004"]), "add_note",
                actor="=HYPERLINK(\"x\")", text="ok")  # the CLI's --actor is free text
        app.extensions["arrears"].projector.catch_up()
        rows = list(csv.reader(io.StringIO(text(client.get("/audit.csv?event_type=NoteAdded")))))
        assert rows[1][COLUMNS.index("actor")] == "'=HYPERLINK(\"x\")"

    def test_an_export_with_no_match_has_only_the_header(self, client: FlaskClient) -> None:
        body = text(client.get("/audit.csv?actor=nobody"))
        assert body == ",".join(COLUMNS) + "\r\n"


class TestLayout:
    @pytest.mark.parametrize("url", ["/", "/dashboard", "/audit", "/cases/new",
                                     "/debtors/carla jensen"])
    def test_every_page_has_the_top_nav_and_the_stylesheet(self, client: FlaskClient,
                                                          url: str) -> None:
        html = text(client.get(url))
        for link in ('href="/cases"', 'href="/dashboard"', 'href="/audit"', 'href="/cases/new"'):
            assert link in html
        assert "/static/arrears.css" in html
        assert "<script" not in html

    def test_serves_the_stylesheet(self, client: FlaskClient) -> None:
        response = client.get("/static/arrears.css")
        assert response.status_code == 200
        assert "tabular-nums" in text(response)
        response.close()

    def test_an_unknown_address_is_a_404_page(self, client: FlaskClient) -> None:
        response = client.get("/no/such/page")
        assert response.status_code == 404
        assert "Back to the cases" in text(response)

    def test_api_errors_are_left_to_the_api(self, client: FlaskClient) -> None:
        response = client.get("/api/v1/no-such-thing")
        assert response.status_code == 404
        assert "Back to the cases" not in text(response)
