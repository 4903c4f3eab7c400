"""A credit controller uploads the bank's camt.053 statement in the browser: it pays two of
the demo's open invoices and leaves an unknown credit for review; the same statement again
records nothing.

The invoices paid are the two oldest open demo cases, each paid its outstanding amount
with its invoice number in the remittance.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.bank_files import Entry, Tx, camt, write
from tests.e2e.conftest import TODAY, Live

pytestmark = pytest.mark.browser


def statement(live: Live, path: Path) -> tuple[Path, list[str]]:
    """Pays two open demo invoices in full and brings one credit no case knows."""
    open_cases = [c for c in live.arrears.views.open_cases(TODAY)
                  if c["currency"] == "GBP" and Decimal(c["outstanding"]) > 0][:2]
    entries = [Entry(str(c["outstanding"]), ref=f"E2E-{n}", booked="2026-03-01",
                     value="2026-03-01", txs=[Tx(debtor=c["debtor_name"],
                                                 ustrd=(f"Invoice {c['invoice_number']}",))])
               for n, c in enumerate(open_cases)]
    entries.append(Entry("12.34", ref="E2E-X", booked="2026-03-01", value="2026-03-01",
                         txs=[Tx(debtor="Someone Unknown Ltd", ustrd=("refund?",))]))
    return write(path, camt(entries)), [c["invoice_number"] for c in open_cases]


def upload(page: Page, path: Path) -> None:
    page.goto("/imports/new")
    page.get_by_role("navigation", name="What to import").get_by_role(
        "link", name="Bank statements").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import bank statements")
    page.get_by_label("Statements").set_input_files(str(path))
    page.get_by_role("button", name="Import", exact=True).click()


def test_a_statement_pays_two_invoices_and_leaves_a_credit_for_review(
        page: Page, live: Live, tmp_path: Path) -> None:
    path, paid = statement(live, tmp_path / "march.xml")
    assert len(paid) == 2
    upload(page, path)
    summary = page.locator(".import-summary")
    expect(summary).to_contain_text("2 matched, 0 already recorded, 1 sent to the review queue")
    for number in paid:
        expect(summary).to_contain_text(number)
    summary.get_by_role("link", name="Review the 1 credit sent to the queue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Credits to review")
    expect(page.locator("article.credit")).to_have_count(1)
    expect(page.locator("article.credit")).to_contain_text("12.34 GBP from Someone Unknown Ltd")

    upload(page, path)
    expect(page.locator(".import-summary")).to_contain_text(
        "0 matched, 3 already recorded, 0 sent to the review queue")
