"""The events of a debt case: facts in the past tense, stored immutably.

Each event carries who recorded it (`actor`), when it happened (`occurred_on`, business time)
and when Arrears stored it (`timestamp`, system time, given by the application's clock).
`apply` only assigns state: it re-runs on every replay, so it decides nothing.

An event whose shape changed has a `class_version` and an `upcast_vN_vN+1` static method that
turns the stored state of the older shape into the newer one (the library calls it when it
decodes the stored event).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from eventsourcing.domain import Aggregate

from domain.allocations import allocated_as_before_version_3
from domain.law import Allocation, PrincipalPayment
from domain.money import Money
from domain.penalties import INTEREST_KINDS
from domain.promises import shared_as_before_version_2
from domain.stages import escalated
from domain.tasks import Task
from domain.values import Debtor, Instalment, PaymentTerms, PromiseShare, PromiseStanding, Stage

if TYPE_CHECKING:
    from domain.case import DebtCase


class CaseEvent(Aggregate.Event):
    """Base of every case event."""

    actor: str
    occurred_on: date

    @staticmethod
    def create_timestamp() -> datetime:
        raise TypeError("recorded_at must be given by the application's clock")

    def apply(self, case: DebtCase) -> None:
        """Default: nothing to assign beyond the version and time the library keeps."""


class CaseOpened(CaseEvent, Aggregate.Created):
    """`jurisdiction`: whose law governs the debt (a `domain.law.Jurisdiction` word)."""

    class_version = 3

    creditor: str
    invoice_number: str
    debtor: Debtor
    amount: Money
    issue_date: date
    due_date: date
    terms: PaymentTerms
    contract_reference: str
    jurisdiction: str

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        """Before version 2 every case was under the law of England and Wales."""
        state["jurisdiction"] = "england-wales"

    @staticmethod
    def upcast_v2_v3(state: dict[str, Any]) -> None:
        """Version 3's debtor may carry a tax or VAT number; before it none was given."""
        debtor = state["debtor"]
        state["debtor"] = (replace(debtor, tax_id="") if isinstance(debtor, Debtor)
                           else {**debtor, "tax_id": ""})

    def apply(self, case: DebtCase) -> None:
        zero = Money.zero(self.amount.currency)
        case.creditor = self.creditor
        case.invoice_number = self.invoice_number
        case.debtor = self.debtor
        case.invoice_amount = self.amount
        case.currency = self.amount.currency
        case.issue_date = self.issue_date
        case.due_date = self.due_date
        case.terms = self.terms
        case.contract_reference = self.contract_reference
        case.jurisdiction = self.jurisdiction
        case.stage = Stage.OPEN.value
        case.penalties = case.paid = case.waived = case.written_off = zero
        case.penalties_by_kind = {}
        case.delivered_on = None
        case.demand_deadline = None
        case.disputed = False
        case.on_hold = False
        case.hold_reason = ""
        case.hold_until = None
        case.promises = []
        case.promises_broken = []
        case.plan = []
        case.settlement = None
        case.settle_by = None
        case.paid_at_settlement = zero
        case.paid_at_plan = zero
        case.mediation_open = False
        case.stage_after_mediation = Stage.OPEN.value
        case.last_contact_on = None
        case.acknowledged_on = None
        case.last_payment_on = None
        case.schedule_steps = []
        case.tasks = []
        case.attachments = {}
        case.limitation_restarts = []
        case.offer = None
        case.statutory_demand_deadline = None
        _opened_with_nothing_allocated(case)


def _opened_with_nothing_allocated(case: DebtCase) -> None:
    """What the payments paid of each part, and how far interest was claimed or waived."""
    zero = Money.zero(case.currency)
    case.costs_paid = case.interest_paid = case.principal_paid = zero
    case.principal_payments = []
    case.interest_claimed_until = case.interest_waived_until = None
    case.interest_without_period = False
    case.penalty_kinds = []


class InvoiceDelivered(CaseEvent):
    method: str
    proof: str

    def apply(self, case: DebtCase) -> None:
        case.delivered_on = self.occurred_on


