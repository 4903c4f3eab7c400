"""Reading the pages as a person does: by headings, labels, captions and the figures shown."""

from __future__ import annotations

import re
from decimal import Decimal

from playwright.sync_api import Locator, Page, expect


def amount(text: str) -> Decimal:
    """A money figure as shown: 'GBP 4,080.00' → Decimal('4080.00')."""
    found = re.search(r"-?[\d,]+(?:\.\d+)?", text)
    assert found, f"no amount in {text!r}"
    return Decimal(found.group().replace(",", ""))


def region(page: Page, heading: str) -> Locator:
    """A section of the page, by the start of its heading ('Timeline', 'Demands due')."""
    return page.get_by_role("region", name=re.compile(rf"^{re.escape(heading)}\b"))


# -- the case list ---------------------------------------------------------------------------

def filter_cases(page: Page, **chosen: str) -> None:
    """Choose options in the case list's filters by their labels, then apply them."""
    filters = page.get_by_role("form", name="Filter cases")
    for label, option in chosen.items():
        filters.get_by_label(label, exact=True).select_option(label=option)
    filters.get_by_role("button", name="Apply").click()


def case_row(page: Page, invoice: str) -> Locator:
    return page.get_by_role("table", name="Cases").get_by_role("row").filter(
        has=page.get_by_role("link", name=invoice, exact=True))


# -- the case page ---------------------------------------------------------------------------

def command_form(page: Page, title: str) -> Locator:
    """One of the case page's forms ('Log a call'), opened if it is folded away (under
    "More actions" too, as a person would open it)."""
    details = page.locator("details.command").filter(
        has=page.locator("summary", has_text=re.compile(rf"^{re.escape(title)}$")))
    more = page.locator("details.more-actions").filter(has=details)
    if more.count() and more.get_attribute("open") is None:
        more.locator("summary", has_text="More actions").click()
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    return details.locator("form")


def submit(form: Locator, title: str, recorded: str) -> None:
    """Submit a command form and wait for the case page to confirm what was recorded."""
    page = form.page
    form.get_by_role("button", name=title, exact=True).click()
    expect(page.get_by_role("status")).to_contain_text(f"Recorded: {recorded}")


def headline_outstanding(page: Page) -> Decimal:
    return amount(page.locator(".headline-figure .figure").inner_text())


def fact(page: Page, term: str) -> Locator:
    """The value beside a term in the case summary ('Next promised date')."""
    return region(page, "Summary").locator(f"dt:text-is('{term}') + dd")


def timeline_rows(page: Page) -> Locator:
    return region(page, "Timeline").get_by_role("row").filter(has=page.locator("td"))


def timeline_row(page: Page, summary: str) -> Locator:
    """The timeline row whose event summary is exactly this text."""
    return timeline_rows(page).filter(
        has=page.locator(".event-summary", has_text=re.compile(rf"^{re.escape(summary)}$")))


def expect_event(page: Page, summary: str, event_type: str, occurred_on: str,
                 recorded_at: str, actor: str) -> None:
    """The timeline shows this event once: business date, type, recorded time, actor."""
    row = timeline_row(page, summary)
    expect(row).to_have_count(1)
    expect(row.get_by_role("cell")).to_have_text(
        [occurred_on, re.compile(rf"^\s*{event_type}\s"), recorded_at, actor])


# -- the dashboard ---------------------------------------------------------------------------

AGING_TABLE = "Outstanding by aging bucket, per currency"


def aging_figure(page: Page, bucket: str, currency: str) -> Decimal:
    """Outstanding in one aging bucket and currency, from the table under the chart."""
    table = page.get_by_role("table", name=AGING_TABLE)
    expect(table).to_be_visible()
    headers = [h.strip() for h in table.get_by_role("columnheader").all_inner_texts()]
    row = table.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name=bucket, exact=True))
    cell = row.get_by_role("cell").nth(headers.index(currency) - 1)
    return amount(cell.inner_text())


def aging_total(page: Page, currency: str) -> Decimal:
    return aging_figure(page, "Total", currency)


def action_list(page: Page, label: str) -> tuple[int, list[str]]:
    """An action card on the dashboard: its total and the invoices it lists."""
    card = region(page, label)
    expect(card).to_be_visible()
    total = int(card.locator(".total").inner_text())
    return total, card.locator("a.invoice").all_inner_texts()
