"""One marshmallow schema per command. Forms and the JSON API validate with the same schemas.

Every field reads its value through the one parser (`web.schemas.values` →
`application.parsing`); the loaded data are the fields of the command in
`application.commands` (the case's currency is applied by the case itself). Unknown fields
are refused, so a misspelt field is an error, not silently dropped.
"""

from __future__ import annotations

from typing import Any

from marshmallow import (
    RAISE,
    Schema,
    ValidationError,
    fields,
    post_load,
    validate,
    validates_schema,
)

from application.commands import PlannedInstalment
from domain.attachments import DocumentKind
from domain.errors import Checks
from domain.law import Jurisdiction
from domain.money import check_amount
from domain.rules import check_invoice_dates
from domain.values import (
    CallDirection,
    CallOutcome,
    Channel,
    DebtorKind,
    DeliveryMethod,
    DisputeOutcome,
    MediationOnReferral,
    MediationOutcome,
    PaymentMethod,
    PenaltyKind,
    WriteOffReason,
)
from web.schemas.values import (
    Amount,
    Currency,
    Day,
    Email,
    Percent,
    Rate,
    TaxId,
    Text,
    UploadedFile,
    Word,
    today,
)


def _amount(required: bool = True) -> Amount:
    kw = {"required": True} if required else {"load_default": None, "allow_none": True}
    return Amount(**kw)


def _date(required: bool = True) -> Day:
    kw = {"required": True} if required else {"load_default": None, "allow_none": True}
    return Day(**kw)


class CommandSchema(Schema):
    """Common to every command: when it happened (default today). Who records it is the
    signed-in user, never a field (ADR 17): a body naming an actor is refused."""

    class Meta:
        unknown = RAISE

    occurred_on = _date(required=False)


def _user() -> Text:
    return Text("user", metadata={"description": "the user (role counsel) of the counsel or "
                                                 "mediator, who may then read the case"})


class OpenCase(CommandSchema):
    creditor = Text("creditor")
    invoice_number = Text("invoice_number", required=True)
    debtor_name = Text("debtor.name", required=True)
    debtor_kind = Word(DebtorKind, load_default=DebtorKind.BUSINESS)
    debtor_email = Email("debtor.email")
    debtor_phone = Text("debtor.phone")
    debtor_address = Text("debtor.address")
    debtor_tax_id = TaxId("debtor.tax_id", metadata={
        "description": "the debtor's tax or VAT number: recognises them across cases"})
    amount = _amount()
    currency = Currency(required=True, metadata={"description": "ISO 4217 code, e.g. EUR"})
    issue_date = _date()
    due_date = _date()
    interest_rate = Rate(load_default=None, allow_none=True)
    late_fee = _amount(required=False)
    payment_methods = fields.List(Word(PaymentMethod), load_default=list,
                                  validate=validate.Length(max=len(PaymentMethod)))
    contract_reference = Text("contract_reference")
    jurisdiction = Word(Jurisdiction, load_default=None, allow_none=True, metadata={
        "description": "whose law governs the debt; default the installation's "
                       "(ARREARS_JURISDICTION, else england-wales)"})

    @validates_schema(skip_on_field_errors=False)
    def _relations(self, data: dict[str, Any], **kwargs: Any) -> None:
        """The checks across fields, by the domain's own rules, beside the field errors."""
        checks = Checks()
        if "issue_date" in data and "due_date" in data:
            checks.run(check_invoice_dates, data["issue_date"], data["due_date"], today())
        for name in ("amount", "late_fee"):
            if "currency" in data and data.get(name) is not None:
                checks.run(check_amount, data[name], data["currency"], name)
        if checks.errors:
            raise ValidationError(checks.errors)


class RecordDelivery(CommandSchema):
    method = Word(DeliveryMethod, required=True)
    proof = Text("proof")


class SendReminder(CommandSchema):
    channel = Word(Channel, required=True)
    recipient = Text("recipient")
    message_reference = Text("message_reference")


class LogCall(CommandSchema):
    direction = Word(CallDirection, required=True)
    person = Text("person")
    outcome = Word(CallOutcome, required=True)
    notes = Text("notes")


class PromisePayment(CommandSchema):
    amount = _amount()
    promised_on = _date()


class RecordPayment(CommandSchema):
    amount = _amount()
    method = Word(PaymentMethod, required=True)
    reference = Text("reference")


class ApplyPenalty(CommandSchema):
    kind = Word(PenaltyKind, required=True)
    amount = _amount()
    rate = Rate(load_default=None, allow_none=True)
    period_start = _date(required=False)
    period_end = _date(required=False)
    basis = Text("basis")


class WaivePenalty(CommandSchema):
    kind = Word(PenaltyKind, required=True)
    amount = _amount()
    reason = Text("reason", required=True)


class RaiseDispute(CommandSchema):
    reason = Text("reason", required=True)


class ResolveDispute(CommandSchema):
    outcome = Word(DisputeOutcome, required=True)
    notes = Text("notes")


class PlaceHold(CommandSchema):
    reason = Text("reason", required=True)
    until = _date(required=False)


class LiftHold(CommandSchema):
    reason = Text("reason")


class AcknowledgeDebt(CommandSchema):
    document = Text("document", required=True)
    amount = _amount(required=False)


class WithdrawService(CommandSchema):
    service = Text("service", required=True)


