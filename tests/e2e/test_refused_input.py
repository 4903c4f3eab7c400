"""Bad input in a case page's form: the message stands beside the field and nothing is stored."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.screens import command_form, headline_outstanding, timeline_rows

pytestmark = pytest.mark.browser

INVOICE = "INV-10431"  # Bramble & Oak Interiors LLP, GBP 2,650.00 outstanding


def open_by_lookup(page: Page, invoice: str) -> None:
    """Type the invoice number into the lookup box at the top; it opens the case."""
    page.goto("/")
    page.get_by_role("search").get_by_role("searchbox").fill(invoice)
    page.get_by_role("search").get_by_role("button", name="Find").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Invoice {invoice}")


class TestARefusedPayment:
    @pytest.mark.parametrize(("entered", "message", "status"), [
        ("-50.00", "must be more than zero, got -50.00", 400),
        ("2,650.01", "GBP 2,650.01 is more than the outstanding balance of GBP 2,650.00", 422),
    ], ids=["negative", "more-than-outstanding"])
    def test_shows_the_message_beside_the_amount_and_leaves_the_timeline_unchanged(
            self, page: Page, entered: str, message: str, status: int) -> None:
        open_by_lookup(page, INVOICE)
        case_url = page.url
        outstanding = headline_outstanding(page)
        rows = timeline_rows(page)
        before = rows.all_inner_texts()

        payment = command_form(page, "Record a payment")
        payment.get_by_label("Amount").fill(entered)
        payment.get_by_label("Method").select_option(label="card")
        with page.expect_response(lambda r: r.request.method == "POST") as posted:
            payment.get_by_role("button", name="Record a payment", exact=True).click()
        assert posted.value.status == status

        expect(page.get_by_role("alert").first).to_contain_text(
            "Not recorded: record a payment needs correcting. Nothing was stored.")
        payment = command_form(page, "Record a payment")
        amount = payment.get_by_label("Amount")
        expect(amount).to_have_attribute("aria-invalid", "true")
        expect(amount).to_have_accessible_description(message)
        beside = payment.locator(".field", has=page.get_by_label("Amount")).locator(".field-error")
        expect(beside).to_have_text(message)
        expect(beside).to_be_visible()
        expect(amount).to_have_value(entered)
        expect(payment.get_by_label("Method")).to_have_value("card")
        expect(page.get_by_role("status")).to_have_count(0)

        assert rows.all_inner_texts() == before
        assert headline_outstanding(page) == outstanding
        page.goto(case_url)
        expect(rows).to_have_count(len(before))
        assert rows.all_inner_texts() == before
