"""Bank statements read into credits: camt.053 / camt.054 and CSV exports with a mapping."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from application.payments_in.camt import NotCamt, read_camt
from application.payments_in.csvbank import load_mapping, read_csv
from application.payments_in.importing import read_statement
from domain.errors import InvalidValue
from tests.bank_files import ACCOUNT, Entry, Tx, camt, write

TODAY = date(2026, 3, 1)


def credits_of(xml: str):
    return read_camt("s.xml", xml.encode(), "sha", TODAY)


class TestCamt:
    @pytest.mark.parametrize(("kind", "version"), [("053", 2), ("053", 4), ("053", 8),
                                                    ("054", 2), ("054", 8)])
    def test_a_booked_credit_of_every_usual_version(self, kind, version):
        xml = camt([Entry("1,200.00".replace(",", ""), txs=[Tx(
            debtor="Harbour Lights Cafe Ltd", ustrd=("INV-1 and INV-2",),
            refs=("RF18539007547034",))])], kind, version)
        statement = credits_of(xml)
        [credit] = statement.credits
        assert (credit.account, credit.entry_reference) == (ACCOUNT, "BANKREF-1")
        assert (credit.amount, credit.currency) == (Decimal("1200.00"), "GBP")
        assert (credit.booked_on, credit.value_on) == (date(2026, 2, 27), date(2026, 2, 27))
        assert credit.debtor_name == "Harbour Lights Cafe Ltd"
        assert credit.remittance == "INV-1 and INV-2"
        assert credit.references == ("RF18539007547034",)
        assert credit.source_sha256 == "sha"

    def test_debits_and_pending_entries_are_ignored(self):
        statement = credits_of(camt([Entry("10.00", direction="DBIT", ref="D"),
                                     Entry("20.00", status="PDNG", ref="P"),
                                     Entry("30.00", ref="C")]))
        assert [c.entry_reference for c in statement.credits] == ["C"]
        assert statement.skipped == 2

    def test_a_batch_gives_one_credit_per_transaction(self):
        statement = credits_of(camt([Entry("300.00", ref="BATCH", txs=[
            Tx(debtor="A Ltd", amount="100.00", end_to_end="E2E-A"),
            Tx(debtor="B Ltd", amount="200.00", ref="TX-B")])]))
        assert [(c.entry_reference, c.amount, c.debtor_name) for c in statement.credits] == [
            ("BATCH/E2E-A", Decimal("100.00"), "A Ltd"), ("TX-B", Decimal("200.00"), "B Ltd")]
        assert statement.credits[1].location == "Stmt 1 Ntry 1 TxDtls 2"

    def test_the_remittance_may_give_amounts_per_invoice(self):
        statement = credits_of(camt([Entry("150.00", txs=[Tx(
            docs=(("INV-1", "100.00"), ("INV-2", "50.00")))])]))
        assert [(r.number, r.amount) for r in statement.credits[0].remitted] == [
            ("INV-1", Decimal("100.00")), ("INV-2", Decimal("50.00"))]

    def test_a_bad_amount_is_refused_naming_the_entry_and_element(self):
        statement = credits_of(camt([Entry("12.345", ref="A"), Entry("5.00", ref="B")]))
        [refusal] = statement.refusals
        assert (refusal.where, refusal.field) == ("Stmt 1 Ntry 1", "Amt")
        assert [c.entry_reference for c in statement.credits] == ["B"]

    def test_another_schema_is_refused_naming_its_root_element(self):
        with pytest.raises(NotCamt, match="the root element is Invoice in namespace "
                           "'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2'"):
            credits_of('<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:'
                       'Invoice-2"/>')

    def test_an_unknown_version_is_refused(self):
        with pytest.raises(NotCamt, match=r"camt\.053\.001\.99 is not a version"):
            credits_of(camt([], version=99))

    def test_entity_expansion_is_refused(self):
        bomb = ('<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa">]>'
                '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">&a;'
                "</Document>")
        with pytest.raises(NotCamt, match="DTD, entities or external references"):
            credits_of(bomb)

    def test_an_external_entity_is_never_fetched(self, tmp_path):
        secret = write(tmp_path / "secret.txt", "secret")
        xml = (f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file://{secret}">]>'
               '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">&x;'
               "</Document>")
        with pytest.raises(NotCamt, match="refused"):
            credits_of(xml)


MAPPING = """account = "DE89370400440532013000"
locale = "de"
date_format = "%d.%m.%Y"
[columns]
date = "Buchungstag"
amount = "Betrag"
currency = "Währung"
remittance = "Verwendungszweck"
payer = "Auftraggeber"
"""


class TestCsv:
    def test_a_semicolon_export_with_a_bom_and_thousands_separators(self, tmp_path):
        mapping = load_mapping(write(tmp_path / "m.toml", MAPPING))
        content = ("Buchungstag;Betrag;Währung;Verwendungszweck;Auftraggeber\n"
                   "27.02.2026;1.234,50;EUR;Rechnung RE-7;Müller GmbH\n"
                   "27.02.2026;-99,00;EUR;Miete;Vermieter\n").encode("utf-8-sig")
        statement = read_csv("b.csv", content, "sha", mapping, TODAY)
        [credit] = statement.credits
        assert (credit.amount, credit.currency, credit.booked_on) == (
            Decimal("1234.50"), "EUR", date(2026, 2, 27))
        assert (credit.debtor_name, credit.remittance) == ("Müller GmbH", "Rechnung RE-7")
        assert (statement.skipped, statement.refusals) == (1, [])
        assert credit.account == "DE89370400440532013000"

    def test_a_bad_row_is_refused_naming_row_and_column(self, tmp_path):
        mapping = load_mapping(write(tmp_path / "m.toml", MAPPING))
        content = ("Buchungstag;Betrag;Währung;Verwendungszweck;Auftraggeber\n"
                   "2026-02-27;10,00;EUR;x;y\n").encode()
        [refusal] = read_csv("b.csv", content, "sha", mapping, TODAY).refusals
        assert (refusal.where, refusal.field) == ("row 2", "Buchungstag")
        assert "not a date in the form %d.%m.%Y" in refusal.reason

    def test_identical_rows_without_a_reference_are_two_credits(self, tmp_path):
        mapping = load_mapping(write(tmp_path / "m.toml", MAPPING))
        row = "27.02.2026;10,00;EUR;x;y\n"
        content = ("Buchungstag;Betrag;Währung;Verwendungszweck;Auftraggeber\n" + row * 2)
        found = read_csv("b.csv", content.encode(), "sha", mapping, TODAY).credits
        assert len({c.entry for c in found}) == 2

    def test_a_direction_column_says_which_rows_are_credits(self, tmp_path):
        mapping = load_mapping(write(tmp_path / "m.toml", """account = "A1"
