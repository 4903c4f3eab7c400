"""In the browser: signing in and out, what the demo's counsel user sees, and no page broken
by the Content Security Policy (no inline script or style)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from application.demo import DEMO_PASSWORD
from tests.e2e.conftest import VIEWPORT, Live, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def fresh(browser: Browser, live: Live) -> Iterator[Page]:
    """A tab with no session."""
    context = browser.new_context(base_url=live.url, viewport=VIEWPORT, locale="en-GB",
                                  timezone_id="UTC")
    try:
        tab = context.new_page()
        tab.set_default_timeout(10_000)
        yield tab
    finally:
        context.close()


def test_no_page_breaks_the_content_security_policy(page: Page) -> None:
    refused: list[str] = []
    page.on("console", lambda message: refused.append(message.text)
            if "Content Security Policy" in message.text else None)
    for path in ("/cases", "/dashboard", "/audit", "/cases/new"):
        page.goto(path)
    page.goto("/cases?q=INV-10331&go=1")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Invoice INV-10331")
    assert refused == []


def test_a_page_asked_for_signed_out_comes_back_after_signing_in(fresh: Page) -> None:
    fresh.goto("/dashboard")
    expect(fresh.get_by_role("heading", name="Sign in")).to_be_visible()
    sign_in(fresh, "priya.shah", DEMO_PASSWORD)
    assert fresh.url.endswith("/dashboard")
    fresh.get_by_role("button", name="Sign out").click()
    expect(fresh.get_by_role("heading", name="Sign in")).to_be_visible()
    fresh.goto("/cases")
    expect(fresh.get_by_role("heading", name="Sign in")).to_be_visible()


def test_the_demo_lawyer_sees_only_the_cases_referred_to_her(fresh: Page) -> None:
    sign_in(fresh, "helen.lowe", DEMO_PASSWORD)
    fresh.goto("/cases")
    listed = fresh.locator("table.cases a.invoice").all_inner_texts()
    assert sorted(listed) == ["INV-10302", "INV-10331"]
    expect(fresh.get_by_role("link", name="Audit trail")).to_have_count(0)
    expect(fresh.get_by_role("link", name="Open a case")).to_have_count(0)
