"""Fixtures for the browser tests: the real app served over HTTP, and headless Chromium.

`live` serves a fresh app on 127.0.0.1 (a free port) for each test: a SQLite store in
tmp_path, the demo data loaded for TODAY (2026-03-02) at 09:00 UTC, and the clock then
moved on to 14:30 UTC, so whatever a test records shows "2026-03-02 14:30 UTC" as its
recorded time while the demo's events show 09:00.

`page` is a tab in Debian's Chromium (/usr/bin/chromium, or $ARREARS_CHROMIUM) driven by
Playwright; never run `playwright install`. Where Chromium is missing or cannot start, the
tests are SKIPPED loudly (and the terminal summary says so), unless
$ARREARS_REQUIRE_BROWSER=1, as in CI, which makes them fail instead.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from flask import Flask
from werkzeug.serving import make_server

from application.bootstrap import Arrears
from application.clock import FixedClock
from application.demo import load_demo
from tests.missing import Missing
from web import create_app

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

TODAY = date(2026, 3, 2)
ACTOR = "e2e.controller"
RECORDED_AT = "2026-03-02 14:30 UTC"

CHROMIUM = Path(os.environ.get("ARREARS_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]
BROWSER = Missing("THE BROWSER TESTS DID NOT RUN", "ARREARS_REQUIRE_BROWSER",
                  "Install Debian's chromium (apt-get install chromium; make test does)")
VIEWPORT = {"width": 1366, "height": 900}

_BROWSER_PROBLEM = pytest.StashKey[str]()


@dataclass(frozen=True)
class Live:
    """The app being served: its base URL, the Flask app and its service and projector."""

    url: str
    app: Flask
    arrears: Arrears
    clock: FixedClock


@pytest.fixture
def live(tmp_path: Path) -> Iterator[Live]:
    """A real app over HTTP on a free port, with the demo cases; stopped and closed after."""
    clock = FixedClock.on(TODAY, hour=9)
    app = create_app({
        "DATABASE_URL": f"sqlite:///{tmp_path / 'events.db'}",
        "READMODEL_URL": f"sqlite:///{tmp_path / 'readmodels.db'}",
        "CLOCK": clock,
        "ACTOR": ACTOR,
        "FOLLOW": False,  # each web command catches the projector up itself
        "TESTING": True,
        "SECRET_KEY": "e2e",
        "BLOB_DIR": str(tmp_path / "blobs"),
    })
    arrears: Arrears = app.extensions["arrears"]
    try:
        assert load_demo(arrears.service, TODAY) > 0
        arrears.projector.catch_up()
        clock.advance(hours=5, minutes=30)
        server = make_server("127.0.0.1", 0, app, threaded=True)
    except BaseException:
        arrears.close()
        raise
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              name="arrears-e2e-server", daemon=True)
    thread.start()
    try:
        yield Live(f"http://127.0.0.1:{server.server_port}", app, arrears, clock)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
        arrears.close()


def _no_browser(config: pytest.Config, problem: str) -> None:
    BROWSER.skip(config, problem,
                 f"NO BROWSER: {problem} — install Debian's chromium (make test does)")


@pytest.fixture(scope="session")
def _chromium(pytestconfig: pytest.Config) -> Iterator[Browser | None]:
    """Chromium launched once per session, or None with the reason stashed."""
    if not CHROMIUM.exists():
        pytestconfig.stash[_BROWSER_PROBLEM] = f"{CHROMIUM} does not exist"
        yield None
        return
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        pytestconfig.stash[_BROWSER_PROBLEM] = f"the playwright package is missing ({error})"
        yield None
        return
    playwright = sync_playwright().start()
    try:
        try:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                                 args=CHROMIUM_ARGS)
        except Exception as error:  # any failure to start means no browser to test with
            pytestconfig.stash[_BROWSER_PROBLEM] = f"{CHROMIUM} cannot start ({_why(error)})"
            yield None
            return
        try:
            yield browser
        finally:
            browser.close()
    finally:
        playwright.stop()


def _why(error: Exception) -> str:
    """The gist of a launch error: its first line and what the browser said on stderr."""
    lines = [line.strip(" -") for line in str(error).splitlines() if line.strip()]
    telling = [line for line in lines[1:] if "[err]" in line or "did exit" in line]
    return "; ".join(dict.fromkeys([*lines[:1], *telling[:3]])) or type(error).__name__


@pytest.fixture
def browser(_chromium: Browser | None, pytestconfig: pytest.Config) -> Browser:
    """The session's Chromium; skips (or, with ARREARS_REQUIRE_BROWSER=1, fails) without one."""
    if _chromium is None:
        _no_browser(pytestconfig, pytestconfig.stash[_BROWSER_PROBLEM])
    return _chromium


@pytest.fixture
def page(browser: Browser, live: Live) -> Iterator[Page]:
    """A fresh tab (own cookies) on the live app: page.goto("/cases") works."""
    context = browser.new_context(base_url=live.url, viewport=VIEWPORT, accept_downloads=True,
                                  locale="en-GB", timezone_id="UTC")
    try:
        tab = context.new_page()
        tab.set_default_timeout(10_000)
        yield tab
    finally:
        context.close()


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    """Where a test saves its screenshots (under tmp_path)."""
    folder = tmp_path / "screenshots"
    folder.mkdir()
    return folder


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    BROWSER.report(terminalreporter, config)
