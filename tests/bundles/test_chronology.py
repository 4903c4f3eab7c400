"""The chronology PDF a lawyer reads: every event with who, when recorded and its hash, page
numbers, the statement of account, the parties; read back from the bundle with pypdf."""

from __future__ import annotations

import io
import json
import re
import threading
from datetime import UTC, date, datetime
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from uuid import UUID

from pypdf import PdfReader

from application.bundles import chronology, layout
from application.bundles.produce import deliver
from application.service import CaseService
from domain.bundles import Interface
from domain.money import Money
from domain.values import Debtor
from tests.bundles.zips import files_of
from tests.commands import execute, open_case


def gbp(amount: str) -> Money:
    return Money.of(amount, "GBP")


def pages(bundle: Path) -> list[str]:
    reader = PdfReader(io.BytesIO(files_of(bundle)[layout.PDF]))
    return [page.extract_text() for page in reader.pages]


def squeezed(text: str) -> str:
    """The text without whitespace: a long hash may wrap anywhere."""
    return "".join(text.split())


def event_lines(bundle: Path) -> list[dict]:
    return [json.loads(line) for line in files_of(bundle)[layout.EVENTS].splitlines()]


class TestTheChronology:
    def test_lists_every_event_with_who_and_when_it_was_recorded(self, bundle, made):
        text = " ".join(pages(bundle))
        flat = " ".join(text.split())
        events = made.history
        assert len(events) == 9
        for event in events:
            assert " ".join(event["summary"].split()) in flat, event["summary"]
            assert f"Event {event['version']} ({event['type']})" in flat
        assert flat.count("recorded 2026-03-01 09:00:00 UTC") == 9
        assert "bob.jones" in flat and "priya.shah" in flat

    def test_gives_each_event_its_chain_hash(self, bundle):
        flat = squeezed(" ".join(pages(bundle)))
        hashes = [line["hash"] for line in event_lines(bundle)]
        assert len(set(hashes)) == 9
        for digest in hashes:
            assert f"hash{digest}" in flat

    def test_names_the_source_documents(self, bundle):
        flat = " ".join(" ".join(pages(bundle)).split())
        for source in ("Invoice INV-7001; Contract C-2026-14", "Message M-88", "Letter LBA-7001",
                       "Ref. BACS 991", "email of 17 February"):
            assert source in flat

    def test_numbers_every_page_as_page_x_of_y(self, bundle):
        found = pages(bundle)
        assert found
        for number, text in enumerate(found, start=1):
            assert f"Page {number} of {len(found)}" in text

    def test_heads_with_creditor_debtor_invoice_and_generation_time(self, bundle, made):
        first = " ".join(pages(bundle)[0].split())
        for text in ("Chronology of invoice INV-7001", "Acme Supplies Ltd",
                     "Harbour Lights Cafe Ltd (business)", "4 Quay Street", "Whitby YO21 1AA",
                     "Issued 2026-01-01, due 2026-01-31, for GBP 1,200.00",
                     "generated 2026-03-01 09:00:00 UTC", str(made.case_id)):
            assert text in first, text

    def test_ends_with_the_statement_of_account(self, bundle):
        flat = " ".join(" ".join(pages(bundle)).split())
        statement = flat[flat.index("Statement of account (GBP)"):]
        for label, amount in (("Principal", "GBP 1,200.00"), ("Penalties", "+ GBP 40.00"),
                              ("Payments", "− GBP 200.00"), ("Waivers", "− GBP 10.00"),
                              ("Write-offs", "− GBP 30.00"),
                              ("Balance outstanding", "= GBP 1,000.00")):
            assert f"{label} {amount}" in statement, label

    def test_numbers_many_pages_of_a_long_case(self, pdf_ready, service, sources, case_id,
                                               tmp_path):
        for n in range(80):
            execute(service, case_id, "add_note", text=f"Chased by phone, attempt {n + 1}")
        path = tmp_path / "long.zip"
        with path.open("w+b") as out:
            deliver(service, sources, case_id, out, actor="ann", interface=Interface.CLI)
        found = pages(path)
        assert len(found) >= 3
        assert [re.search(r"Page (\d+) of (\d+)", text).groups() for text in found] == \
            [(str(n), str(len(found))) for n in range(1, len(found) + 1)]
        assert "attempt 80" in " ".join(found)

    def test_the_html_is_the_same_chronology_with_every_text_escaped(self, bundle):
        html = files_of(bundle)[layout.HTML].decode()
        assert "Note: Director says &lt;cash&gt; is tight" in html
        assert "<cash>" not in html
        assert "Balance outstanding" in html


class TestTheStatement:
    def test_its_items_add_up_to_the_balance_outstanding(self, service: CaseService,
                                                         case_id: UUID):
        records = service.history(case_id)
        case = service.case(case_id)
        found = chronology.statement(case, records)

        def amount(text: str) -> Decimal:
            return Decimal(text.removeprefix("GBP ").replace(",", "")) if text else Decimal(0)

        total = sum(amount(i["debit"]) - amount(i["credit"]) for i in found["items"])
        assert total == Decimal(case["balance"]["outstanding"]) == Decimal("1000.00")
        assert [i["occurred_on"] for i in found["items"]] == [
            "2026-01-01", "2026-02-10", "2026-02-15", "2026-02-16", "2026-02-20"]

    def test_a_settlement_releases_the_rest_as_a_credit(self, service: CaseService):
        settled = open_case(service, creditor="Acme Supplies Ltd", invoice_number="INV-7002",
                            debtor=Debtor("Fern Logistics"), amount=gbp("100.00"),
                            issue_date=date(2026, 1, 1), due_date=date(2026, 1, 31))
        execute(service, settled, "agree_settlement", occurred_on=date(2026, 2, 1),
                amount=gbp("60.00"), pay_by=date(2026, 2, 20))
        execute(service, settled, "record_payment", occurred_on=date(2026, 2, 10),
                amount=gbp("60.00"))
        found = chronology.statement(service.case(settled), service.history(settled))
        assert [(i["debit"], i["credit"]) for i in found["items"]] == [
            ("GBP 100.00", ""), ("", "GBP 60.00"), ("", "GBP 40.00")]
        assert found["totals"][-1] == {"label": "Balance outstanding", "op": "=",
                                       "amount": "GBP 0.00"}


class TestTheRendering:
    def test_times_are_shown_in_utc_to_the_second(self):
        assert chronology.moment(datetime(2026, 3, 1, 9, 5, 7, tzinfo=UTC)) == \
            "2026-03-01 09:05:07 UTC"

    def test_loads_nothing_from_outside(self, pdf_ready):
        asked: list[str] = []

        class Counting(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
                asked.append(self.path)
                self.send_error(404)

            def log_message(self, *args: object) -> None:
                pass

        server = HTTPServer(("127.0.0.1", 0), Counting)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            url = f"http://127.0.0.1:{server.server_port}"
            pdf = chronology.render_pdf(f'<link rel="stylesheet" href="{url}/a.css">'
                                        f'<img src="{url}/tracker.png"><p>ok</p>')
        finally:
            server.shutdown()
            server.server_close()
        assert pdf.startswith(b"%PDF")
        assert asked == []
