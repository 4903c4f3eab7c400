"""Readable under stress: one very long word (a note, a name, an invoice number, an email)
wraps inside its cell; no page grows wider than the window, no table scrolls sideways (a
narrow window may scroll a wide table in its own box) and the short words beside it stay
whole."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from uuid import UUID

import pytest
from playwright.sync_api import Page, expect

from application.readmodels.rows import debtor_key
from domain.money import Money
from domain.values import Debtor, PaymentTerms
from tests.commands import execute, open_case
from tests.e2e.conftest import ACTOR, Live

pytestmark = pytest.mark.browser

# The longest each field takes, and no space to break at.
NOTE = "N" * 4_999
NAME = "Debtor" + "D" * 194  # 200
INVOICE = "INV" + "9" * 97  # 100
EMAIL = "a" * 150 + "@" + "b" * 41 + ".example"  # 200
REFERENCE = "REF" + "R" * 97  # 100
TOLERANCE = 2  # px: rounding of fractional widths

WIDTHS = """(tolerance) => ({
  page: document.documentElement.scrollWidth,
  window: window.innerWidth,
  scrolled: [...document.querySelectorAll('.table-wrap, dl, td, th, dd')]
    .filter(e => e.scrollWidth > e.clientWidth + tolerance)
    .map(e => e.tagName + '.' + e.className + ' ' + e.scrollWidth + '>' + e.clientWidth),
})"""

# The short words beside the long ones (the demo's invoice numbers, the actor, dates, event
# types): one of these on more than one line is a word broken that had no need to be.
BROKEN = """(selector) => [...document.querySelectorAll(selector)].filter(e => {
  const word = e.textContent.trim();
  if (word.length > 20 || /\\s/.test(word)) return false;
  const range = document.createRange();
  range.selectNodeContents(e);
  let lines = 0, bottom = -Infinity;  // a box that starts below the lines so far starts one
  for (const r of [...range.getClientRects()].sort((a, b) => a.top - b.top)) {
    if (r.top >= bottom - 1) lines += 1;
    bottom = Math.max(bottom, r.bottom);
  }
  return lines > 1;
}).map(e => e.textContent.trim())"""
SHORT = "a.invoice, td.name, td.date, .event-type"


def store_the_long_case(live: Live) -> UUID:
    """An overdue GBP case with every long value, a long note, a payment and a call."""
    service = live.arrears.service
    case_id = open_case(
        service, actor=ACTOR, occurred_on=date(2026, 1, 1), creditor="C" * 200,
        invoice_number=INVOICE,
        debtor=Debtor(NAME, "business", EMAIL, "+" + "4" * 49, "A" * 500),
        amount=Money.of("1000.00", "GBP"), issue_date=date(2026, 1, 1),
        due_date=date(2026, 1, 31), terms=PaymentTerms(), contract_reference="K" * 100)
    execute(service, case_id, "add_note", actor="x" * 100, text=NOTE)
    execute(service, case_id, "record_payment", actor=ACTOR, amount=Money.of("10", "GBP"),
            method="card", reference=REFERENCE)
    execute(service, case_id, "log_call", actor=ACTOR, direction="outbound", person="P" * 200,
            outcome="no_answer", notes="n" * 2000)
    live.arrears.projector.catch_up()
    return case_id


@pytest.fixture
def long_case(live: Live) -> UUID:
    return store_the_long_case(live)


def fits(page: Page, url: str, shots: Path, name: str, tables: bool = True) -> None:
    """The page, with every fold opened, is no wider than the window; nothing in it scrolls
    sideways (unless `tables` is False: a narrow window may scroll a wide table in its own
    box) and no short word is broken. A screenshot is kept for a person to look at."""
    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
    widths = page.evaluate(WIDTHS, TOLERANCE)
    page.screenshot(path=str(shots / f"{name}.png"), full_page=True)
    assert widths["page"] <= widths["window"] + TOLERANCE, (url, widths)
    if tables:
        assert widths["scrolled"] == [], (url, widths)
        assert page.evaluate(BROKEN, SHORT) == [], url


class TestOneLongWord:
    def test_wraps_on_the_case_page(self, page: Page, long_case: UUID, shots: Path) -> None:
        fits(page, f"/cases/{long_case}", shots, "case")
        expect(page.locator(".event-summary", has_text=NOTE)).to_be_visible()

    def test_wraps_in_the_case_list(self, page: Page, long_case: UUID, shots: Path) -> None:
        fits(page, "/cases", shots, "cases")
        expect(page.get_by_role("link", name=INVOICE)).to_be_visible()

    def test_wraps_on_the_debtor_page(self, page: Page, long_case: UUID, shots: Path) -> None:
        fits(page, f"/debtors/{debtor_key(NAME)}", shots, "debtor")
        expect(page.get_by_role("link", name=EMAIL)).to_be_visible()

    def test_wraps_in_the_audit_trail(self, page: Page, long_case: UUID, shots: Path) -> None:
        fits(page, "/audit", shots, "audit")
        expect(page.get_by_role("cell", name=f"Note: {NOTE}")).to_be_visible()

    def test_wraps_on_the_dashboard(self, page: Page, long_case: UUID, shots: Path) -> None:
        fits(page, "/dashboard", shots, "dashboard")
        expect(page.get_by_role("link", name=INVOICE).first).to_be_visible()

    @pytest.mark.parametrize("width", [1024, 760, 400])
    def test_wraps_in_a_narrower_window(self, page: Page, long_case: UUID, shots: Path,
                                        width: int) -> None:
        page.set_viewport_size({"width": width, "height": 900})
        for name, url in [("case", f"/cases/{long_case}"), ("cases", "/cases"),
                          ("debtor", f"/debtors/{debtor_key(NAME)}"), ("audit", "/audit"),
                          ("dashboard", "/dashboard")]:
            fits(page, url, shots, f"{name}-{width}", tables=width >= 1024)
