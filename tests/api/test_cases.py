"""GET /cases, /cases/<id>, /cases/<id>/timeline: filters, order, pages, lookups, 404s."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import API, CREDITOR


@pytest.fixture
def book(open_case, command) -> dict[str, dict[str, Any]]:
    """Five cases seen on 1 Jan 2026, each differing in one way the list can filter on."""
    cases = {
        "overdue": open_case(debtor_name="Acme Ltd"),  # due 1 Dec: 31 days, 31-60
        "current": open_case(debtor_name="Bolt plc", currency="GBP", amount="500",
                             issue_date="2025-12-20", due_date="2026-01-20"),
        "held": open_case(debtor_name="ACME  ltd", amount="250", issue_date="2025-07-01",
                          due_date="2025-08-01"),  # 153 days: 90+
        "reminded": open_case(debtor_name="Cole & Co", amount="300",
                              issue_date="2025-11-15", due_date="2025-12-15"),  # 17 days
        "paid": open_case(debtor_name="Dane Ltd", amount="100", due_date="2025-12-10"),
    }
    command(cases["held"]["case_id"], "place_hold", reason="manual")
    command(cases["reminded"]["case_id"], "send_reminder", channel="email")
    # paid on its due date: no interest accrued, so it closes (ADR 25)
    command(cases["paid"]["case_id"], "record_payment", amount="100", method="card",
            occurred_on="2025-12-10")
    return cases


def listed(client, query: str = "") -> dict[str, Any]:
    response = client.get(f"{API}/cases{query}")
    assert response.status_code == 200, response.json
    return response.json


def invoices(page: dict[str, Any]) -> set[str]:
    return {row["invoice_number"] for row in page["items"]}


def of(book: dict[str, dict[str, Any]], *names: str) -> set[str]:
    return {book[n]["invoice_number"] for n in names}


class TestCaseList:
    def test_lists_every_case_with_totals_by_currency(self, client, book):
        page = listed(client)
        assert invoices(page) == of(book, *book)
        assert (page["page"], page["per_page"], page["total"], page["pages"]) == (1, 50, 5, 1)
        assert page["totals"]["GBP"] == {"cases": 1, "principal": "500.00", "penalties": "0.00",
                                         "paid": "0.00", "waived": "0.00",
                                         "written_off": "0.00", "outstanding": "500.00"}
        assert page["totals"]["EUR"]["cases"] == 4
        assert page["totals"]["EUR"]["outstanding"] == "1550.00"
        assert page["totals"]["EUR"]["paid"] == "100.00"

    @pytest.mark.parametrize(("query", "expected"), [
        ("?stage=overdue", ["overdue", "held"]),
        ("?stage=open", ["current"]),
        ("?stage=reminded", ["reminded"]),
        ("?stage=paid", ["paid"]),
        ("?bucket=current", ["current"]),
        ("?bucket=1-30", ["reminded"]),  # a closed case is in no aging bucket
        ("?bucket=31-60", ["overdue"]),
        ("?bucket=90%2B", ["held"]),
        ("?debtor=acme%20ltd", ["overdue", "held"]),
        ("?on_hold=true", ["held"]),
        ("?on_hold=false", ["overdue", "current", "reminded", "paid"]),
        ("?currency=gbp", ["current"]),
        ("?q=cole", ["reminded"]),
        ("?include_closed=false", ["overdue", "current", "held", "reminded"]),
        ("?stage=overdue&debtor=acme%20ltd&on_hold=false", ["overdue"]),
        ("?stage=&q=", ["overdue", "current", "held", "reminded", "paid"]),
    ])
    def test_filters_narrow_the_list(self, client, book, query, expected):
        page = listed(client, query)
        assert invoices(page) == of(book, *expected)
        assert page["total"] == len(expected)

    def test_totals_cover_only_the_matching_cases(self, client, book):
        page = listed(client, "?debtor=acme%20ltd")
        assert page["totals"] == {"EUR": {"cases": 2, "principal": "1250.00",
                                          "penalties": "0.00", "paid": "0.00",
                                          "waived": "0.00", "written_off": "0.00",
                                          "outstanding": "1250.00"}}

    def test_sorts_by_the_chosen_column_in_either_order(self, client, book):
        ascending = [r["outstanding"] for r in listed(client, "?sort=outstanding")["items"]]
        descending = [r["outstanding"] for r in
                      listed(client, "?sort=outstanding&order=desc")["items"]]
        assert ascending == ["0.00", "250.00", "300.00", "500.00", "1000.00"]
        assert descending == list(reversed(ascending))
        by_due = [r["due_date"] for r in listed(client)["items"]]
        assert by_due == sorted(by_due)

    def test_pages_through_the_list(self, client, book):
        seen = []
        for number in (1, 2, 3):
            page = listed(client, f"?per_page=2&page={number}&sort=invoice")
            assert (page["page"], page["per_page"], page["total"], page["pages"]) == \
                (number, 2, 5, 3)
            seen += [r["invoice_number"] for r in page["items"]]
        assert seen == sorted(of(book, *book))
        past_the_end = listed(client, "?per_page=2&page=4")
        assert past_the_end["items"] == [] and past_the_end["total"] == 5

    @pytest.mark.parametrize(("query", "field"), [
        ("?stage=late", "stage"),
        ("?bucket=30-60", "bucket"),
        ("?on_hold=maybe", "on_hold"),
        ("?currency=EURO", "currency"),
        ("?sort=amount", "sort"),
        ("?order=up", "order"),
        ("?page=0", "page"),
        ("?page=two", "page"),
        ("?per_page=201", "per_page"),
        ("?per_page=0", "per_page"),
        ("?include_closed=perhaps", "include_closed"),
        ("?stag=open", "stag"),
        ("?invoice=INV-1&stage=open", "invoice"),
    ])
    def test_refuses_a_bad_parameter_naming_it(self, client, query, field):
        response = client.get(f"{API}/cases{query}")
        assert response.status_code == 400
        assert list(response.json["errors"]) == [field]
        assert response.json["errors"][field][0]

    def test_accepts_the_largest_page(self, client, book):
        assert listed(client, "?per_page=200")["per_page"] == 200


class TestInvoiceLookup:
    def test_finds_the_case_by_its_exact_invoice_number(self, client, book):
        page = listed(client, f"?invoice={book['held']['invoice_number']}")
        assert [r["case_id"] for r in page["items"]] == [book["held"]["case_id"]]
        assert page["total"] == 1
        assert page["totals"]["EUR"]["outstanding"] == "250.00"

    def test_finds_nothing_for_an_unknown_or_partial_number(self, client, book):
        partial = book["held"]["invoice_number"][:-1]
        for number in ("INV-none", partial):
            page = listed(client, f"?invoice={number}")
            assert (page["items"], page["total"], page["totals"]) == ([], 0, {})

    def test_leaves_out_a_closed_case_when_asked(self, client, book):
        number = book["paid"]["invoice_number"]
        assert listed(client, f"?invoice={number}")["total"] == 1
        assert listed(client, f"?invoice={number}&include_closed=false")["total"] == 0


class TestCase:
    def test_shows_the_case_as_it_stands_today(self, client, book):
        case_id = book["overdue"]["case_id"]
        response = client.get(f"{API}/cases/{case_id}")
        assert response.status_code == 200
        case = response.json
        assert case["case_id"] == case_id
        assert case["creditor"] == CREDITOR
        assert case["debtor_name"] == "Acme Ltd" and case["debtor_key"] == \
            "email:accounts@acme-ltd.example"
        assert (case["principal"], case["outstanding"], case["currency"]) == \
            ("1000.00", "1000.00", "EUR")
        assert (case["issue_date"], case["due_date"]) == ("2025-11-01", "2025-12-01")
        assert (case["stage"], case["days_overdue"], case["aging_bucket"]) == \
            ("overdue", 31, "31-60")
        assert case["next_action"] == "Send reminder"
        assert case["hold_until"] is None
        assert case["opened_at"] == "2026-01-01T09:00:00+00:00"

    def test_accepts_the_id_in_any_uuid_spelling(self, client, book):
        case_id = book["overdue"]["case_id"]
        response = client.get(f"{API}/cases/{case_id.upper().replace('-', '')}")
        assert response.status_code == 200
        assert response.json["case_id"] == case_id

    @pytest.mark.parametrize("case_id", ["00000000-0000-0000-0000-000000000000", "not-a-case"])
    def test_an_unknown_or_malformed_id_is_404(self, client, case_id):
        for path in (f"/cases/{case_id}", f"/cases/{case_id}/timeline"):
            response = client.get(f"{API}{path}")
            assert response.status_code == 404
            assert response.json == {"errors": {"case": [f"no case with id {case_id}"]}}


class TestTimeline:
    def test_lists_the_events_by_the_day_they_occurred(self, client, open_case, command):
        case_id = open_case()["case_id"]
        command(case_id, "add_note", text="Called twice", occurred_on="2025-12-20",
                as_user="ann")
        command(case_id, "record_payment", amount="250.50", method="bank_transfer",
                reference="TX-9", occurred_on="2025-12-10")
        response = client.get(f"{API}/cases/{case_id}/timeline")
        assert response.status_code == 200
        assert response.json["case_id"] == case_id
        items = response.json["items"]
        assert [(i["type"], i["occurred_on"], i["version"]) for i in items] == [
            ("CaseOpened", "2025-11-01", 1),
            ("PaymentReceived", "2025-12-10", 3),
            ("NoteAdded", "2025-12-20", 2),
        ]
        payment = items[1]
        assert payment["actor"] == "api-test"
        assert payment["recorded_at"] == "2026-01-01T09:00:00+00:00"
        assert payment["summary"] == "Payment of EUR 250.50 received by bank transfer (ref TX-9)"
        eur = lambda amount: {"amount": amount, "currency": "EUR"}  # noqa: E731
        assert payment["details"] == {
            "amount": eur("250.50"), "method": "bank_transfer", "reference": "TX-9",
            "promises": [],
            "allocation": {"order": ["costs", "interest", "principal"], "costs": eur("0.00"),
                           "interest": eur("0.00"), "principal": eur("250.50"),
                           "unallocated": eur("0.00")}}
        assert items[2]["actor"] == "ann"
        assert [i["backdated"] for i in items] == [False, True, False]