class ReminderSent(CaseEvent):
    """`letter_sha256`: the SHA-256 of the reminder letter (PDF) sent by post, or ""."""

    class_version = 2

    channel: str
    timing: str
    recipient: str
    message_reference: str
    letter_sha256: str

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        """Before version 2 no reminder carried a letter Arrears rendered."""
        state["letter_sha256"] = ""

    def apply(self, case: DebtCase) -> None:
        case.last_contact_on = self.occurred_on
        if self.timing == "after_due":
            case.stage = escalated(case.stage, Stage.REMINDED)


class CallLogged(CaseEvent):
    direction: str
    person: str
    outcome: str
    notes: str

    def apply(self, case: DebtCase) -> None:
        case.last_contact_on = self.occurred_on


class PaymentPromised(CaseEvent):
    amount: Money
    promised_on: date

    def apply(self, case: DebtCase) -> None:
        case.promises = [*case.promises, [self.amount, self.promised_on, Money.zero(case.currency)]]


class PaymentReceived(CaseEvent):
    """Money received. `promises`: one share per open promise, as `record_payment` decided.
    `allocation`: what it paid of costs, interest and principal, as `record_payment` decided.

    Version 1 carried no decision about promises (`promises` is None): see
    `domain.promises.shared_as_before_version_2`. Versions 1 and 2 carried no allocation
    (`allocation` is None): toward the principal, as Arrears showed it then (see
    `domain.allocations.allocated_as_before_version_3`).
    """

    class_version = 3

    amount: Money
    method: str
    reference: str
    promises: list[PromiseShare] | None
    allocation: Allocation | None

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        state["promises"] = None

    @staticmethod
    def upcast_v2_v3(state: dict[str, Any]) -> None:
        state["allocation"] = None

    def apply(self, case: DebtCase) -> None:
        split = self.allocation or allocated_as_before_version_3(case, self.amount)
        case.costs_paid = case.costs_paid + split.costs
        case.interest_paid = case.interest_paid + split.interest
        case.principal_paid = case.principal_paid + split.principal
        if split.principal.is_positive:
            case.principal_payments = [*case.principal_payments,
                                       PrincipalPayment(self.occurred_on, split.principal)]
        case.paid = case.paid + self.amount
        case.last_payment_on = self.occurred_on
        case.limitation_restarts = [*case.limitation_restarts, self.occurred_on]
        if self.promises is None:
            case.promises = shared_as_before_version_2(case.promises, self.amount)
            return
        still_open, broken = [], list(case.promises_broken)
        for (amount, promised_on, toward), share in zip(case.promises, self.promises,
                                                        strict=True):
            if share.standing == PromiseStanding.OPEN:
                still_open.append([amount, promised_on, toward + share.amount])
            elif share.standing == PromiseStanding.BROKEN:
                broken.append([amount, promised_on])
        case.promises, case.promises_broken = still_open, broken


class CasePaid(CaseEvent):
    def apply(self, case: DebtCase) -> None:
        case.stage = Stage.PAID.value
        case.on_hold = case.mediation_open = False


class PenaltyApplied(CaseEvent):
    """A penalty added. For interest claimed by `claim_interest`, one event per line of the
    calculation: its period, days, the principal it ran on (`principal`), rate and amount.
    Version 1 carried no principal (None)."""

    class_version = 2

    kind: str
    amount: Money
    rate: Decimal | None
    period_start: date | None
    period_end: date | None
    days: int | None
    basis: str
    principal: Money | None

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        state["principal"] = None

    def apply(self, case: DebtCase) -> None:
        case.penalties = case.penalties + self.amount
        before = case.penalties_by_kind.get(self.kind, Money.zero(case.currency))
        case.penalties_by_kind = {**case.penalties_by_kind, self.kind: before + self.amount}
        if self.kind not in case.penalty_kinds:
            case.penalty_kinds = [*case.penalty_kinds, self.kind]
        if self.kind in INTEREST_KINDS:
            if self.period_end is None:
                case.interest_without_period = True
            elif (case.interest_claimed_until is None
                  or self.period_end > case.interest_claimed_until):
                case.interest_claimed_until = self.period_end


class PenaltyWaived(CaseEvent):
    kind: str
    amount: Money
    reason: str

    def apply(self, case: DebtCase) -> None:
        case.waived = case.waived + self.amount
        before = case.penalties_by_kind[self.kind]
        case.penalties_by_kind = {**case.penalties_by_kind, self.kind: before - self.amount}


