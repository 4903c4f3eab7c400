"""arrears import-payments, payments unmatched | assign | not-ours: today is 2026-03-01."""

from __future__ import annotations

import json

import pytest

from application.payments_in.rf import make_rf
from tests.bank_files import Entry, Tx, camt, write
from tests.cli.conftest import ISSUED, invoice


@pytest.fixture
def opened(ok):
    """Open a case for a debtor, amount and due date; return its invoice number."""

    def run(amount: str, due: str = "2026-01-31", debtor: str = "Harbour Lights Cafe Ltd",
            number: str = "") -> str:
        number = number or invoice()
        ok("open", number, "--debtor", debtor, "--amount", amount, "--issue-date", ISSUED,
           "--due-date", due, "--on", ISSUED)
        return number

    return run


@pytest.fixture
def statement(tmp_path):
    def run(*entries: Entry, name: str = "statement.xml", **options) -> str:
        return str(write(tmp_path / name, camt(list(entries), **options)))

    return run


def payments(timeline, number: str) -> list[dict]:
    return [e for e in timeline(number) if e["type"] == "PaymentReceived"]


class TestImport:
    def test_a_credit_naming_two_invoices_pays_both_oldest_first(
            self, ok, opened, statement, show, timeline):
        # 1,500.00 names A (owes 1,000.00, due 31 Jan) and B (owes 800.00, due 15 Feb):
        # A takes 1,000.00 and is paid; B takes the other 500.00 and owes 300.00.
        a, b = opened("1000.00"), opened("800.00", due="2026-02-15")
        path = statement(Entry("1500.00", ref="REF-2", txs=[Tx(ustrd=(f"{b} {a}",))]))
        summary = ok("import-payments", path)
        [found] = summary["matched"]
        assert [(c["invoice_number"], c["amount"]) for c in found["cases"]] == [
            (a, "1000.00"), (b, "500.00")]
        # A is paid in full, late: it stays open for its unclaimed interest (claim or waive).
        assert (show(a)["balance"]["outstanding"], show(b)["balance"]["outstanding"]) == (
            "0.00", "300.00")
        assert show(a)["unclaimed_interest"] is not None
        [paid] = payments(timeline, b)
        assert (paid["occurred_on"], paid["data"]["method"], paid["data"]["reference"]) == (
            "2026-02-27", "bank_transfer", "REF-2")

    def test_the_same_statement_twice_records_nothing_twice(
            self, ok, opened, statement, timeline):
        number = opened("200.00")
        path = statement(Entry("200.00", txs=[Tx(refs=(make_rf(number),))]))
        assert len(ok("import-payments", path)["matched"]) == 1
        again = ok("import-payments", path)
        assert (again["matched"], again["queued"]) == ([], [])
        assert [u["state"] for u in again["unchanged"]] == ["recorded"]
        assert len(payments(timeline, number)) == 1

    def test_a_notification_then_its_statement_records_once(self, ok, opened, statement):
        number = opened("200.00")
        entry = Entry("200.00", ref="SAME", txs=[Tx(ustrd=(number,))])
        first = ok("import-payments", statement(entry, name="n.xml", kind="054"))
        second = ok("import-payments", statement(entry, name="s.xml", version=8))
        assert (len(first["matched"]), len(second["unchanged"])) == (1, 1)

    def test_unknown_and_overpaying_credits_are_queued_and_debits_ignored(
            self, ok, opened, statement):
        number = opened("100.00")
        summary = ok("import-payments", statement(
            Entry("150.00", ref="OVER", txs=[Tx(ustrd=(number,))]),
            Entry("75.00", ref="WHO", txs=[Tx(debtor="Stranger plc")]),
            Entry("60.00", ref="OUT", direction="DBIT")))
        assert [(q["entry_reference"], q["reason"]) for q in summary["queued"]] == [
            ("OVER", "overpaying"), ("WHO", "unmatched")]
        assert summary["ignored"] == 1
        listed = ok("payments", "unmatched")["unmatched"]
        assert [row["entry_reference"] for row in listed] == ["OVER", "WHO"]
        assert listed[0]["source_file"].endswith("statement.xml")
        assert len(listed[0]["source_sha256"]) == 64

    def test_dry_run_stores_nothing(self, ok, opened, statement, timeline):
        number = opened("100.00")
        path = statement(Entry("100.00", txs=[Tx(ustrd=(number,))]),
                         Entry("5.00", ref="X", txs=[Tx(debtor="Nobody")]))
        summary = ok("import-payments", path, "--dry-run")
        assert (summary["dry_run"], len(summary["matched"]), len(summary["queued"])) == (
            True, 1, 1)
        assert payments(timeline, number) == []
        assert ok("payments", "unmatched")["unmatched"] == []
        assert len(ok("import-payments", path)["matched"]) == 1

    def test_a_file_of_another_schema_is_refused_with_exit_1(self, arrears, tmp_path):
        path = write(tmp_path / "ubl.xml", '<Invoice xmlns="urn:oasis:names:specification:'
                     'ubl:schema:xsd:Invoice-2"/>')
        result = arrears("import-payments", str(path), "--json")
        assert result.exit_code == 1
        [refused] = json.loads(result.stdout)["refused"]
        assert refused["field"] == "Document"
        assert "the root element is Invoice" in refused["reason"]
        assert "error: " in result.stderr

    def test_a_csv_export_by_its_mapping(self, ok, opened, tmp_path, show):
        number = opened("1234.50", debtor="Müller GmbH")
        mapping = write(tmp_path / "bank.toml", 'account = "DE89370400440532013000"\n'
                        'locale = "de"\ndate_format = "%d.%m.%Y"\ncurrency = "GBP"\n'
                        '[columns]\ndate = "Datum"\namount = "Betrag"\n'
                        'remittance = "Zweck"\npayer = "Name"\n')
        export = write(tmp_path / "bank.csv", "Datum;Betrag;Zweck;Name\n"
                       "27.02.2026;1.234,50;Danke;MÜLLER GMBH\n", bom=True)
        summary = ok("import-payments", str(export), "--mapping", str(mapping))
        assert summary["matched"][0]["by"] == "name and amount"
        assert show(number)["balance"]["outstanding"] == "0.00"
        assert ok("import-payments", str(export), "--mapping", str(mapping))["unchanged"]


