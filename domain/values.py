"""Value types and vocabularies of a case (see the glossary for each word)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import TypeVar

from email_validator import EmailNotValidError, validate_email

from domain.errors import Checks, InvalidValue
from domain.limits import check_characters, check_date_range
from domain.money import Money, check_amount


class DebtorKind(StrEnum):
    BUSINESS = "business"
    INDIVIDUAL = "individual"


class Channel(StrEnum):
    EMAIL = "email"
    SMS = "sms"
    LETTER = "letter"
    PHONE = "phone"


class ReminderTiming(StrEnum):
    BEFORE_DUE = "before_due"
    ON_DUE = "on_due"
    AFTER_DUE = "after_due"


class CallDirection(StrEnum):
    INBOUND = "inbound"
    OUTBOUND = "outbound"


class CallOutcome(StrEnum):
    NO_ANSWER = "no_answer"
    PROMISED_TO_PAY = "promised_to_pay"
    DISPUTED = "disputed"
    REFUSED = "refused"
    WRONG_NUMBER = "wrong_number"
    OTHER = "other"


class PaymentMethod(StrEnum):
    BANK_TRANSFER = "bank_transfer"
    CARD = "card"
    CHEQUE = "cheque"
    CASH = "cash"
    OTHER = "other"


class PenaltyKind(StrEnum):
    STATUTORY_INTEREST = "statutory_interest"
    CONTRACTUAL_INTEREST = "contractual_interest"
    COMPENSATION = "compensation"
    LATE_FEE = "late_fee"


class DeliveryMethod(StrEnum):
    EMAIL = "email"
    POST = "post"
    PORTAL = "portal"
    HAND = "hand"
    E_INVOICE = "e_invoice"


class WriteOffReason(StrEnum):
    UNCOLLECTABLE = "uncollectable"
    DEBTOR_VANISHED = "debtor_vanished"
    INSOLVENCY = "insolvency"
    SETTLED_BELOW_VALUE = "settled_below_value"
    CREDIT_NOTE = "credit_note"  # the creditor credited (part of) the invoice


class DisputeOutcome(StrEnum):
    FOR_CREDITOR = "for_creditor"
    FOR_DEBTOR = "for_debtor"
    COMPROMISE = "compromise"
    WITHDRAWN = "withdrawn"


class MediationOutcome(StrEnum):
    AGREED = "agreed"
    FAILED = "failed"
    WITHDRAWN = "withdrawn"


class MediationOnReferral(StrEnum):
    """What a referral to counsel or an agency, made during mediation, does to the mediation."""

    CONCLUDE = "conclude"  # the mediation ends, with its outcome, before the referral
    KEEP_OPEN = "keep_open"  # the mediation goes on; its outcome is recorded later


class PromiseStanding(StrEnum):
    """Where a promise to pay stands after a payment."""

    KEPT = "kept"  # paid in full by its date
    OPEN = "open"  # its date has not passed and it is not yet paid in full
    BROKEN = "broken"  # the payment came after its date


class Stage(StrEnum):
    OPEN = "open"
    OVERDUE = "overdue"
    REMINDED = "reminded"
    DEMANDED = "demanded"
    IN_MEDIATION = "in_mediation"
    WITH_COUNSEL = "with_counsel"
    WITH_AGENCY = "with_agency"
    IN_INSOLVENCY = "in_insolvency"
    PAID = "paid"
    SETTLED = "settled"
    WRITTEN_OFF = "written_off"


CLOSED_STAGES = frozenset({Stage.PAID, Stage.SETTLED, Stage.WRITTEN_OFF})


E = TypeVar("E", bound=StrEnum)


def choice(kind: type[E], value: str, field_name: str) -> E:
    """Parse a vocabulary word, refusing anything else with the list of allowed words."""
    try:
        return kind(str(value).strip().lower())
    except ValueError:
        allowed = ", ".join(member.value for member in kind)
        raise InvalidValue(f"'{value}' is not one of: {allowed}", field_name) from None


def required(value: str | None, field_name: str) -> str:
    """A non-blank text within its limit, stripped."""
    text = optional_text(value, field_name)
    if not text:
        raise InvalidValue("must not be blank", field_name)
    return text


def optional_text(value: str | None, field_name: str) -> str:
    """A text that may be blank, within its field's limit (`domain.limits`), stripped."""
    return check_characters(str(value or ""), field_name).strip()


