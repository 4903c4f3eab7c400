"""A writing loop to be killed (tests/faults/test_kills.py): `python -m tests.faults.writer
URL NAME` opens case NAME and records notes and payments on it until killed, printing
`VERSION` (flushed) after each command's events are stored."""

from __future__ import annotations

import sys
from datetime import date
from decimal import Decimal

from application.commands import AddNote, OpenCase, RecordPayment
from application.errors import CaseAlreadyOpen
from application.service import CaseService
from domain.case import case_id_for
from domain.money import Money
from domain.values import Debtor, PaymentTerms

CREDITOR = "Kill Tests Ltd"
TODAY = date(2026, 1, 1)


def main(url: str, name: str) -> None:
    service = CaseService(url, creditor=CREDITOR)
    case_id = case_id_for(CREDITOR, name)
    try:
        service.handle(OpenCase(actor="k", occurred_on=TODAY, creditor=CREDITOR,
                                invoice_number=name, debtor=Debtor("Killed Ltd"),
                                amount=Money.of("1000000", "EUR"), issue_date=TODAY,
                                due_date=TODAY, terms=PaymentTerms()))
    except CaseAlreadyOpen:
        pass
    n = 0
    while True:
        n += 1
        command = (RecordPayment(case_id=case_id, actor="k", amount=Decimal("1.00"))
                   if n % 3 == 0 else AddNote(case_id=case_id, actor="k", text="x" * 2000))
        print(service.handle(command).version, flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
