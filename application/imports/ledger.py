"""The open cases of a creditor, from the read model (for a full export's missing invoices)."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import and_, select

from application.bootstrap import Arrears
from application.imports.importer import OpenCases
from application.readmodels.tables import case_summary


def open_cases_of(arrears: Arrears) -> OpenCases:
    """A function creditor → its open cases (id, invoice number), the views caught up first."""
    arrears.projector.catch_up()
    c = case_summary.c

    def open_cases(creditor: str) -> Sequence[tuple[UUID, str]]:
        query = (select(c.case_id, c.invoice_number)
                 .where(and_(c.creditor == creditor, c.is_closed.is_(False)))
                 .order_by(c.invoice_number))
        with arrears.projector.engine.connect() as conn:
            return [(UUID(row.case_id), row.invoice_number) for row in conn.execute(query)]

    return open_cases
