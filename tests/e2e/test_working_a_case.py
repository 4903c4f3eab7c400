"""A credit controller works an overdue case in the browser, from the case list to the dashboard.

The case is the demo's INV-10412 (Greenway Cycles Ltd, GBP 960.00, 33 days overdue, reminded):
the dashboard lists it under "Demands due" until a promise to pay is on record.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import ACTOR, RECORDED_AT
from tests.e2e.screens import (
    action_list,
    aging_figure,
    aging_total,
    amount,
    case_row,
    command_form,
    expect_event,
    fact,
    filter_cases,
    headline_outstanding,
    submit,
    timeline_rows,
)

pytestmark = pytest.mark.browser

INVOICE = "INV-10412"
DEBTOR = "Greenway Cycles Ltd"


def find_the_case(page: Page) -> None:
    """Through the case list: reminded cases 31-60 days overdue, then the invoice's link."""
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Cases").click()
    filter_cases(page, **{"Aging bucket": "31-60", "Stage": "reminded"})
    expect(page).to_have_url(re.compile(r"[?&]bucket=31-60(&|$)"))
    assert "stage=reminded" in page.url
    row = case_row(page, INVOICE)
    expect(row).to_contain_text(DEBTOR)
    expect(row).to_contain_text("GBP 960.00")
    expect(row).to_contain_text("Issue demand")
    for other in page.get_by_role("table", name="Cases").get_by_role("row").all()[1:]:
        expect(other).to_contain_text("31-60")
        expect(other).to_contain_text("reminded")
    row.get_by_role("link", name=INVOICE, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Invoice {INVOICE}")


def log_call_and_promise(page: Page) -> None:
    """Friday's call, entered on Monday: the debtor promised GBP 500.00 by 2026-03-09."""
    call = command_form(page, "Log a call")
    call.get_by_label("Direction").select_option(label="outbound")
    call.get_by_label("Spoke with").fill("Sam Greenway")
    call.get_by_label("Outcome").select_option(label="promised to pay")
    call.get_by_label("Notes").fill("Will pay 300 today, 500 more next Monday.")
    call.get_by_label("Occurred on").fill("2026-02-27")
    submit(call, "Log a call", "Outbound call with Sam Greenway: promised to pay")

    promise = command_form(page, "Record a promise to pay")
    promise.get_by_label("Amount").fill("500.00")
    promise.get_by_label("Promised date").fill("2026-03-09")
    promise.get_by_label("Occurred on").fill("2026-02-27")
    submit(promise, "Record a promise to pay", "Promised to pay GBP 500.00 by 2026-03-09")


def record_payment(page: Page) -> None:
    payment = command_form(page, "Record a payment")
    expect(payment.get_by_label("Occurred on")).to_have_value("2026-03-02")
    payment.get_by_label("Amount").fill("300.00")
    payment.get_by_label("Method").select_option(label="bank transfer")
    payment.get_by_label("Reference").fill("BACS 4471")
    submit(payment, "Record a payment",
           "Payment of GBP 300.00 received by bank transfer (ref BACS 4471)")


class TestWorkingAnOverdueCase:
    def test_a_call_a_promise_and_a_payment_show_on_the_timeline_and_the_dashboard(
            self, page: Page, shots: Path) -> None:
        page.goto("/dashboard")
        expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
        bucket_before = aging_figure(page, "31-60", "GBP")
        total_before = aging_total(page, "GBP")
        demands_before, demanded = action_list(page, "Demands due")
        assert INVOICE in demanded

        find_the_case(page)
        outstanding = headline_outstanding(page)
        assert outstanding == amount("GBP 960.00")
        events_before = timeline_rows(page).count()

        log_call_and_promise(page)
        record_payment(page)

        expect(page.locator(".headline-figure")).to_contain_text("GBP 660.00")
        assert headline_outstanding(page) == outstanding - amount("300.00")
        expect(fact(page, "Next promised date")).to_have_text("2026-03-09")
        expect(fact(page, "Next action")).to_have_text("Await promised payment (2026-03-09)")
        expect(timeline_rows(page)).to_have_count(events_before + 3)
        expect_event(page, "Outbound call with Sam Greenway: promised to pay", "CallLogged",
                     "2026-02-27", RECORDED_AT, ACTOR)
        expect_event(page, "Promised to pay GBP 500.00 by 2026-03-09", "PaymentPromised",
                     "2026-02-27", RECORDED_AT, ACTOR)
        expect_event(page, "Payment of GBP 300.00 received by bank transfer (ref BACS 4471)",
                     "PaymentReceived", "2026-03-02", RECORDED_AT, ACTOR)
        page.screenshot(path=shots / "case.png", full_page=True)

        page.get_by_role("navigation", name="Main").get_by_role("link", name="Dashboard").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
        assert aging_figure(page, "31-60", "GBP") == bucket_before - amount("300.00")
        assert aging_total(page, "GBP") == total_before - amount("300.00")
        demands_after, demanded = action_list(page, "Demands due")
        assert (demands_after, INVOICE in demanded) == (demands_before - 1, False)
        page.screenshot(path=shots / "dashboard.png", full_page=True)
