"""`case_interest` (what `arrears interest` and the case page show) reads the principal share
each payment's allocation carries: the same calculation `claim_interest` records.

GBP 1,200.00 due 31 January 2025, a business debtor in England and Wales: 12.75% a year,
GBP 153.00 a year on the whole principal.
"""

from __future__ import annotations

import json
from datetime import date

from application.interest import case_interest, interest_view, payment_allocations
from domain.money import Money
from domain.values import Debtor
from tests.builders import open_case, stamp


def gbp(amount: str) -> Money:
    return Money.of(amount, "GBP")


def case_with_costs_paid_first():
    case = open_case(amount=gbp("1200.00"), debtor=Debtor("Harbour Lights"),
                     due_date=date(2025, 1, 31))
    case.apply_penalty(kind="compensation", amount=gbp("70.00"), stamp=stamp(date(2025, 2, 2)))
    case.record_payment(amount=gbp("600.00"), method="card", stamp=stamp(date(2025, 2, 7)))
    return case


class TestCaseInterest:
    def test_only_the_principal_share_of_a_payment_reduces_the_principal(self):
        # the 600.00 paid 70.00 of compensation first: 530.00 of principal, 670.00 left.
        # 1-7 Feb: 153.00 x 7 / 365 = 2.934 -> 2.93; 8-14 Feb: 670 x 12.75% x 7 / 365 =
        # 85.425 x 7 / 365 = 1.638 -> 1.64
        calc = case_interest(case_with_costs_paid_first(), date(2025, 2, 14))
        assert [line["principal"] for line in calc.as_json()["lines"]] == ["1200.00", "670.00"]
        assert calc.as_json()["interest"] == "4.57"

    def test_the_page_view_is_the_json_of_the_cli(self):
        case = case_with_costs_paid_first()
        view = interest_view(case, date(2025, 2, 14))
        assert view["calculation"] == case_interest(case, date(2025, 2, 14)).as_json()
        assert view["paid_by_part"] == {"costs": "70.00", "interest": "0.00",
                                        "principal": "530.00"}
        assert view["unclaimed_interest"] is None

    def test_a_case_the_law_cannot_work_out_shows_why(self):
        # Interest from February 2027 needs the Bank Rate of 31 December 2026: not published.
        case = open_case(amount=gbp("1200.00"), due_date=date(2027, 1, 31))
        view = interest_view(case, date(2027, 2, 14))
        assert view["calculation"] is None
        assert "2026-12-31 is after" in view["error"]

    def test_a_euro_debt_under_english_law_shows_the_interest_without_the_fixed_sum(self):
        case = open_case(amount="1200.00", due_date=date(2025, 1, 31))  # EUR, English law
        view = interest_view(case, date(2025, 2, 14))
        assert view["error"] == ""
        # 1 to 14 February 2025, 14 days at 12.75%: 1200 x 12.75% x 14 / 365 = 5.868 -> 5.87
        assert view["calculation"]["interest"] == "5.87"
        assert view["calculation"]["currency"] == "EUR"
        assert view["calculation"]["compensation"] == "0.00"
        assert "in GBP; this debt is in EUR" in view["calculation"]["basis"]


def test_payments_on_a_timeline_with_their_allocation():
    rows = [{"event_type": "CaseOpened", "occurred_on": "2025-01-01", "details": "{}"},
            {"event_type": "PaymentReceived", "occurred_on": "2025-02-07",
             "details": json.dumps({"amount": {"amount": "600.00", "currency": "GBP"},
                                    "allocation": {"costs": {"amount": "70.00"}}})},
            {"event_type": "PaymentReceived", "occurred_on": "2025-02-08",
             "details": json.dumps({"amount": {"amount": "5.00", "currency": "GBP"},
                                    "allocation": None})}]
    assert payment_allocations(rows) == [
        {"occurred_on": "2025-02-07", "amount": "600.00",
         "allocation": {"costs": {"amount": "70.00"}}},
        {"occurred_on": "2025-02-08", "amount": "5.00", "allocation": None}]
