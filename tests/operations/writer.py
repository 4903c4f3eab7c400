"""A process that keeps writing to a store until told to stop (for the online backup test).

    python -m tests.operations.writer URL STOP_FILE  -> prints the commands it stored
"""

from __future__ import annotations

import sys
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from application.clock import FixedClock
from application.commands import OpenCase, RecordPayment
from application.service import CaseService
from domain.values import Debtor, DebtorKind, Money


def main(url: str, stop: Path) -> int:
    service = CaseService(url, clock=FixedClock(datetime(2026, 3, 1, 9, tzinfo=UTC)))
    stored = 0
    try:
        while not stop.exists():
            opened = service.handle(OpenCase(
                creditor="Writer Ltd", invoice_number=f"W-{stored:06d}", actor="writer",
                debtor=Debtor(name="A Debtor", kind=DebtorKind.BUSINESS.value),
                amount=Money(Decimal("100.00"), "GBP"), issue_date=date(2026, 1, 1),
                due_date=date(2026, 1, 31)))
            for _ in range(3):
                service.handle(RecordPayment(case_id=opened.case_id, actor="writer",
                                             amount=Decimal("1.00")))
            stored += 4
    finally:
        service.close()
    print(stored)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], Path(sys.argv[2])))