def check_tax_id(value: str | None, field_name: str) -> str:
    """Blank, or a tax or VAT number: letters and digits, with spaces, dots, dashes or
    slashes between them (DE 123 456 789, GB123456789, 12/345/67890)."""
    text = optional_text(value, field_name)
    if text and not re.fullmatch(r"[A-Za-z0-9]+([ ./-]?[A-Za-z0-9]+)*", text):
        raise InvalidValue("must be letters and digits (spaces, dots, dashes or slashes "
                           "between them)", field_name)
    return text


def check_email(value: str | None, field_name: str) -> str:
    """Blank, or an email address of the usual form (checked by email-validator, no DNS)."""
    text = optional_text(value, field_name)
    if not text:
        return ""
    try:
        return validate_email(text, check_deliverability=False).normalized
    except EmailNotValidError as error:
        raise InvalidValue(f"'{text}' is not an email address ({error})", field_name) from None


@dataclass(frozen=True)
class Debtor:
    """The person or business that owes the money."""

    name: str
    kind: str = DebtorKind.BUSINESS.value
    email: str = ""
    phone: str = ""
    address: str = ""
    tax_id: str = ""  # a tax or VAT number, as given (it identifies the debtor across cases)

    def checked(self) -> Debtor:
        """Every field checked (all refusals reported together)."""
        checks = Checks()
        name = checks.run(required, self.name, "debtor.name")
        kind = checks.run(choice, DebtorKind, self.kind, "debtor.kind")
        email = checks.run(check_email, self.email, "debtor.email")
        phone = checks.run(optional_text, self.phone, "debtor.phone")
        address = checks.run(optional_text, self.address, "debtor.address")
        tax_id = checks.run(check_tax_id, self.tax_id, "debtor.tax_id")
        checks.done()
        return Debtor(name or "", str(kind), email or "", phone or "", address or "",
                      tax_id or "")


@dataclass(frozen=True)
class PaymentTerms:
    """What the contract says about paying late (annual rates in percent)."""

    interest_rate: Decimal | None = None
    late_fee: Money | None = None
    payment_methods: tuple[str, ...] = field(default_factory=tuple)

    def checked(self, currency: str) -> PaymentTerms:
        if self.interest_rate is not None and not Decimal(0) <= self.interest_rate <= 100:
            raise InvalidValue("must be between 0 and 100 percent a year", "terms.interest_rate")
        if self.late_fee is not None:
            if self.late_fee.currency != currency:
                raise InvalidValue(f"must be in {currency}", "terms.late_fee")
            check_amount(self.late_fee.amount, currency, "terms.late_fee")
            if not self.late_fee.is_positive:
                raise InvalidValue("must be more than zero", "terms.late_fee")
        methods = tuple(choice(PaymentMethod, m, "terms.payment_methods").value
                        for m in self.payment_methods)
        fee = None if self.late_fee is None else self.late_fee.rounded()
        return PaymentTerms(self.interest_rate, fee, methods)


@dataclass(frozen=True)
class Instalment:
    """One agreed instalment of a payment plan."""

    due_on: date
    amount: Money


@dataclass(frozen=True)
class PromiseShare:
    """What one payment did for one open promise: its share toward it, and where it stands."""

    promised_on: date
    amount: Money
    standing: str


@dataclass(frozen=True)
class Stamp:
    """Provenance every event carries: who recorded it, when it happened, when it was stored."""

    actor: str
    occurred_on: date
    recorded_at: datetime

    def checked(self) -> Stamp:
        actor = required(self.actor, "actor")
        check_date_range(self.occurred_on, "occurred_on", self.recorded_at.date())
        if self.recorded_at.tzinfo is None:
            raise InvalidValue("must carry a time zone", "recorded_at")
        if self.occurred_on > self.recorded_at.date():
            raise InvalidValue(
                f"{self.occurred_on.isoformat()} is in the future; an event records what happened",
                "occurred_on",
            )
        return Stamp(actor, self.occurred_on, self.recorded_at)