class TestReview:
    @pytest.fixture
    def queued(self, ok, statement):
        summary = ok("import-payments", statement(
            Entry("75.00", ref="WHO", txs=[Tx(debtor="Stranger plc")])))
        return summary["queued"][0]["entry"]

    def test_assign_records_the_payment_and_empties_the_queue(
            self, ok, opened, queued, timeline):
        number = opened("100.00")
        assigned = ok("payments", "assign", queued, number)
        assert (assigned["state"], assigned["unassigned"]) == ("assigned", "0.00")
        [paid] = payments(timeline, number)
        assert paid["data"]["amount"] == {"amount": "75.00", "currency": "GBP"}
        assert paid["data"]["reference"] == "WHO"
        assert ok("payments", "unmatched")["unmatched"] == []

    def test_part_of_a_credit_stays_in_the_queue(self, ok, opened, queued):
        part = ok("payments", "assign", queued, opened("100.00"), "--amount", "25.00")
        assert (part["state"], part["unassigned"]) == ("queued", "50.00")
        [row] = ok("payments", "unmatched")["unmatched"]
        assert row["unassigned"] == "50.00"

    def test_more_than_the_case_owes_is_refused(self, arrears, opened, queued):
        result = arrears("payments", "assign", queued, opened("10.00"))
        assert result.exit_code == 1, result.stderr
        assert "outstanding" in result.stderr

    def test_not_ours_takes_it_out_of_the_queue(self, ok, arrears, queued):
        row = ok("payments", "not-ours", queued, "--reason", "a refund from our landlord")
        assert (row["state"], row["note"]) == ("not_ours", "a refund from our landlord")
        assert ok("payments", "unmatched")["unmatched"] == []
        again = arrears("payments", "not-ours", queued, "--reason", "x")
        assert again.exit_code == 1
        assert "no longer in the review queue (not_ours)" in again.stderr

    def test_an_unknown_entry_is_named(self, arrears):
        result = arrears("payments", "not-ours", "feedfeedfeedfeed", "--reason", "x")
        assert result.exit_code == 2
        assert result.stderr.startswith("error: entry: no credit 'feedfeedfeedfeed'")
