"""Command forms described from the marshmallow schemas: labels, inputs, payloads, errors."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from marshmallow import Schema, fields, validate
from werkzeug.datastructures import MultiDict

from web.schemas.commands import COMMAND_SCHEMAS
from web.schemas.values import Amount, Rate

TITLES = {
    "log_call": "Log a call", "record_payment": "Record a payment",
    "promise_payment": "Record a promise to pay", "send_reminder": "Send a reminder",
    "add_note": "Add a note", "apply_penalty": "Apply a penalty",
    "waive_penalty": "Waive a penalty", "issue_demand": "Issue a demand",
    "raise_dispute": "Raise a dispute", "resolve_dispute": "Resolve the dispute",
    "place_hold": "Place a hold", "lift_hold": "Lift the hold",
    "agree_payment_plan": "Agree a payment plan", "agree_settlement": "Agree a settlement",
    "refer_to_mediation": "Refer to mediation", "conclude_mediation": "Conclude mediation",
    "refer_to_counsel": "Refer to counsel", "assign_agency": "Assign a collection agency",
    "file_bankruptcy_claim": "File a proof of claim",
    "acknowledge_debt": "Record an acknowledgment of the debt",
    "withdraw_service": "Withdraw a service", "record_delivery": "Record invoice delivery",
    "write_off": "Write off",
}
OPEN_FIRST = ("log_call", "record_payment", "promise_payment")
SECTIONS = (
    ("Most used", OPEN_FIRST),
    ("Contact", ("send_reminder", "add_note", "record_delivery")),
    ("Penalties", ("apply_penalty", "waive_penalty")),
    ("Agreements", ("agree_payment_plan", "agree_settlement", "acknowledge_debt")),
    ("Holds and disputes", ("raise_dispute", "resolve_dispute", "place_hold", "lift_hold")),
    ("Escalation", ("issue_demand", "refer_to_mediation", "conclude_mediation",
                    "refer_to_counsel", "assign_agency", "withdraw_service",
                    "file_bankruptcy_claim")),
    ("Closing", ("write_off",)),
)
LABELS = {
    "person": "Spoke with", "promised_on": "Promised date", "text": "Note",
    "kind": "Penalty kind", "rate": "Rate (% a year)", "basis": "Basis of calculation",
    "proof": "Proof of delivery", "until": "Until", "pay_by": "Pay by",
    "insolvency_case_number": "Insolvency case number", "message_reference": "Message reference",
    "letter_reference": "Letter reference", "override_reason": "Override reason",
    "occurred_on": "Occurred on", "user": "User", "mediation": "The open mediation",
    "mediation_outcome": "Mediation outcome", "debtor_name": "Name",
    "debtor_kind": "Kind", "debtor_email": "Email", "debtor_phone": "Phone",
    "debtor_address": "Address", "interest_rate": "Interest rate (% a year)",
    "payment_methods": "Payment methods", "contract_reference": "Contract reference",
    "invoice_number": "Invoice number", "issue_date": "Issue date", "due_date": "Due date",
}
HINTS = {
    "occurred_on": "When it happened (business time).",
    "user": "The user (role counsel) of the counsel or mediator, who may then read this "
            "case; blank: none.",
    "recipient": "Blank: the debtor's contact for the channel.",
    "override_reason": "Required when no demand has been issued, or during a mediation.",
    "mediation": "During a mediation: conclude it now, or keep it open.",
    "mediation_outcome": "When the referral concludes the mediation.",
    "until": "Blank: until lifted.",
    "rate": "For interest.",
    "period_start": "Interest period, if any.",
}
OPTIONAL_AMOUNT = "Blank: the whole outstanding amount."
INSTALMENT_ROWS = 6
PROVENANCE = ("occurred_on",)  # who records it is the signed-in user


@dataclass(frozen=True)
class Field:
    """One input: its name (as the schema spells it), label and kind of control."""

    name: str
    label: str
    kind: str  # text | textarea | date | amount | select | checkboxes | instalments
    required: bool = False
    choices: tuple[str, ...] = ()
    maxlength: int | None = None
    hint: str = ""


@dataclass(frozen=True)
class Form:
    command: str
    title: str
    fields: tuple[Field, ...]

    @property
    def names(self) -> set[str]:
        names = {f.name for f in self.fields}
        if "instalments" in names:
            names |= {f"instalments[{n}].{part}" for n in range(1, INSTALMENT_ROWS + 1)
                      for part in ("due_on", "amount")}
        return names


def describe(name: str, field: fields.Field, command: str = "") -> Field:
    """A form field from a schema field: choices from OneOf, length from Length."""
    inner = field.inner if isinstance(field, fields.List) else field
    choices = next((tuple(v.choices) for v in inner.validators
                    if isinstance(v, validate.OneOf)), ())
    length = next((v.max for v in field.validators if isinstance(v, validate.Length)), None)
    if isinstance(field, fields.List):
        kind = "instalments" if isinstance(inner, fields.Nested) else "checkboxes"
    elif choices:
        kind = "select"
    elif isinstance(field, fields.Date):
        kind = "date"
    elif isinstance(field, Amount | Rate):
        kind = "amount"
    else:
        kind = "textarea" if length and length > 500 else "text"
    hint = HINTS.get(name, "")
    if name == "amount" and not field.required and command != "acknowledge_debt":
        hint = OPTIONAL_AMOUNT
    return Field(name, LABELS.get(name, name.replace("_", " ").capitalize()), kind,
                 field.required, choices, length, hint)


def form_for(command: str, schema: type[Schema]) -> Form:
    declared = schema().fields
    order = [n for n in declared if n not in PROVENANCE] + list(PROVENANCE)
    return Form(command, TITLES.get(command, command.replace("_", " ").capitalize()),
                tuple(describe(n, declared[n], command) for n in order))


COMMAND_FORMS = {name: form_for(name, schema) for name, schema in COMMAND_SCHEMAS.items()}


def sections(commands: list[str]) -> list[tuple[str, list[Form]]]:
    """The forms of these commands under their headings; any not placed come last."""
    placed = {c for _, names in SECTIONS for c in names}
    found = [(title, [COMMAND_FORMS[c] for c in names if c in commands])
             for title, names in SECTIONS]
    found.append(("Other", [COMMAND_FORMS[c] for c in commands if c not in placed]))
    return [(title, forms) for title, forms in found if forms]


def payload(form: Form, posted: MultiDict[str, str]) -> dict[str, Any]:
    """The posted form as a schema payload: blanks left out (amounts are read by the parser)."""
    data: dict[str, Any] = {}
    for field in form.fields:
        if field.kind == "checkboxes":
            data[field.name] = posted.getlist(field.name)
        elif field.kind == "instalments":
            data[field.name] = instalments(posted)
        else:
            value = posted.get(field.name, "")
            if value.strip():
                data[field.name] = value
    return data


def instalments(posted: MultiDict[str, str]) -> list[dict[str, str]]:
    """Instalment rows up to the last one filled in (blank rows between stay, to be refused)."""
    rows = []
    for n in range(1, INSTALMENT_ROWS + 1):
        row = {part: posted.get(f"instalments[{n}].{part}", "").strip()
               for part in ("due_on", "amount")}
        rows.append({k: v for k, v in row.items() if v})
    while rows and not rows[-1]:
        rows.pop()
    return rows


def place_errors(form: Form, errors: dict[str, list[str]]) -> tuple[dict[str, list[str]],
                                                                     list[str]]:
    """Errors by field name as the form spells it, and those that belong to no field."""
    beside: dict[str, list[str]] = {}
    general: list[str] = []
    for key, messages in errors.items():
        name = key.replace("debtor.", "debtor_").removeprefix("terms.")
        if name in form.names:
            beside.setdefault(name, []).extend(messages)
        else:
            prefix = "" if key in ("_schema", "case", "command") else f"{key}: "
            general.extend(prefix + m for m in messages)
    return beside, general