class InterestWaived(CaseEvent):
    """Interest accrued from `period_start` to `period_end` and never claimed, given up
    explicitly (`amount`, as `domain.law` computed it), with the reason. It was never added
    to the balance, so the balance does not change; the period is never claimed after."""

    period_start: date
    period_end: date
    amount: Money
    reason: str
    basis: str

    def apply(self, case: DebtCase) -> None:
        case.interest_waived_until = self.period_end


class DisputeRaised(CaseEvent):
    reason: str

    def apply(self, case: DebtCase) -> None:
        case.disputed = True
        case.on_hold, case.hold_reason, case.hold_until = True, "dispute", None


class DisputeResolved(CaseEvent):
    outcome: str
    notes: str

    def apply(self, case: DebtCase) -> None:
        case.disputed = False
        case.on_hold, case.hold_reason, case.hold_until = False, "", None


class HoldPlaced(CaseEvent):
    reason: str
    until: date | None

    def apply(self, case: DebtCase) -> None:
        case.on_hold, case.hold_reason, case.hold_until = True, self.reason, self.until


class HoldLifted(CaseEvent):
    reason: str

    def apply(self, case: DebtCase) -> None:
        case.on_hold, case.hold_reason, case.hold_until = False, "", None


class DebtAcknowledged(CaseEvent):
    amount: Money | None
    document: str

    def apply(self, case: DebtCase) -> None:
        case.acknowledged_on = self.occurred_on
        case.limitation_restarts = [*case.limitation_restarts, self.occurred_on]


class ServiceWithdrawn(CaseEvent):
    service: str

    def apply(self, case: DebtCase) -> None:
        """A fact for the record; it changes no balance or stage."""


class DemandIssued(CaseEvent):
    """`letter_sha256`: the SHA-256 of the letter (PDF) Arrears rendered, or ""."""

    class_version = 2

    amount: Money
    deadline: date
    consequences: str
    letter_reference: str
    letter_sha256: str

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        """Before version 2 no demand carried a letter Arrears rendered."""
        state["letter_sha256"] = ""

    def apply(self, case: DebtCase) -> None:
        case.demand_deadline = self.deadline
        case.last_contact_on = self.occurred_on
        case.stage = escalated(case.stage, Stage.DEMANDED)


class PaymentPlanAgreed(CaseEvent):
    instalments: list[Instalment]

    def apply(self, case: DebtCase) -> None:
        case.plan = list(self.instalments)
        case.paid_at_plan = case.paid
        case.on_hold, case.hold_reason, case.hold_until = True, "plan", None


class SettlementAgreed(CaseEvent):
    amount: Money
    pay_by: date

    def apply(self, case: DebtCase) -> None:
        case.settlement = self.amount
        case.settle_by = self.pay_by
        case.paid_at_settlement = case.paid


class CaseSettled(CaseEvent):
    released: Money

    def apply(self, case: DebtCase) -> None:
        case.waived = case.waived + self.released
        case.stage = Stage.SETTLED.value
        case.on_hold = case.mediation_open = False


def _no_account(state: dict[str, Any]) -> None:
    """Before referrals named a user account, none was named."""
    state["user"] = ""


class MediationReferred(CaseEvent):
    """`user`: the mediator's account, who may then read the case ('' : none)."""

    class_version = 2

    mediator: str
    reference: str
    override_reason: str
    user: str

    upcast_v1_v2 = staticmethod(_no_account)

    def apply(self, case: DebtCase) -> None:
        case.stage_after_mediation = case.stage
        case.stage = escalated(case.stage, Stage.IN_MEDIATION)
        case.mediation_open = True


class MediationConcluded(CaseEvent):
    outcome: str
    notes: str

    def apply(self, case: DebtCase) -> None:
        case.stage = case.stage_after_mediation
        case.mediation_open = False


def _hand_off(case: DebtCase, stage: Stage, mediation_kept_open: bool) -> None:
    """A step past mediation: the case moves on; a mediation kept open comes back to it."""
    case.stage = escalated(case.stage, stage)
    case.mediation_open = mediation_kept_open
    if mediation_kept_open:
        case.stage_after_mediation = case.stage


