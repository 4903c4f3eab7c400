"""A credit controller attaches the debtor's email to a case in the browser, downloads it,
is refused a file of another type whatever its name, and looks at the case as it was known
before the email came in.

The case is the demo's INV-10412 (Greenway Cycles Ltd); the demo was recorded at 09:00 UTC
and the browser works at 14:30 UTC.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests import attachment_files as files
from tests.e2e.screens import command_form, region, submit, timeline_rows

pytestmark = pytest.mark.browser

INVOICE = "INV-10412"


def open_the_case(page: Page) -> None:
    page.goto(f"/cases?q={INVOICE}")
    page.get_by_role("link", name=INVOICE, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Invoice {INVOICE}")


def test_attach_download_refuse_and_look_back(page: Page, tmp_path: Path) -> None:
    open_the_case(page)
    email = tmp_path / "reply.eml"
    email.write_bytes(files.email())
    form = command_form(page, "Attach a document")
    form.get_by_label("File").set_input_files(str(email))
    form.get_by_label("Kind of document").select_option(label="email")
    form.get_by_label("Description").fill("Their reply to the demand")
    submit(form, "Attach a document",
           f"Document attached: reply.eml (email; email message, {len(files.email())} bytes)")

    documents = region(page, "Attachments")
    expect(documents).to_contain_text("Their reply to the demand")
    with page.expect_download() as download:
        documents.get_by_role("link", name="reply.eml").click()
    assert download.value.suggested_filename == "reply.eml"
    assert Path(download.value.path()).read_bytes() == files.email()

    disguised = tmp_path / "scan.pdf"
    disguised.write_bytes(files.zip_archive())
    form = command_form(page, "Attach a document")
    form.get_by_label("File").set_input_files(str(disguised))
    form.get_by_role("button", name="Attach a document", exact=True).click()
    expect(page.get_by_role("alert").first).to_contain_text("Nothing was stored")
    expect(page.locator("#attach_document-file-error")).to_contain_text(
        "the content of 'scan.pdf' is of type application/zip")
    expect(region(page, "Attachments").get_by_role("row")).to_have_count(2)  # head + email

    page.get_by_label("See the case as known on").fill("2026-03-02T12:00:00Z")
    page.get_by_role("button", name="Show", exact=True).click()
    expect(page.locator("#as-of-notice")).to_contain_text("As known on 2026-03-02 12:00:00 UTC")
    expect(region(page, "Attachments")).to_contain_text("No documents attached by then.")
    expect(timeline_rows(page).filter(has_text="AttachmentAdded")).to_have_count(0)
    expect(page.locator("form[method=post]")).to_have_count(0)
    page.get_by_role("link", name="See the case as it stands now").click()
    expect(page).to_have_url(re.compile(r"/cases/[0-9a-f-]+$"))
    expect(timeline_rows(page).filter(has_text="AttachmentAdded")).to_have_count(1)
