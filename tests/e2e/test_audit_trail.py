"""The audit trail shows what was just recorded, and its CSV export carries the same events
in the same order, with their details, named after the filter and the day."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import ACTOR, RECORDED_AT
from tests.e2e.screens import command_form, region, submit
from web.pages.audit import COLUMNS

pytestmark = pytest.mark.browser

INVOICE = "INV-10420"  # Eleanor Whitfield, GBP 360.00, a broken promise
RECORDED = [  # oldest first: the note, then the payment, which pays the case in full (late)
    ("NoteAdded", "2026-03-02", "Note: Paid in full after the call"),
    ("PaymentReceived", "2026-03-02",
     "Payment of GBP 360.00 received by card; late for the promise to pay by 2026-02-26"),
    ("CasePaid", "2026-03-02", "Paid in full; case closed"),
]
DETAILS = ["Note: Paid in full after the call",
           "Allocation: costs: GBP 0.00; interest: GBP 0.00; order: costs; interest; "
           "principal; principal: GBP 360.00; unallocated: GBP 0.00\n"
           "Amount: GBP 360.00\nMethod: card\n"
           "Promises: amount: GBP 0.00; promised on: 2026-02-26; standing: broken", ""]


def pay_the_broken_promise(page: Page) -> None:
    """From the dashboard's broken promises: a note, then the whole amount by card."""
    page.goto("/dashboard")
    region(page, "Broken promises").get_by_role("link", name=INVOICE, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Invoice {INVOICE}")
    note = command_form(page, "Add a note")
    note.get_by_label("Note").fill("Paid in full after the call")
    submit(note, "Add a note", "Note: Paid in full after the call")
    payment = command_form(page, "Record a payment")
    payment.get_by_label("Amount").fill("360.00")
    payment.get_by_label("Method").select_option(label="card")
    submit(payment, "Record a payment", "Payment of GBP 360.00 received by card")
    expect(page.get_by_role("heading", level=1)).to_contain_text("paid")


class TestTheAuditTrail:
    def test_lists_the_events_just_recorded_and_exports_them_as_csv(
            self, page: Page, tmp_path: Path) -> None:
        pay_the_broken_promise(page)

        page.get_by_role("navigation", name="Main").get_by_role("link", name="Audit trail").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Audit trail")
        table = page.get_by_role("table", name="Audit trail")
        newest = table.get_by_role("row").filter(has=page.locator("td"))
        for row, (event_type, occurred_on, summary) in zip(
                newest.all()[:len(RECORDED)], reversed(RECORDED), strict=True):
            expect(row.get_by_role("cell")).to_have_text(
                [RECORDED_AT, occurred_on, ACTOR, INVOICE, event_type, summary])

        filters = page.get_by_role("form", name="Filter the audit trail")
        filters.get_by_label("Actor").fill(ACTOR)
        filters.get_by_role("button", name="Apply").click()
        expect(newest).to_have_count(len(RECORDED))
        for (event_type, _, summary), row in zip(reversed(RECORDED), newest.all(), strict=True):
            expect(row).to_contain_text(event_type)
            expect(row).to_contain_text(summary)

        with page.expect_download() as download:
            page.get_by_role("link", name="Export CSV").click()
        assert download.value.suggested_filename == f"audit-2026-03-02-actor-{ACTOR}.csv"
        saved = tmp_path / "audit.csv"
        download.value.save_as(saved)
        with saved.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        assert list(rows[0]) == list(COLUMNS)
        assert [(r["event_type"], r["occurred_on"], r["summary"]) for r in rows] == \
            list(reversed(RECORDED))  # as the page shows them: newest first
        assert [r["details"] for r in rows] == list(reversed(DETAILS))
        assert {(r["actor"], r["invoice_number"]) for r in rows} == {(ACTOR, INVOICE)}
        assert all(r["recorded_at"].startswith("2026-03-02") and "14:30" in r["recorded_at"]
                   for r in rows)
