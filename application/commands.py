"""Commands as values: one frozen dataclass per thing a person (or the schedule, or an
importer) asks Arrears to do. Web forms, the JSON API, the CLI and the demo build these and
nothing else; `CaseService.handle(command)` runs every one of them the same way.

Values are already parsed (`application.parsing`): amounts are Decimals in the case's
currency (the case supplies it), dates are dates, words are the domain's StrEnums.
Each command says, in `run`, which step of the case it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from uuid import UUID

from domain.attachments import DocumentKind
from domain.bundles import Interface
from domain.case import DebtCase
from domain.law import Jurisdiction
from domain.money import Money
from domain.values import (
    CallDirection,
    CallOutcome,
    Channel,
    Debtor,
    DeliveryMethod,
    DisputeOutcome,
    Instalment,
    MediationOnReferral,
    MediationOutcome,
    PaymentMethod,
    PaymentTerms,
    PenaltyKind,
    Stamp,
    WriteOffReason,
)


@dataclass(frozen=True, kw_only=True)
class Command:
    """Who asks, and when it happened (None: the default day, today or the issue date)."""

    actor: str
    occurred_on: date | None = None


@dataclass(frozen=True, kw_only=True)
class OpenCase(Command):
    """Open a case for an unpaid invoice (one case per creditor and invoice number)."""

    creditor: str
    invoice_number: str
    debtor: Debtor
    amount: Money
    issue_date: date
    due_date: date
    terms: PaymentTerms = field(default_factory=PaymentTerms)
    contract_reference: str = ""
    # Whose law governs the debt; None: the service's default (ARREARS_JURISDICTION).
    jurisdiction: Jurisdiction | None = None


@dataclass(frozen=True, kw_only=True)
class CaseCommand(Command):
    """A command on one existing case."""

    case_id: UUID

    def run(self, case: DebtCase, stamp: Stamp) -> None:
        raise NotImplementedError


def _money(case: DebtCase, amount: Decimal | None, name: str = "amount") -> Money | None:
    return None if amount is None else case.money(amount, name)


@dataclass(frozen=True, kw_only=True)
class RecordDelivery(CaseCommand):
    method: DeliveryMethod
    proof: str = ""

    def run(self, case: DebtCase, stamp: Stamp) -> None:
        case.record_delivery(method=self.method, proof=self.proof, stamp=stamp)


@dataclass(frozen=True, kw_only=True)
class SendReminder(CaseCommand):
    channel: Channel
    recipient: str = ""
    message_reference: str = ""
    letter_sha256: str = ""  # set by the letters (application.letters), never by a form

    def run(self, case: DebtCase, stamp: Stamp) -> None:
        case.send_reminder(channel=self.channel, recipient=self.recipient,
                           message_reference=self.message_reference,
                           letter_sha256=self.letter_sha256, stamp=stamp)


@dataclass(frozen=True, kw_only=True)
class LogCall(CaseCommand):
    outcome: CallOutcome
    direction: CallDirection = CallDirection.OUTBOUND
    person: str = ""
    notes: str = ""

    def run(self, case: DebtCase, stamp: Stamp) -> None:
        case.log_call(direction=self.direction, person=self.person, outcome=self.outcome,
                      notes=self.notes, stamp=stamp)


@dataclass(frozen=True, kw_only=True)
class AddNote(CaseCommand):
    text: str

    def run(self, case: DebtCase, stamp: Stamp) -> None:
        case.add_note(text=self.text, stamp=stamp)


@dataclass(frozen=True, kw_only=True)
class AcknowledgeDebt(CaseCommand):
    document: str
    amount: Decimal | None = None

    def run(self, case: DebtCase, stamp: Stamp) -> None:
        case.acknowledge_debt(document=self.document, amount=_money(case, self.amount),
                              stamp=stamp)


@dataclass(frozen=True, kw_only=True)
class WithdrawService(CaseCommand):
    service: str

    def run(self, case: DebtCase, stamp: Stamp) -> None:
        case.withdraw_service(service=self.service, stamp=stamp)


@dataclass(frozen=True, kw_only=True)
class PromisePayment(CaseCommand):
    amount: Decimal
    promised_on: date

    def run(self, case: DebtCase, stamp: Stamp) -> None:
        case.promise_payment(amount=case.money(self.amount), promised_on=self.promised_on,
                             stamp=stamp)


@dataclass(frozen=True, kw_only=True)
class RecordPayment(CaseCommand):
    amount: Decimal
    method: PaymentMethod = PaymentMethod.BANK_TRANSFER
    reference: str = ""

    def run(self, case: DebtCase, stamp: Stamp) -> None:
        case.record_payment(amount=case.money(self.amount), method=self.method,
                            reference=self.reference, stamp=stamp)


@dataclass(frozen=True, kw_only=True)
class ApplyPenalty(CaseCommand):
    kind: PenaltyKind
    amount: Decimal
    rate: Decimal | None = None
    period_start: date | None = None
    period_end: date | None = None
    basis: str = ""

    def run(self, case: DebtCase, stamp: Stamp) -> None:
        case.apply_penalty(kind=self.kind, amount=case.money(self.amount), rate=self.rate,
                           period_start=self.period_start, period_end=self.period_end,
                           basis=self.basis, stamp=stamp)


@dataclass(frozen=True, kw_only=True)
class WaivePenalty(CaseCommand):
    kind: PenaltyKind
    amount: Decimal
    reason: str

    def run(self, case: DebtCase, stamp: Stamp) -> None:
        case.waive_penalty(kind=self.kind, amount=case.money(self.amount), reason=self.reason,
                           stamp=stamp)


@dataclass(frozen=True, kw_only=True)
class WriteOff(CaseCommand):
    reason: WriteOffReason
    amount: Decimal | None = None
    notes: str = ""

    def run(self, case: DebtCase, stamp: Stamp) -> None:
        case.write_off(reason=self.reason, amount=_money(case, self.amount), notes=self.notes,
                       stamp=stamp)


@dataclass(frozen=True, kw_only=True)
class RaiseDispute(CaseCommand):
    reason: str

    def run(self, case: DebtCase, stamp: Stamp) -> None:
        case.raise_dispute(reason=self.reason, stamp=stamp)


@dataclass(frozen=True, kw_only=True)
class ResolveDispute(CaseCommand):
    outcome: DisputeOutcome
    notes: str = ""

    def run(self, case: DebtCase, stamp: Stamp) -> None:
        case.resolve_dispute(outcome=self.outcome, notes=self.notes, stamp=stamp)


@dataclass(frozen=True, kw_only=True)
class PlaceHold(CaseCommand):
    reason: str
    until: date | None = None

    def run(self, case: DebtCase, stamp: Stamp) -> None:
        case.place_hold(reason=self.reason, until=self.until, stamp=stamp)


@dataclass(frozen=True, kw_only=True)
class LiftHold(CaseCommand):
    reason: str = ""

    def run(self, case: DebtCase, stamp: Stamp) -> None:
        case.lift_hold(reason=self.reason, stamp=stamp)


@dataclass(frozen=True, kw_only=True)
class IssueDemand(CaseCommand):
    deadline: date
    consequences: str
    letter_reference: str = ""
    amount: Decimal | None = None
    letter_sha256: str = ""  # set by the letters (application.letters), never by a form

    def run(self, case: DebtCase, stamp: Stamp) -> None:
        case.issue_demand(deadline=self.deadline, consequences=self.consequences,
                          letter_reference=self.letter_reference,
                          amount=_money(case, self.amount), letter_sha256=self.letter_sha256,
                          stamp=stamp)


@dataclass(frozen=True)
class PlannedInstalment:
    """One instalment as asked for: its day and amount (in the case's currency)."""

    due_on: date
    amount: Decimal


@dataclass(frozen=True, kw_only=True)
class AgreePaymentPlan(CaseCommand):
    instalments: tuple[PlannedInstalment, ...]

    def run(self, case: DebtCase, stamp: Stamp) -> None:
        planned = [Instalment(i.due_on, case.money(i.amount, f"instalments[{n}].amount"))
                   for n, i in enumerate(self.instalments, start=1)]
        case.agree_payment_plan(instalments=planned, stamp=stamp)


@dataclass(frozen=True, kw_only=True)
class AgreeSettlement(CaseCommand):
    amount: Decimal
    pay_by: date

    def run(self, case: DebtCase, stamp: Stamp) -> None:
        case.agree_settlement(amount=case.money(self.amount), pay_by=self.pay_by, stamp=stamp)


@dataclass(frozen=True, kw_only=True)
class NamesUser:
    """A referral that names the account of the counsel or mediator it goes to ('' : none).

    The named user must be an active counsel user (`CaseService.handle` checks); they may
    then read the case (ADR 17).
    """

    user: str = ""


@dataclass(frozen=True, kw_only=True)
class ReferToMediation(CaseCommand, NamesUser):
    mediator: str
    reference: str = ""
    override_reason: str = ""

    def run(self, case: DebtCase, stamp: Stamp) -> None:
        case.refer_to_mediation(mediator=self.mediator, reference=self.reference,
                                override_reason=self.override_reason, user=self.user,
                                stamp=stamp)


@dataclass(frozen=True, kw_only=True)
class ConcludeMediation(CaseCommand):
    outcome: MediationOutcome
    notes: str = ""

    def run(self, case: DebtCase, stamp: Stamp) -> None:
        case.conclude_mediation(outcome=self.outcome, notes=self.notes, stamp=stamp)


@dataclass(frozen=True, kw_only=True)
class HandOff(CaseCommand):
    """A referral out of the creditor's hands; during a mediation it needs an override reason
    and says whether it concludes the mediation (with its outcome) or keeps it open."""

    reference: str = ""
    override_reason: str = ""
    mediation: MediationOnReferral | None = None
    mediation_outcome: MediationOutcome | None = None

    @property
    def mediation_choice(self) -> dict[str, str]:
        return {"override_reason": self.override_reason,
                "mediation": self.mediation or "",
                "mediation_outcome": self.mediation_outcome or ""}


@dataclass(frozen=True, kw_only=True)
class ReferToCounsel(HandOff, NamesUser):
    counsel: str

    def run(self, case: DebtCase, stamp: Stamp) -> None:
        case.refer_to_counsel(counsel=self.counsel, reference=self.reference, user=self.user,
                              stamp=stamp, **self.mediation_choice)


@dataclass(frozen=True, kw_only=True)
class AssignAgency(HandOff):
    agency: str

    def run(self, case: DebtCase, stamp: Stamp) -> None:
        case.assign_agency(agency=self.agency, reference=self.reference, stamp=stamp,
                           **self.mediation_choice)


@dataclass(frozen=True, kw_only=True)
class FileBankruptcyClaim(CaseCommand):
    court: str
    insolvency_case_number: str
    amount: Decimal | None = None

    def run(self, case: DebtCase, stamp: Stamp) -> None:
        case.file_bankruptcy_claim(court=self.court,
                                   insolvency_case_number=self.insolvency_case_number,
                                   amount=_money(case, self.amount), stamp=stamp)


@dataclass(frozen=True, kw_only=True)
class RecordEvidenceBundle(CaseCommand):
    """Record that an evidence bundle of events 1..covers_version was produced; closed cases
    accept it, like notes. Not a form or an API command: `application.bundles.deliver`
    records it for every bundle the CLI writes or the case page hands out."""

    sha256: str
    files: int
    covers_version: int
    interface: Interface

    def run(self, case: DebtCase, stamp: Stamp) -> None:
        case.record_evidence_bundle(sha256=self.sha256, files=self.files,
                                    covers_version=self.covers_version,
                                    interface=self.interface, stamp=stamp)


@dataclass(frozen=True, kw_only=True)
class AttachDocument(CaseCommand):
    """Attach a document whose content is already checked and about to be stored.

    Not in CASE_COMMANDS: `application.attachments.Attachments.attach` builds it from the
    uploaded bytes (their type, size and SHA-256) and stores the bytes before the event.
    """

    name: str
    media_type: str
    size: int
    sha256: str
    kind: DocumentKind = DocumentKind.OTHER
    description: str = ""

    def run(self, case: DebtCase, stamp: Stamp) -> None:
        case.attach_document(name=self.name, media_type=self.media_type, size=self.size,
                             sha256=self.sha256, kind=self.kind,
                             description=self.description, stamp=stamp)


@dataclass(frozen=True, kw_only=True)
class ClaimInterest(CaseCommand):
    """Claim the late-payment interest not yet claimed up to `until` (None: the day of the
    claim) and the fixed sums never applied (`domain.interest_claims`)."""

    until: date | None = None

    def run(self, case: DebtCase, stamp: Stamp) -> None:
        case.claim_interest(until=self.until, stamp=stamp)


@dataclass(frozen=True, kw_only=True)
class WaiveInterest(CaseCommand):
    """Give up the interest accrued and not claimed up to `until` (None: the day the
    principal was paid in full, else the day of the waiver), with a reason."""

    reason: str
    until: date | None = None

    def run(self, case: DebtCase, stamp: Stamp) -> None:
        case.waive_interest(reason=self.reason, until=self.until, stamp=stamp)
class ServeStatutoryDemand(CaseCommand):
    """Serve a statutory demand for all that is outstanding (domain.statutory_demands)."""

    def run(self, case: DebtCase, stamp: Stamp) -> None:
        case.serve_statutory_demand(stamp=stamp)


@dataclass(frozen=True, kw_only=True)
class OfferSettlement(CaseCommand):
    """Offer to accept `amount` in full settlement if taken up by `expires_on`."""

    amount: Decimal
    expires_on: date

    def run(self, case: DebtCase, stamp: Stamp) -> None:
        case.offer_settlement(amount=case.money(self.amount), expires_on=self.expires_on,
                              stamp=stamp)


@dataclass(frozen=True, kw_only=True)
class OfferDiscount(CaseCommand):
    """A prompt-payment discount: `percent` or `amount` off if paid in full by `expires_on`."""

    expires_on: date
    percent: Decimal | None = None
    amount: Decimal | None = None

    def run(self, case: DebtCase, stamp: Stamp) -> None:
        case.offer_discount(expires_on=self.expires_on, percent=self.percent,
                            amount=_money(case, self.amount), stamp=stamp)


@dataclass(frozen=True, kw_only=True)
class AcceptOffer(CaseCommand):
    def run(self, case: DebtCase, stamp: Stamp) -> None:
        case.accept_offer(stamp=stamp)


@dataclass(frozen=True, kw_only=True)
class WithdrawOffer(CaseCommand):
    reason: str = ""

    def run(self, case: DebtCase, stamp: Stamp) -> None:
        case.withdraw_offer(reason=self.reason, stamp=stamp)


# Every command on a case, by the name the API path and the forms use.
CASE_COMMANDS: dict[str, type[CaseCommand]] = {
    "record_delivery": RecordDelivery, "send_reminder": SendReminder, "log_call": LogCall,
    "add_note": AddNote, "acknowledge_debt": AcknowledgeDebt,
    "withdraw_service": WithdrawService, "promise_payment": PromisePayment,
    "record_payment": RecordPayment, "apply_penalty": ApplyPenalty,
    "waive_penalty": WaivePenalty, "write_off": WriteOff, "raise_dispute": RaiseDispute,
    "resolve_dispute": ResolveDispute, "place_hold": PlaceHold, "lift_hold": LiftHold,
    "issue_demand": IssueDemand, "agree_payment_plan": AgreePaymentPlan,
    "agree_settlement": AgreeSettlement, "refer_to_mediation": ReferToMediation,
    "conclude_mediation": ConcludeMediation, "refer_to_counsel": ReferToCounsel,
    "assign_agency": AssignAgency, "file_bankruptcy_claim": FileBankruptcyClaim,
    "serve_statutory_demand": ServeStatutoryDemand, "offer_settlement": OfferSettlement,
    "offer_discount": OfferDiscount, "accept_offer": AcceptOffer,
    "withdraw_offer": WithdrawOffer,
}
CASE_COMMANDS |= {"claim_interest": ClaimInterest, "waive_interest": WaiveInterest}


@dataclass(frozen=True)
class Recorded:
    """What a command stored: the case and the versions of its new events."""

    case_id: UUID
    invoice_number: str
    first_version: int
    version: int
    # True when an earlier request with the same idempotency key stored these events and
    # this one stored nothing.
    repeated: bool = False