class IssueDemand(CommandSchema):
    deadline = _date()
    consequences = Text("consequences", required=True)
    letter_reference = Text("letter_reference")
    amount = _amount(required=False)


class InstalmentSchema(Schema):
    class Meta:
        unknown = RAISE

    due_on = _date()
    amount = _amount()

    @post_load
    def _instalment(self, data: dict[str, Any], **kwargs: Any) -> PlannedInstalment:
        return PlannedInstalment(data["due_on"], data["amount"])


class AgreePaymentPlan(CommandSchema):
    instalments = fields.List(
        fields.Nested(InstalmentSchema), required=True,
        validate=[validate.Length(min=1, error="a plan needs at least one instalment"),
                  validate.Length(max=120)])

    @post_load
    def _as_tuple(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        return {**data, "instalments": tuple(data["instalments"])}


class AgreeSettlement(CommandSchema):
    amount = _amount()
    pay_by = _date()


class ReferToMediation(CommandSchema):
    mediator = Text("mediator", required=True)
    reference = Text("reference")
    override_reason = Text("override_reason")
    user = _user()


class ConcludeMediation(CommandSchema):
    outcome = Word(MediationOutcome, required=True)
    notes = Text("notes")


def _mediation_choice() -> Word:
    return Word(MediationOnReferral, load_default=None, allow_none=True)


def _mediation_outcome() -> Word:
    return Word(MediationOutcome, load_default=None, allow_none=True)


class ReferToCounsel(CommandSchema):
    counsel = Text("counsel", required=True)
    reference = Text("reference")
    override_reason = Text("override_reason")
    mediation = _mediation_choice()
    mediation_outcome = _mediation_outcome()
    user = _user()


class AssignAgency(CommandSchema):
    agency = Text("agency", required=True)
    reference = Text("reference")
    override_reason = Text("override_reason")
    mediation = _mediation_choice()
    mediation_outcome = _mediation_outcome()


class FileBankruptcyClaim(CommandSchema):
    court = Text("court", required=True)
    insolvency_case_number = Text("insolvency_case_number", required=True)
    amount = _amount(required=False)


class ServeStatutoryDemand(CommandSchema):
    """For all that is outstanding; refused on a disputed debt or below the thresholds."""


class OfferSettlement(CommandSchema):
    amount = _amount()
    expires_on = _date()


class OfferDiscount(CommandSchema):
    percent = Percent(load_default=None, allow_none=True)
    amount = _amount(required=False)
    expires_on = _date()

    @validates_schema
    def _one_of(self, data: dict[str, Any], **kwargs: Any) -> None:
        if (data.get("percent") is None) == (data.get("amount") is None):
            raise ValidationError({"percent": ["give either a percentage or an amount off"]})


class AcceptOffer(CommandSchema):
    pass


class WithdrawOffer(CommandSchema):
    reason = Text("reason")


class WriteOff(CommandSchema):
    reason = Word(WriteOffReason, required=True)
    amount = _amount(required=False)
    notes = Text("notes")


class AddNote(CommandSchema):
    text = Text("text", required=True)


# The command's name (as in application.commands.CASE_COMMANDS) → its schema. The order is
# the order forms are shown in.
COMMAND_SCHEMAS: dict[str, type[CommandSchema]] = {
    "log_call": LogCall,
    "record_payment": RecordPayment,
    "promise_payment": PromisePayment,
    "send_reminder": SendReminder,
    "add_note": AddNote,
    "apply_penalty": ApplyPenalty,
    "waive_penalty": WaivePenalty,
    "issue_demand": IssueDemand,
    "raise_dispute": RaiseDispute,
    "resolve_dispute": ResolveDispute,
    "place_hold": PlaceHold,
    "lift_hold": LiftHold,
    "agree_payment_plan": AgreePaymentPlan,
    "agree_settlement": AgreeSettlement,
    "refer_to_mediation": ReferToMediation,
    "conclude_mediation": ConcludeMediation,
    "refer_to_counsel": ReferToCounsel,
    "assign_agency": AssignAgency,
    "file_bankruptcy_claim": FileBankruptcyClaim,
    "acknowledge_debt": AcknowledgeDebt,
    "withdraw_service": WithdrawService,
    "record_delivery": RecordDelivery,
    "write_off": WriteOff,
    "serve_statutory_demand": ServeStatutoryDemand,
    "offer_settlement": OfferSettlement,
    "offer_discount": OfferDiscount,
    "accept_offer": AcceptOffer,
    "withdraw_offer": WithdrawOffer,
}


class ClaimInterest(CommandSchema):
    until = _date(required=False)


class WaiveInterest(CommandSchema):
    reason = Text("reason", required=True)
    until = _date(required=False)


COMMAND_SCHEMAS |= {"claim_interest": ClaimInterest, "waive_interest": WaiveInterest}


class AttachDocument(CommandSchema):
    """A document attached as evidence: multipart/form-data, not JSON (see web/uploading.py)."""

    file = UploadedFile(required=True)
    kind = Word(DocumentKind, load_default=DocumentKind.OTHER)
    description = Text("description")


# Commands whose body is a form with a file (multipart/form-data), by name. Not in
# COMMAND_SCHEMAS: the JSON command route does not take them.
UPLOAD_SCHEMAS: dict[str, type[CommandSchema]] = {"attach_document": AttachDocument}
