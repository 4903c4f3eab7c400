"""Building commands in tests: a command by its API name, amounts given as Money or text."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from application.commands import CASE_COMMANDS, OpenCase, PlannedInstalment
from application.service import CaseService
from domain.money import Money
from domain.values import Instalment, PaymentTerms


def _plain(value: Any) -> Any:
    if isinstance(value, Money):
        return value.amount
    if isinstance(value, list | tuple) and value and isinstance(value[0], Instalment):
        return tuple(PlannedInstalment(i.due_on, i.amount.amount) for i in value)
    return value


def command(case_id: UUID, name: str, *, actor: str = "ann", occurred_on: date | None = None,
            **fields: Any) -> Any:
    """The command `name` (e.g. "record_payment") on a case, built from test-style fields."""
    return CASE_COMMANDS[name](case_id=case_id, actor=actor, occurred_on=occurred_on,
                               **{k: _plain(v) for k, v in fields.items()})


def execute(service: CaseService, case_id: UUID, name: str, *, actor: str = "ann",
            occurred_on: date | None = None, **fields: Any) -> int:
    """Run the command through `CaseService.handle`; the case's new version."""
    return service.handle(command(case_id, name, actor=actor, occurred_on=occurred_on,
                                  **fields)).version


def open_case(service: CaseService, *, actor: str = "ann", occurred_on: date | None = None,
              terms: PaymentTerms | None = None, creditor: str = "",
              **fields: Any) -> UUID:
    """Open a case through `CaseService.handle`; its id."""
    return service.handle(OpenCase(actor=actor, occurred_on=occurred_on, creditor=creditor,
                                   terms=terms or PaymentTerms(), **fields)).case_id


__all__ = ["Decimal", "command", "execute", "open_case"]
