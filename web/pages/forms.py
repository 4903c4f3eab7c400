"""Command forms described from the marshmallow schemas: labels, inputs, payloads, errors."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from typing import Any

from markupsafe import Markup, escape
from marshmallow import Schema, fields, validate
from werkzeug.datastructures import MultiDict

from application.attachments.policy import AttachmentPolicy
from application.attachments.types import EXTENSIONS
from application.idempotency import KEY_FIELD
from web.schemas.commands import COMMAND_SCHEMAS, UPLOAD_SCHEMAS
from web.schemas.values import Amount, Percent, Rate, UploadedFile

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
    "write_off": "Write off", "attach_document": "Attach a document",
    "claim_interest": "Claim interest", "waive_interest": "Waive unclaimed interest",
    "serve_statutory_demand": "Serve a statutory demand",
    "offer_settlement": "Offer a settlement", "offer_discount": "Offer a prompt-payment discount",
    "accept_offer": "Accept the offer", "withdraw_offer": "Withdraw the offer",
}
OPEN_FIRST = ("log_call", "record_payment", "promise_payment")
SECTIONS = (
    ("Most used", OPEN_FIRST),
    ("Contact", ("send_reminder", "add_note", "record_delivery")),
    ("Evidence", ("attach_document",)),
    ("Penalties", ("claim_interest", "waive_interest", "apply_penalty", "waive_penalty")),
    ("Agreements", ("agree_payment_plan", "agree_settlement", "acknowledge_debt",
                    "offer_settlement", "offer_discount", "accept_offer", "withdraw_offer")),
    ("Holds and disputes", ("raise_dispute", "resolve_dispute", "place_hold", "lift_hold")),
    ("Escalation", ("issue_demand", "refer_to_mediation", "conclude_mediation",
                    "refer_to_counsel", "assign_agency", "withdraw_service",
                    "file_bankruptcy_claim", "serve_statutory_demand")),
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
    "debtor_tax_id": "Tax or VAT number",
    "payment_methods": "Payment methods", "contract_reference": "Contract reference",
    "invoice_number": "Invoice number", "issue_date": "Issue date", "due_date": "Due date",
    "sha256": "SHA-256", "covers_version": "Covers events 1 to", "interface": "Through",
    "file": "File",
    "letter_sha256": "Letter SHA-256",
    "expires_on": "Expires on", "percent": "Percent off",
}
# Labels a command's form spells its own way (the same field name means another thing).
COMMAND_LABELS = {("attach_document", "kind"): "Kind of document",
                  ("attach_document", "occurred_on"): "Received or made on"}
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
    "expires_on": "The last day it may be taken up.",
}
COMMAND_HINTS = {
    ("claim_interest", "until"): "Last day of interest claimed; blank: the day of the claim.",
    ("waive_interest", "until"): "Last day of interest waived; blank: the day the principal "
                                 "was paid in full.",
}
OPTIONAL_AMOUNT = "Blank: the whole outstanding amount."
COMMAND_HINTS = {("offer_discount", "amount"): "The sum off; or give a percentage instead.",
                 ("offer_discount", "percent"): "Of the outstanding balance; or give an "
                                                "amount off instead.",
                 ("offer_settlement", "amount"): "Less than is outstanding; paid by the expiry "
                                                 "date, it settles the case."}
INSTALMENT_ROWS = 6
# Every rendered form carries a fresh one-time token in this hidden field: posted twice (a
# double click, a resent page), it records its command once.
TOKEN_FIELD = KEY_FIELD  # the name the service's errors about the token use


def new_token() -> str:
    """A one-time token for a form being rendered (32 URL-safe characters)."""
    return secrets.token_urlsafe(24)


def posted_token(posted: MultiDict[str, str]) -> str | None:
    """The posted form's one-time token; None for a form without one."""
    return posted.get(TOKEN_FIELD) or None


def one_time_token() -> Markup:
    """The hidden field of a fresh one-time token, for a form being rendered: posted twice,
    the form records its command once. (A template global: the case page has ~25 forms.)"""
    return Markup(f'<input type="hidden" name="{TOKEN_FIELD}" value="{escape(new_token())}">')