def _ended_mediation(state: dict[str, Any]) -> None:
    """Version 1 of a hand-off ended any mediation (its outcome was never recorded)."""
    state["mediation_kept_open"] = False


class LegalReferral(CaseEvent):
    """`user`: counsel's account, who may then read the case ('' : none)."""

    class_version = 3

    counsel: str
    reference: str
    override_reason: str
    mediation_kept_open: bool
    user: str

    upcast_v1_v2 = staticmethod(_ended_mediation)
    upcast_v2_v3 = staticmethod(_no_account)

    def apply(self, case: DebtCase) -> None:
        _hand_off(case, Stage.WITH_COUNSEL, self.mediation_kept_open)


class CollectionAgencyAssigned(CaseEvent):
    class_version = 2

    agency: str
    reference: str
    override_reason: str
    mediation_kept_open: bool

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        state["override_reason"] = ""
        _ended_mediation(state)

    def apply(self, case: DebtCase) -> None:
        _hand_off(case, Stage.WITH_AGENCY, self.mediation_kept_open)


class BankruptcyClaimFiled(CaseEvent):
    class_version = 2

    court: str
    insolvency_case_number: str
    amount: Money
    mediation_kept_open: bool

    upcast_v1_v2 = staticmethod(_ended_mediation)

    def apply(self, case: DebtCase) -> None:
        _hand_off(case, Stage.IN_INSOLVENCY, self.mediation_kept_open)


class WrittenOff(CaseEvent):
    reason: str
    amount: Money
    notes: str

    def apply(self, case: DebtCase) -> None:
        case.written_off = case.written_off + self.amount
        if case.outstanding.is_zero:
            case.stage = Stage.WRITTEN_OFF.value
            case.on_hold = case.mediation_open = False


class NoteAdded(CaseEvent):
    text: str


class EvidenceBundleProduced(CaseEvent):
    """An evidence bundle of the case's events 1 to `covers_version` was produced: written by
    the CLI or downloaded from the web (`interface`). `sha256` is the zip's own hash; `files`
    counts the files in it. A fact for the audit trail: it changes no balance or stage."""

    sha256: str
    files: int
    covers_version: int
    interface: str


class AttachmentAdded(CaseEvent):
    """A document attached as evidence: what the blob store holds under `sha256`."""

    name: str
    media_type: str
    size: int
    sha256: str
    kind: str
    description: str

    def apply(self, case: DebtCase) -> None:
        case.attachments = {**case.attachments, self.sha256: self.name}


# -- the escalation schedule: the steps it took and the tasks it set (domain.schedule) -------

class ScheduleStepTaken(CaseEvent):
    """The schedule took a step of its policy; the step's own events follow in the same save.

    `day`: the case's day on the ladder (days from the due date; negative before it).
    `skipped`: steps passed over before this one, never to be taken (the case entered the
    ladder late, or came back late from a pause). `entered`: the first step the schedule
    took on this case, so where it entered the ladder. `note`: what the step found, if worth
    saying (nothing to claim, a letter of claim instead of a demand).
    """

    step: str
    policy: str
    day: int
    skipped: list[str]
    entered: bool
    note: str

    def apply(self, case: DebtCase) -> None:
        case.schedule_steps = [*case.schedule_steps, *self.skipped, self.step]


class TaskCreated(CaseEvent):
    """A step for a person: what, by when, and the commands (forms) that do it."""

    step: str
    what: str
    due_on: date
    actions: list[str]
    prefill: dict[str, str]

    def apply(self, case: DebtCase) -> None:
        task = Task(self.step, self.what, self.due_on, tuple(self.actions), self.occurred_on,
                    dict(self.prefill))
        case.tasks = [*case.tasks, task]


class TaskDone(CaseEvent):
    """A task was done: by the event named in `done_by`, or marked done by a person."""

    step: str
    done_by: str
    notes: str

    def apply(self, case: DebtCase) -> None:
        case.tasks = [replace(t, done_on=self.occurred_on, done_by=self.done_by)
                      if t.step == self.step and t.is_open else t for t in case.tasks]