currency = "GBP"
sign = "column"
[columns]
date = "Date"
amount = "Amount"
reference = "Ref"
direction = "Dr/Cr"
[direction]
credit = "CR"
"""))
        content = "Date,Amount,Ref,Dr/Cr\n2026-02-27,\"1,000.00\",R1,CR\n2026-02-27,5.00,R2,DR\n"
        statement = read_csv("b.csv", content.encode(), "sha", mapping, TODAY)
        assert [(c.entry_reference, c.amount) for c in statement.credits] == [
            ("R1", Decimal("1000.00"))]

    def test_a_missing_column_refuses_the_file(self, tmp_path):
        mapping = load_mapping(write(tmp_path / "m.toml", MAPPING))
        with pytest.raises(InvalidValue, match="the CSV has no column 'Betrag'"):
            read_csv("b.csv", b"Buchungstag;Amount\n", "sha", mapping, TODAY)

    def test_a_mapping_without_the_amount_column_is_refused(self, tmp_path):
        path = write(tmp_path / "m.toml", 'account = "A"\n[columns]\ndate = "D"\n')
        with pytest.raises(InvalidValue, match="must name the 'amount' column"):
            load_mapping(path)

    def test_a_csv_without_a_mapping_is_refused(self, tmp_path):
        statement = read_statement(write(tmp_path / "b.csv", "a,b\n"), None, TODAY)
        [refusal] = statement.refusals
        assert (refusal.field, refusal.reason) == (
            "mapping", "not camt XML; a CSV bank export needs --mapping")


def test_a_missing_file_is_refused(tmp_path: Path):
    [refusal] = read_statement(tmp_path / "nope.xml", None, TODAY).refusals
    assert refusal.field == "file"
