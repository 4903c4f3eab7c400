"""One marshmallow schema per command. Forms and the JSON API validate with the same schemas.

Amounts are loaded as Decimal; `to_fields` turns them into Money in the case's currency.
"""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, fields, validate

from domain.values import (
    CallDirection,
    CallOutcome,
    Channel,
    DebtorKind,
    DeliveryMethod,
    DisputeOutcome,
    MediationOutcome,
    PaymentMethod,
    PenaltyKind,
    WriteOffReason,
)


def _one_of(kind: type) -> validate.OneOf:
    return validate.OneOf([m.value for m in kind])


def _text(required: bool = False, length: int = 500) -> fields.String:
    return fields.String(required=required, load_default="",
                         validate=validate.Length(max=length)) if not required else \
        fields.String(required=True, validate=validate.Length(min=1, max=length))


def _amount(required: bool = True) -> fields.Decimal:
    kw = {"required": True} if required else {"load_default": None, "allow_none": True}
    return fields.Decimal(places=None, validate=validate.Range(min=0, min_inclusive=False),
                          **kw)


def _choice(kind: type, required: bool = True) -> fields.String:
    return fields.String(required=required, validate=_one_of(kind))


def _date(required: bool = True) -> fields.Date:
    kw = {"required": True} if required else {"load_default": None, "allow_none": True}
    return fields.Date(**kw)


class CommandSchema(Schema):
    """Common to every command: who records it and when it happened (default today)."""

    class Meta:
        unknown = EXCLUDE

    actor = fields.String(load_default=None, validate=validate.Length(max=100))
    occurred_on = _date(required=False)


class OpenCase(CommandSchema):
    creditor = _text()
    invoice_number = _text(required=True, length=100)
    debtor_name = _text(required=True, length=200)
    debtor_kind = fields.String(load_default="business", validate=_one_of(DebtorKind))
    debtor_email = fields.String(load_default="", validate=validate.Length(max=200))
    debtor_phone = _text(length=50)
    debtor_address = _text()
    amount = _amount()
    currency = fields.String(required=True, validate=validate.Regexp(r"^[A-Za-z]{3}$",
                             error="must be a three-letter ISO 4217 code"))
    issue_date = _date()
    due_date = _date()
    interest_rate = fields.Decimal(load_default=None, allow_none=True,
                                   validate=validate.Range(min=0, max=100))
    late_fee = _amount(required=False)
    payment_methods = fields.List(_choice(PaymentMethod), load_default=list)
    contract_reference = _text(length=100)


class RecordDelivery(CommandSchema):
    method = _choice(DeliveryMethod)
    proof = _text()


class SendReminder(CommandSchema):
    channel = _choice(Channel)
    recipient = _text(length=200)
    message_reference = _text(length=100)


class LogCall(CommandSchema):
    direction = _choice(CallDirection)
    person = _text(length=200)
    outcome = _choice(CallOutcome)
    notes = _text(length=2000)


class PromisePayment(CommandSchema):
    amount = _amount()
    promised_on = _date()


class RecordPayment(CommandSchema):
    amount = _amount()
    method = _choice(PaymentMethod)
    reference = _text(length=100)


class ApplyPenalty(CommandSchema):
    kind = _choice(PenaltyKind)
    amount = _amount()
    rate = fields.Decimal(load_default=None, allow_none=True)
    period_start = _date(required=False)
    period_end = _date(required=False)
    basis = _text()


class WaivePenalty(CommandSchema):
    kind = _choice(PenaltyKind)
    amount = _amount()
    reason = _text(required=True)


class RaiseDispute(CommandSchema):
    reason = _text(required=True, length=2000)


class ResolveDispute(CommandSchema):
    outcome = _choice(DisputeOutcome)
    notes = _text(length=2000)


class PlaceHold(CommandSchema):
    reason = _text(required=True)
    until = _date(required=False)


class LiftHold(CommandSchema):
    reason = _text()


class AcknowledgeDebt(CommandSchema):
    document = _text(required=True)
    amount = _amount(required=False)


class WithdrawService(CommandSchema):
    service = _text(required=True)


class IssueDemand(CommandSchema):
    deadline = _date()
    consequences = _text(required=True, length=2000)
    letter_reference = _text(length=100)
    amount = _amount(required=False)


class InstalmentSchema(Schema):
    due_on = _date()
    amount = _amount()


class AgreePaymentPlan(CommandSchema):
    instalments = fields.List(fields.Nested(InstalmentSchema), required=True,
                              validate=validate.Length(min=1))


class AgreeSettlement(CommandSchema):
    amount = _amount()
    pay_by = _date()


class ReferToMediation(CommandSchema):
    mediator = _text(required=True, length=200)
    reference = _text(length=100)
    override_reason = _text()


class ConcludeMediation(CommandSchema):
    outcome = _choice(MediationOutcome)
    notes = _text(length=2000)


class ReferToCounsel(CommandSchema):
    counsel = _text(required=True, length=200)
    reference = _text(length=100)
    override_reason = _text()


class AssignAgency(CommandSchema):
    agency = _text(required=True, length=200)
    reference = _text(length=100)


class FileBankruptcyClaim(CommandSchema):
    court = _text(required=True, length=200)
    insolvency_case_number = _text(required=True, length=100)
    amount = _amount(required=False)


class WriteOff(CommandSchema):
    reason = _choice(WriteOffReason)
    amount = _amount(required=False)
    notes = _text(length=2000)


class AddNote(CommandSchema):
    text = _text(required=True, length=5000)


# The command name on CaseService → its schema. The order is the order forms are shown in.
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
}