TOKEN_REFUSED = ("This form was already sent with other values, or its one-time token is not "
                 "valid; nothing was stored. The form below is ready to send again.")
PROVENANCE = ("occurred_on",)  # who records it is the signed-in user


@dataclass(frozen=True)
class Field:
    """One input: its name (as the schema spells it), label and kind of control."""

    name: str
    label: str
    kind: str  # text | textarea | date | amount | select | checkboxes | instalments | file
    required: bool = False
    choices: tuple[str, ...] = ()
    maxlength: int | None = None
    hint: str = ""
    accept: str = ""  # a file input's media types


@dataclass(frozen=True)
class Form:
    command: str
    title: str
    fields: tuple[Field, ...]
    multipart: bool = False  # posted as multipart/form-data (it has a file)

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
    if isinstance(field, UploadedFile):
        kind = "file"
    elif isinstance(field, fields.List):
        kind = "instalments" if isinstance(inner, fields.Nested) else "checkboxes"
    elif choices:
        kind = "select"
    elif isinstance(field, fields.Date):
        kind = "date"
    elif isinstance(field, Amount | Rate | Percent):
        kind = "amount"
    else:
        kind = "textarea" if length and length > 500 else "text"
    hint = COMMAND_HINTS.get((command, name)) or HINTS.get(name, "")
    if name == "amount" and not field.required and command != "acknowledge_debt":
        hint = OPTIONAL_AMOUNT
    hint = COMMAND_HINTS.get((command, name), hint)
    label = COMMAND_LABELS.get((command, name)) or LABELS.get(
        name, name.replace("_", " ").capitalize())
    return Field(name, label, kind, field.required, choices, length, hint)


def form_for(command: str, schema: type[Schema]) -> Form:
    declared = schema().fields
    order = [n for n in declared if n not in PROVENANCE] + list(PROVENANCE)
    described = tuple(describe(n, declared[n], command) for n in order)
    return Form(command, TITLES.get(command, command.replace("_", " ").capitalize()),
                described, multipart=any(f.kind == "file" for f in described))


COMMAND_FORMS = {name: form_for(name, schema) for name, schema in COMMAND_SCHEMAS.items()}
_UPLOAD_FORMS = {name: form_for(name, schema) for name, schema in UPLOAD_SCHEMAS.items()}


def upload_form(policy: AttachmentPolicy, command: str = "attach_document") -> Form:
    """The upload form, its file input telling the allowed types and the size limit."""
    form = _UPLOAD_FORMS[command]
    hint = f"{policy.allowed_text}; at most {policy.limit_text}. The type is read from the file."
    accept = ",".join([*policy.allowed, *(e for t in policy.allowed for e in EXTENSIONS[t])])
    return replace(form, fields=tuple(
        replace(f, hint=hint, accept=accept) if f.kind == "file" else f for f in form.fields))


def sections(commands: list[str], extra: dict[str, Form] | None = None,
             ) -> list[tuple[str, list[Form]]]:
    """The forms of these commands under their headings; any not placed come last.

    `extra`: forms besides COMMAND_FORMS (the upload form, built for the app's policy).
    """
    forms = {**COMMAND_FORMS, **(extra or {})}
    placed = {c for _, names in SECTIONS for c in names}
    found = [(title, [forms[c] for c in names if c in commands and c in forms])
             for title, names in SECTIONS]
    found.append(("Other", [forms[c] for c in commands if c not in placed]))
    return [(title, listed) for title, listed in found if listed]


def payload(form: Form, posted: MultiDict[str, str]) -> dict[str, Any]:
    """The posted form as a schema payload: blanks left out (amounts are read by the parser)."""
    data: dict[str, Any] = {}
    for field in form.fields:
        if field.kind == "file":
            continue  # in the request's files, not its form
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
        if key == TOKEN_FIELD:
            general.append(TOKEN_REFUSED)
        elif name in form.names:
            beside.setdefault(name, []).extend(messages)
        else:
            prefix = "" if key in ("_schema", "case", "command") else f"{key}: "
            general.extend(prefix + m for m in messages)
    return beside, general
