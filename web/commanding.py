"""Running a command from a request: load its schema, build the command, handle, project.

A request may name itself with an idempotency key (a form's one-time token, the API's
`Idempotency-Key` header): sent again under that key, it is answered with the first
outcome (`repeated` set) and nothing new is stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from marshmallow import ValidationError

from application.commands import CASE_COMMANDS, Command, OpenCase
from application.errors import (
    CaseAlreadyOpen,
    CaseNotFound,
    ConcurrentWrite,
    InvalidIdempotencyKey,
)
from domain.errors import DomainError, InvalidValues
from domain.money import Money
from domain.values import Debtor, PaymentTerms
from web.auth.identity import actor
from web.context import arrears, catch_up
from web.schemas.commands import COMMAND_SCHEMAS
from web.schemas.commands import OpenCase as OpenCaseSchema


@dataclass
class Outcome:
    """What became of a command: the case id and versions, or errors by field.

    `repeated`: an earlier request under the same idempotency key stored these versions.
    """

    case_id: str = ""
    version: int = 0
    first_version: int = 0
    repeated: bool = False
    errors: dict[str, list[str]] = field(default_factory=dict)
    status: int = 200
    views_behind: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def run_command(case_id: str, command: str, payload: dict[str, Any],
                idempotency_key: str | None = None) -> Outcome:
    """Validate and run one command on a case, recorded by the signed-in user; nothing is
    stored on error."""
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
        return Outcome(errors=flatten(error.messages), status=400)
    data.pop("actor", None)
    return _handle(CASE_COMMANDS[command](case_id=case_uuid, actor=actor(), **data),
                   idempotency_key)


def open_case(payload: dict[str, Any], idempotency_key: str | None = None) -> Outcome:
    """Validate and open a case for an invoice."""
    try:
        data = OpenCaseSchema().load(payload)
    except ValidationError as error:
        return Outcome(errors=flatten(error.messages), status=400)
    return _handle(opening(data, actor(), arrears().service.default_creditor),
                   idempotency_key)


def opening(data: dict[str, Any], actor: str, creditor: str) -> OpenCase:
    """The OpenCase command from the open-case form's (flat) fields."""
    currency = data["currency"]
    fee = data["late_fee"]
    return OpenCase(
        actor=actor, occurred_on=data["occurred_on"],
        creditor=data["creditor"] or creditor, invoice_number=data["invoice_number"],
        debtor=Debtor(data["debtor_name"], data["debtor_kind"], data["debtor_email"],
                      data["debtor_phone"], data["debtor_address"],
                      data.get("debtor_tax_id", "")),
        amount=Money(data["amount"], currency), issue_date=data["issue_date"],
        due_date=data["due_date"], contract_reference=data["contract_reference"],
        jurisdiction=data["jurisdiction"],
        terms=PaymentTerms(data["interest_rate"], None if fee is None else Money(fee, currency),
                           tuple(data["payment_methods"])))


def _handle(command: Command, idempotency_key: str | None) -> Outcome:
    app = arrears()
    try:
        recorded = app.service.handle(command, idempotency_key=idempotency_key)
    except DomainError as error:
        return Outcome(errors=errors_of(error), status=status_of(error))
    behind = catch_up()  # never raises for the read side: the command is stored
    return Outcome(case_id=str(recorded.case_id), version=recorded.version,
                   first_version=recorded.first_version, repeated=recorded.repeated,
                   status=201, views_behind=behind)


def errors_of(error: DomainError) -> dict[str, list[str]]:
    if isinstance(error, InvalidValues):
        return dict(error.errors)
    return {error.field or "_schema": [error.message]}


def status_of(error: DomainError) -> int:
    if isinstance(error, CaseNotFound):
        return 404
    if isinstance(error, InvalidIdempotencyKey):
        return 400
    if isinstance(error, ConcurrentWrite | CaseAlreadyOpen):
        return 409
    return 422


def flatten(messages: Any, prefix: str = "") -> dict[str, list[str]]:
    """marshmallow's nested messages → {"instalments[1].amount": [...]} (1-based)."""
    if isinstance(messages, list):
        return {prefix or "_schema": [str(m) for m in messages]}
    flat: dict[str, list[str]] = {}
    for key, value in messages.items():
        name = (f"{prefix}[{key + 1}]" if isinstance(key, int) else
                f"{prefix}.{key}" if prefix else str(key))
        flat.update(flatten(value, name))
    return flat
