"""Letters on a SQLite store with the clock at 2026-03-01 09:00 UTC, kept in a temporary
letter folder, the creditor's address and payment details set."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from uuid import UUID

import pytest

from application.clock import FixedClock
from application.letters import LetterWriter, install_letters
from application.service import CaseService
from domain.money import Money
from domain.values import Debtor
from tests.commands import open_case
from tests.pdf import require_pdf

CREDITOR = "Acme Supplies Ltd"
SETTINGS = {"ARREARS_CREDITOR_ADDRESS": "1 Mill Lane | Leeds LS1 4AB",
            "ARREARS_PAYMENT_DETAILS": "Bank transfer to Acme Supplies Ltd | "
                                       "Sort code 20-00-00, account 12345678"}
TODAY = date(2026, 3, 1)


def gbp(amount: str) -> Money:
    return Money.of(amount, "GBP")


@pytest.fixture
def service(tmp_path: Path, pytestconfig: pytest.Config) -> Iterator[CaseService]:
    require_pdf(pytestconfig)
    clock = FixedClock(datetime(2026, 3, 1, 9, 0, tzinfo=UTC))
    service = CaseService(f"sqlite:///{tmp_path}/events.db", clock=clock, creditor=CREDITOR)
    yield service
    service.close()


@pytest.fixture
def letters(service: CaseService, tmp_path: Path) -> LetterWriter:
    return install_letters(service, SETTINGS, letters=tmp_path / "letters")


def business_case(service: CaseService, invoice: str = "INV-7001") -> UUID:
    """GBP 1,200.00 owed by a business in England and Wales, issued 2026-01-01, due
    2026-01-31."""
    return open_case(service, actor="priya.shah", occurred_on=date(2026, 1, 1),
                     creditor=CREDITOR, invoice_number=invoice,
                     debtor=Debtor("Harbour Lights Cafe Ltd",
                                   address="4 Quay Street\nWhitby YO21 1AA"),
                     amount=gbp("1200.00"), issue_date=date(2026, 1, 1),
                     due_date=date(2026, 1, 31))


def individual_case(service: CaseService, invoice: str = "INV-7002") -> UUID:
    """GBP 800.00 owed by an individual in England and Wales, due 2026-01-31."""
    return open_case(service, actor="priya.shah", occurred_on=date(2026, 1, 1),
                     creditor=CREDITOR, invoice_number=invoice,
                     debtor=Debtor("Jo Bloggs", kind="individual",
                                   address="7 Elm Road\nYork YO1 7HH"),
                     amount=gbp("800.00"), issue_date=date(2026, 1, 1),
                     due_date=date(2026, 1, 31))
