"""How the domain's value types are stored: explicit, stable JSON shapes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from eventsourcing.persistence import JSONTranscoder, Transcoding

from domain.law import Allocation, Bucket, PrincipalPayment
from domain.money import Money
from domain.offers import Offer
from domain.tasks import Task
from domain.values import Debtor, Instalment, PaymentTerms, PromiseShare


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class MoneyAsDict(Transcoding):
    type = Money
    name = "money"

    def encode(self, obj: Money) -> dict[str, str]:
        return {"amount": str(obj.amount), "currency": obj.currency}

    def decode(self, data: dict[str, str]) -> Money:
        return Money(Decimal(data["amount"]), data["currency"])


class DebtorAsDict(Transcoding):
    type = Debtor
    name = "debtor"

    def encode(self, obj: Debtor) -> dict[str, str]:
        return {"name": obj.name, "kind": obj.kind, "email": obj.email, "phone": obj.phone,
                "address": obj.address, "tax_id": obj.tax_id}

    def decode(self, data: dict[str, str]) -> Debtor:
        return Debtor(**data)


class PaymentTermsAsDict(Transcoding):
    type = PaymentTerms
    name = "payment_terms"

    def encode(self, obj: PaymentTerms) -> dict[str, Any]:
        return {"interest_rate": obj.interest_rate, "late_fee": obj.late_fee,
                "payment_methods": list(obj.payment_methods)}

    def decode(self, data: dict[str, Any]) -> PaymentTerms:
        return PaymentTerms(data["interest_rate"], data["late_fee"],
                            tuple(data["payment_methods"]))


class InstalmentAsDict(Transcoding):
    type = Instalment
    name = "instalment"

    def encode(self, obj: Instalment) -> dict[str, Any]:
        return {"due_on": obj.due_on, "amount": obj.amount}

    def decode(self, data: dict[str, Any]) -> Instalment:
        return Instalment(data["due_on"], data["amount"])


class PromiseShareAsDict(Transcoding):
    type = PromiseShare
    name = "promise_share"

    def encode(self, obj: PromiseShare) -> dict[str, Any]:
        return {"promised_on": obj.promised_on, "amount": obj.amount, "standing": obj.standing}

    def decode(self, data: dict[str, Any]) -> PromiseShare:
        return PromiseShare(data["promised_on"], data["amount"], data["standing"])


class TaskAsDict(Transcoding):
    type = Task
    name = "task"

    def encode(self, obj: Task) -> dict[str, Any]:
        return {"step": obj.step, "what": obj.what, "due_on": obj.due_on,
                "actions": list(obj.actions), "created_on": obj.created_on,
                "prefill": dict(obj.prefill), "done_on": obj.done_on, "done_by": obj.done_by}

    def decode(self, data: dict[str, Any]) -> Task:
        return Task(data["step"], data["what"], data["due_on"], tuple(data["actions"]),
                    data["created_on"], dict(data["prefill"]), data["done_on"], data["done_by"])


class AllocationAsDict(Transcoding):
    type = Allocation
    name = "allocation"

    def encode(self, obj: Allocation) -> dict[str, Any]:
        return {"order": [bucket.value for bucket in obj.order], "costs": obj.costs,
                "interest": obj.interest, "principal": obj.principal,
                "unallocated": obj.unallocated}

    def decode(self, data: dict[str, Any]) -> Allocation:
        return Allocation(tuple(Bucket(word) for word in data["order"]), data["costs"],
                          data["interest"], data["principal"], data["unallocated"])


class PrincipalPaymentAsDict(Transcoding):
    type = PrincipalPayment
    name = "principal_payment"

    def encode(self, obj: PrincipalPayment) -> dict[str, Any]:
        return {"on": obj.on, "amount": obj.amount}

    def decode(self, data: dict[str, Any]) -> PrincipalPayment:
        return PrincipalPayment(data["on"], data["amount"])
class OfferAsDict(Transcoding):
    type = Offer
    name = "offer"

    def encode(self, obj: Offer) -> dict[str, Any]:
        return {"kind": obj.kind, "amount": obj.amount, "expires_on": obj.expires_on,
                "discount": obj.discount, "percent": obj.percent}

    def decode(self, data: dict[str, Any]) -> Offer:
        return Offer(data["kind"], data["amount"], data["expires_on"], data["discount"],
                     data["percent"])


def register_all(transcoder: JSONTranscoder) -> None:
    for transcoding in (DateAsISO(), MoneyAsDict(), DebtorAsDict(), PaymentTermsAsDict(),
                        InstalmentAsDict(), PromiseShareAsDict(), TaskAsDict(),
                        AllocationAsDict(), PrincipalPaymentAsDict(), OfferAsDict()):
        transcoder.register(transcoding)
