"""Steps of the import features (features/imports/): files written here, imported through
`application.imports.Importer` on a temporary SQLite store, evidence in a temporary folder."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pytest_bdd import given, parsers, then, when

from application.bootstrap import Arrears, build
from application.clock import FixedClock
from application.imports.importer import Importer, ImportOptions, Source
from application.imports.ledger import open_cases_of
from application.imports.summary import Summary
from domain.case import case_id_for
from tests.invoice_files import cii_invoice, csv_bytes, facturx_pdf

CREDITOR = "Acme Supplies Ltd"
HEADER = ("invoice_number", "debtor_name", "issue_date", "due_date", "currency", "amount_due")


@pytest.fixture
def imports(tmp_path: Path) -> Iterator[Arrears]:
    app = build(f"sqlite:///{tmp_path}/events.db", clock=FixedClock(), creditor=CREDITOR,
                blobs=tmp_path / "blobs")
    yield app
    app.close()


@pytest.fixture
def files() -> dict[str, Source]:
    return {}


@pytest.fixture
def summaries() -> list[Summary]:
    return []


def run(app: Arrears, source: Source, day: date, full: bool = False) -> Summary:
    app.clock.current = datetime(day.year, day.month, day.day, 9, tzinfo=app.clock.now().tzinfo)  # type: ignore[attr-defined]
    options = ImportOptions(actor="priya.shah", creditor=CREDITOR, creditors=(CREDITOR,),
                            full=full)
    return Importer(app.attachments, options, open_cases_of(app) if full else None).run(
        [source])


def events(app: Arrears, number: str) -> list[dict[str, Any]]:
    return app.service.history(case_id_for(CREDITOR, number))


def day_of(text: str) -> date:
    return datetime.strptime(text, "%d %B %Y").date()


# -- Given ------------------------------------------------------------------------------------

@given(parsers.parse("the accounting system's open invoices at the end of {month}:"))
def an_export(files: dict[str, Source], month: str, datatable: list[list[str]]) -> None:
    """The open-invoices export of that month, as the generic template (a CSV file)."""
    rows = [tuple(row) for row in datatable[1:]]
    files[month] = Source(f"open-invoices-{month.lower()}.csv", csv_bytes(rows, HEADER))


@given(parsers.parse("an XRechnung {number} from {seller} to {buyer} for EUR {amount} due "
                     "{due}, embedded in a PDF"))
def an_xrechnung_pdf(files: dict[str, Source], number: str, seller: str, buyer: str,
                     amount: str, due: str) -> None:
    """The CII invoice as XML, and as the PDF/A-3 that carries it (made with factur-x)."""
    xml = cii_invoice(number, seller=seller, buyer=buyer, payable=amount.replace(",", ""),
                      due=due.replace("-", ""))
    files["xml"] = Source(f"{number.replace('/', '-')}.xml", xml)
    files["pdf"] = Source(f"{number.replace('/', '-')}.pdf", facturx_pdf(xml))


# -- When -------------------------------------------------------------------------------------

@when(parsers.parse("I import the {month:w} export on {day}"))
def import_export(imports: Arrears, files: dict[str, Source], summaries: list[Summary],
                  month: str, day: str) -> None:
    summaries.append(run(imports, files[month], day_of(day)))


@when(parsers.parse("I import the {month:w} export as a full export on {day}"))
def import_full_export(imports: Arrears, files: dict[str, Source], summaries: list[Summary],
                       month: str, day: str) -> None:
    summaries.append(run(imports, files[month], day_of(day), full=True))


@when(parsers.parse("I import the PDF on {day}"))
def import_pdf(imports: Arrears, files: dict[str, Source], summaries: list[Summary],
               day: str) -> None:
    summaries.append(run(imports, files["pdf"], day_of(day)))


@when(parsers.parse("I import the invoice's XML on {day}"))
def import_xml(imports: Arrears, files: dict[str, Source], summaries: list[Summary],
               day: str) -> None:
    summaries.append(run(imports, files["xml"], day_of(day)))


# -- Then -------------------------------------------------------------------------------------

@then(parsers.re(r"(?P<count>\d+) cases? (?:is|are) created"))
def created(summaries: list[Summary], count: str) -> None:
    summary = summaries[-1]
    assert len(summary.of("created")) == int(count), summary.as_json()  # type: ignore[arg-type]
    assert summary.refused == []


@then(parsers.parse("the {month:w} export is attached to each case as evidence"))
def export_attached(imports: Arrears, files: dict[str, Source], summaries: list[Summary],
                    month: str) -> None:
    sha = hashlib.sha256(files[month].content).hexdigest()
    for entry in summaries[-1].entries:
        attached = [e for e in events(imports, entry.invoice_number)
                    if e["type"] == "AttachmentAdded"]
        assert [a["data"]["sha256"] for a in attached] == [sha]
    assert imports.attachments.content(sha) == files[month].content


@then(parsers.parse("{number} has {currency} {amount} outstanding after a payment of "
                    "{paid_currency} {paid} reported by the ledger"))
def paid_by_ledger(imports: Arrears, number: str, currency: str, amount: str,
                   paid_currency: str, paid: str) -> None:
    case = imports.service.case(case_id_for(CREDITOR, number))
    assert (case["currency"], Decimal(case["balance"]["outstanding"])) == \
        (currency, Decimal(amount.replace(",", "")))
    [payment] = [e for e in events(imports, number) if e["type"] == "PaymentReceived"]
    assert payment["data"]["amount"] == {"amount": paid.replace(",", ""),
                                         "currency": paid_currency}
    assert payment["data"]["reference"].startswith("ledger export open-invoices-")


@then(parsers.parse('{number} has a task "{what}"'))
def has_task(imports: Arrears, number: str, what: str) -> None:
    tasks = [e["data"] for e in events(imports, number) if e["type"] == "TaskCreated"]
    assert [(t["what"], t["actions"]) for t in tasks] == [(what, ["record_payment"])]


@then(parsers.parse("{number} is unchanged"))
def unchanged(summaries: list[Summary], number: str) -> None:
    assert number in [e.invoice_number for e in summaries[-1].of("unchanged")]  # type: ignore[arg-type]


@then("nothing more is recorded")
def nothing_more(summaries: list[Summary]) -> None:
    summary = summaries[-1]
    assert summary.of("created") == summary.of("updated") == []  # type: ignore[arg-type]
    assert summary.tasks == [] and summary.refused == []
    assert len(summary.of("unchanged")) == len(summary.entries) > 0  # type: ignore[arg-type]


@then(parsers.parse("{number} is owed EUR {amount} by {debtor}, due {due}"))
def owed(imports: Arrears, number: str, amount: str, debtor: str, due: str) -> None:
    case = imports.service.case(case_id_for(CREDITOR, number))
    assert (case["balance"]["outstanding"], case["currency"], case["debtor"]["name"],
            case["due_date"]) == (amount.replace(",", ""), "EUR", debtor, due)


@then("the PDF is attached to the case, its SHA-256 recorded and its bytes kept")
def pdf_kept(imports: Arrears, files: dict[str, Source], summaries: list[Summary]) -> None:
    pdf = files["pdf"]
    sha = hashlib.sha256(pdf.content).hexdigest()
    [entry] = summaries[-1].entries
    [attached] = [e["data"] for e in events(imports, entry.invoice_number)
                  if e["type"] == "AttachmentAdded"]
    assert (attached["name"], attached["sha256"], attached["media_type"]) == \
        (pdf.name, sha, "application/pdf")
    assert imports.attachments.content(sha) == pdf.content
