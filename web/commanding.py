"""Running a command from a request: validate with its schema, convert, execute, project."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from flask import current_app
from marshmallow import ValidationError

from application.errors import CaseAlreadyOpen, CaseNotFound, ConcurrentWrite
from domain.errors import DomainError
from domain.money import Money
from domain.values import Debtor, Instalment, PaymentTerms
from web.context import arrears
from web.schemas.commands import COMMAND_SCHEMAS, OpenCase

MONEY_FIELDS = ("amount", "late_fee")


@dataclass
class Outcome:
    """What became of a command: the case id and version, or errors by field."""

    case_id: str = ""
    version: int = 0
    errors: dict[str, list[str]] = field(default_factory=dict)
    status: int = 200

    @property
    def ok(self) -> bool:
        return not self.errors


def _errors(error: DomainError) -> dict[str, list[str]]:
    return {error.field or "_schema": [error.message]}


def _money(data: dict[str, Any], currency: str) -> dict[str, Any]:
    out = dict(data)
    for name in MONEY_FIELDS:
        if isinstance(out.get(name), Decimal):
            out[name] = Money.of(out[name], currency, name)
    if "instalments" in out:
        out["instalments"] = [Instalment(i["due_on"], Money.of(i["amount"], currency))
                              for i in out["instalments"]]
    return out


def _provenance(data: dict[str, Any]) -> tuple[str, date | None]:
    actor = data.pop("actor", None) or current_app.config["ACTOR"]
    return actor, data.pop("occurred_on", None)


def run_command(case_id: str, command: str, payload: dict[str, Any]) -> Outcome:
    """Validate and run one command on a case; nothing is stored on error."""
    schema = COMMAND_SCHEMAS.get(command)
    if schema is None:
        return Outcome(errors={"command": [f"unknown command '{command}'"]}, status=404)
    try:
        case_uuid = UUID(case_id)
    except ValueError:
        return Outcome(errors={"case": [f"no case with id {case_id}"]}, status=404)
    try:
        data = schema().load(payload)
    except ValidationError as error:
        return Outcome(errors=_flatten(error.messages), status=400)
    app = arrears()
    try:
        currency = app.service.currency(case_uuid)
        actor, occurred_on = _provenance(data)
        version = app.service.execute(case_uuid, command, actor=actor,
                                      occurred_on=occurred_on, **_money(data, currency))
    except DomainError as error:
        return Outcome(errors=_errors(error), status=_status(error))
    app.projector.catch_up()
    return Outcome(case_id=case_id, version=version, status=201)


def open_case(payload: dict[str, Any]) -> Outcome:
    """Validate and open a case for an invoice."""
    try:
        data = OpenCase().load(payload)
    except ValidationError as error:
        return Outcome(errors=_flatten(error.messages), status=400)
    app = arrears()
    try:
        actor, occurred_on = _provenance(data)
        currency = data["currency"].upper()
        fee = data["late_fee"]
        case_id = app.service.open_case(
            actor=actor, occurred_on=occurred_on or data["issue_date"],
            creditor=data["creditor"] or app.service.default_creditor,
            invoice_number=data["invoice_number"],
            debtor=Debtor(data["debtor_name"], data["debtor_kind"], data["debtor_email"],
                          data["debtor_phone"], data["debtor_address"]),
            amount=Money.of(data["amount"], currency), issue_date=data["issue_date"],
            due_date=data["due_date"], contract_reference=data["contract_reference"],
            terms=PaymentTerms(data["interest_rate"],
                               Money.of(fee, currency, "late_fee") if fee else None,
                               tuple(data["payment_methods"])))
    except DomainError as error:
        return Outcome(errors=_errors(error), status=_status(error))
    app.projector.catch_up()
    return Outcome(case_id=str(case_id), version=1, status=201)


def _status(error: DomainError) -> int:
    if isinstance(error, CaseNotFound):
        return 404
    if isinstance(error, ConcurrentWrite | CaseAlreadyOpen):
        return 409
    return 422


def _flatten(messages: Any, prefix: str = "") -> dict[str, list[str]]:
    """marshmallow's nested messages → {"instalments[1].amount": [...]} (1-based)."""
    if isinstance(messages, list):
        return {prefix or "_schema": [str(m) for m in messages]}
    flat: dict[str, list[str]] = {}
    for key, value in messages.items():
        name = (f"{prefix}[{key + 1}]" if isinstance(key, int) else
                f"{prefix}.{key}" if prefix else str(key))
        flat.update(_flatten(value, name))
    return flat
