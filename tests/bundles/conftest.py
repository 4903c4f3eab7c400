"""Bundles of one worked case, on a SQLite store with the clock at 2026-03-01 09:00 UTC.

INV-7001, GBP 1,200.00 to Harbour Lights Cafe Ltd, issued 2026-01-01, due 2026-01-31: a
reminder, a late fee of 40.00, a demand, a payment of 200.00, 10.00 of the fee waived, an
acknowledgment, a note, 30.00 written off; the contract attached. Outstanding GBP 1,000.00.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

from application.bundles.layout import sha256
from application.bundles.ports import Attachment, BundleSources
from application.bundles.produce import Produced, deliver
from application.bundles.standins import FileSigner, ListedAttachments, RecomputedChain
from application.clock import FixedClock
from application.service import CaseService
from domain.bundles import Interface
from domain.money import Money
from domain.values import Debtor
from tests.commands import execute, open_case
from tests.pdf import require_pdf

CREDITOR = "Acme Supplies Ltd"
CONTRACT = b"%PDF-1.4 the signed contract of 2 January 2026\n"
CONTRACT_ATTACHMENT = Attachment("Contract 2026 (signed).pdf", "application/pdf",
                                 sha256(CONTRACT), CONTRACT)


def gbp(amount: str) -> Money:
    return Money.of(amount, "GBP")


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 3, 1, 9, 0, tzinfo=UTC))


@pytest.fixture
def service(tmp_path: Path, clock: FixedClock) -> Iterator[CaseService]:
    service = CaseService(f"sqlite:///{tmp_path}/events.db", clock=clock, creditor=CREDITOR)
    yield service
    service.close()


def work_case(service: CaseService) -> UUID:
    """INV-7001, worked from its opening to a partial write-off (see the module)."""
    case_id = open_case(
        service, actor="priya.shah", occurred_on=date(2026, 1, 1), creditor=CREDITOR,
        invoice_number="INV-7001", contract_reference="C-2026-14",
        debtor=Debtor("Harbour Lights Cafe Ltd", address="4 Quay Street\nWhitby YO21 1AA"),
        amount=gbp("1200.00"), issue_date=date(2026, 1, 1), due_date=date(2026, 1, 31))
    steps = [
        ("send_reminder", date(2026, 2, 3), dict(channel="email", message_reference="M-88")),
        ("apply_penalty", date(2026, 2, 10), dict(kind="late_fee", amount=gbp("40.00"))),
        ("issue_demand", date(2026, 2, 12), dict(deadline=date(2026, 2, 26),
                                                 consequences="court proceedings",
                                                 letter_reference="LBA-7001")),
        ("record_payment", date(2026, 2, 15), dict(amount=gbp("200.00"), reference="BACS 991")),
        ("waive_penalty", date(2026, 2, 16), dict(kind="late_fee", amount=gbp("10.00"),
                                                  reason="goodwill")),
        ("acknowledge_debt", date(2026, 2, 17), dict(document="email of 17 February")),
        ("add_note", date(2026, 2, 18), dict(text="Director says <cash> is tight")),
        ("write_off", date(2026, 2, 20), dict(reason="uncollectable", amount=gbp("30.00"))),
    ]
    for command, on, fields in steps:
        execute(service, case_id, command, actor="bob.jones", occurred_on=on, **fields)
    return case_id


def write_bundle(service: CaseService, sources: BundleSources, case_id: UUID,
                 path: Path) -> Produced:
    """The case's bundle, written to `path` by `deliver` (and so recorded)."""
    with path.open("w+b") as out:
        found, _ = deliver(service, sources, case_id, out, actor="wendy.wright",
                           interface=Interface.CLI)
    return found


def sources_for(service: CaseService, signer: FileSigner, case_id: UUID) -> BundleSources:
    return BundleSources(signer=signer, chain=RecomputedChain(service),
                         attachments=ListedAttachments({case_id: [CONTRACT_ATTACHMENT]}))


@dataclass(frozen=True)
class Made:
    """One bundle made for the whole session (making one renders a PDF: about a second)."""

    path: Path
    produced: Produced
    signer: FileSigner
    case_id: UUID
    history: list[dict[str, Any]]  # the case's events the bundle covers


@pytest.fixture(scope="session")
def made(tmp_path_factory: pytest.TempPathFactory, pytestconfig: pytest.Config) -> Iterator[Made]:
    require_pdf(pytestconfig)
    folder = tmp_path_factory.mktemp("made")
    service = CaseService(f"sqlite:///{folder}/events.db", creditor=CREDITOR,
                          clock=FixedClock(datetime(2026, 3, 1, 9, 0, tzinfo=UTC)))
    try:
        case_id = work_case(service)
        history = service.history(case_id)
        signer = FileSigner(folder / "signing-key.pem")
        produced = write_bundle(service, sources_for(service, signer, case_id), case_id,
                                folder / "bundle.zip")
        yield Made(folder / "bundle.zip", produced, signer, case_id, history)
    finally:
        service.close()


@pytest.fixture
def bundle(made: Made, tmp_path: Path) -> Path:
    """A copy of the session's bundle, this test's own to take apart."""
    path = tmp_path / "bundle.zip"
    shutil.copyfile(made.path, path)
    return path


@pytest.fixture
def case_id(service: CaseService) -> UUID:
    return work_case(service)


@pytest.fixture
def signer(tmp_path: Path) -> FileSigner:
    return FileSigner(tmp_path / "keys" / "signing-key.pem")


@pytest.fixture
def sources(service: CaseService, signer: FileSigner, case_id: UUID) -> BundleSources:
    return sources_for(service, signer, case_id)


@pytest.fixture
def produced(pdf_ready: None, service: CaseService, sources: BundleSources, case_id: UUID,
             tmp_path: Path) -> tuple[Path, Produced]:
    """This test's own bundle of its own case, in tmp_path/bundle.zip, recorded."""
    path = tmp_path / "bundle.zip"
    return path, write_bundle(service, sources, case_id, path)
