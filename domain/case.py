"""The debt case: one unpaid invoice under collection, as an event-sourced aggregate.

Commands validate and compute once, then record an event from `domain.events`, whose
`apply` assigns the new state. Rules raise `domain.errors` with plain messages.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

from domain import events as ev
from domain.allocations import allocate
from domain.attachments import AttachmentCommands
from domain.bundles import BundleCommands
from domain.errors import CaseClosed, Checks, InvalidValue, RuleBroken
from domain.escalation import EscalationCommands
from domain.interest_claims import InterestCommands
from domain.law import Jurisdiction, Limitation, PrincipalPayment, limitation_period
from domain.letters import letter_digest
from domain.limits import check_date_range
from domain.money import MAX_AMOUNT, Money, check_currency
from domain.offer_steps import OfferCommands
from domain.penalties import check_penalty
from domain.promises import promise_shares
from domain.rules import (
    check_after,
    check_at_most,
    check_invoice_dates,
    check_not_before,
    check_positive,
    check_text,
    optional_text,
)
from domain.schedule import ScheduleCommands
from domain.stages import days_overdue, stage_on
from domain.statutory_demands import StatutoryDemandCommands
from domain.values import (
    CLOSED_STAGES,
    CallDirection,
    CallOutcome,
    Channel,
    Debtor,
    DeliveryMethod,
    DisputeOutcome,
    PaymentMethod,
    PaymentTerms,
    PenaltyKind,
    ReminderTiming,
    Stage,
    Stamp,
    WriteOffReason,
    choice,
)


def _invoice_amount(amount: Money) -> Money:
    return check_positive(amount, check_currency(amount.currency))


CASE_NAMESPACE = uuid5(NAMESPACE_URL, "https://arrears.invalid/case")


def case_id_for(creditor: str, invoice_number: str) -> UUID:
    """The case id is derived from creditor and invoice number: one case per invoice."""
    key = f"{creditor.strip().casefold()}\n{invoice_number.strip()}"
    return uuid5(CASE_NAMESPACE, key)


class DebtCase(ScheduleCommands, AttachmentCommands, BundleCommands, EscalationCommands,
               InterestCommands, StatutoryDemandCommands, OfferCommands, Aggregate):
    """One unpaid invoice under collection. State is assigned only by event `apply` methods.

    `class_version` is the shape of its state, as snapshots store it; `upcast_v1_v2` turns a
    snapshot of an older shape into the newer one.
    """

    class_version = 8

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        """Version 2 keeps mediation apart from the stage, and the promises broken by a payment.

        In version 1, a case was in mediation exactly while its stage said so.
        """
        state["mediation_open"] = state["stage"] == Stage.IN_MEDIATION
        state["stage_after_mediation"] = state.pop("stage_before_mediation")
        state["promises_broken"] = []

    @staticmethod
    def upcast_v2_v3(state: dict[str, Any]) -> None:
        """Version 3 knows the documents attached (SHA-256 → name); before it there were none."""
        state["attachments"] = {}

    @staticmethod
    def upcast_v3_v4(state: dict[str, Any]) -> None:
        """Version 4 keeps the schedule's steps passed and the tasks; before it there were none."""
        state["schedule_steps"] = []
        state["tasks"] = []

    @staticmethod
    def upcast_v4_v5(state: dict[str, Any]) -> None:
        """Version 5 knows the case's jurisdiction; before it, every case was under the law
        of England and Wales."""
        state["jurisdiction"] = Jurisdiction.ENGLAND_WALES.value

    @staticmethod
    def upcast_v5_v6(state: dict[str, Any]) -> None:
        """Version 6 knows what payments paid of each part and how far interest was claimed
        or waived. A snapshot of shape 5 knows only totals, so (see ADR 25):

        - what was paid counts toward the principal, as Arrears showed it then (the rest,
          if any, toward costs, then interest);
        - that principal is taken as paid on the due date: interest is never claimed on it
          afterwards (less than may be owed, never more);
        - interest applied before is taken as applied without a period: more is claimed
          by a person, not by `claim_interest`.
        """
        zero = Money.zero(state["currency"])
        paid, invoice = state["paid"], state["invoice_amount"]
        principal = min(paid, invoice)
        by_kind = state["penalties_by_kind"]
        costs = sum((by_kind.get(k, zero) for k in ("compensation", "late_fee")), zero)
        to_costs = min(max(paid - principal, zero), costs)
        state["principal_paid"], state["costs_paid"] = principal, to_costs
        state["interest_paid"] = paid - principal - to_costs
        state["principal_payments"] = ([PrincipalPayment(state["due_date"], principal)]
                                       if principal.is_positive else [])
        state["interest_claimed_until"] = state["interest_waived_until"] = None
        state["interest_without_period"] = any(
            k in by_kind for k in ("statutory_interest", "contractual_interest"))
        state["penalty_kinds"] = list(by_kind)

    @staticmethod
    def upcast_v6_v7(state: dict[str, Any]) -> None:
        """Version 7 keeps every date that restarts limitation (part payments, written
        acknowledgments), the open offer and the statutory demand's deadline.

        Versions 5 and 6 kept only the latest acknowledgment and the latest payment: those two are
        the restarts. (An earlier restart is lost, which matters only where the latest came
        after the period had expired; the events themselves replay exactly.)
        """
        restarts = (state.get("acknowledged_on"), state.get("last_payment_on"))
        state["limitation_restarts"] = sorted(day for day in restarts if day is not None)
        state["offer"] = None
        state["statutory_demand_deadline"] = None

    @staticmethod
    def upcast_v7_v8(state: dict[str, Any]) -> None:
        """Version 8 keeps the day an agreed settlement is to be paid by (the schedule leaves
        the case alone until then). Version 7 kept only its amount: a settlement restored from
        a shape-7 snapshot has no pay-by day, so it does not pause the schedule (its events
        replay exactly)."""
        state["settle_by"] = None

    # -- opening ---------------------------------------------------------------------------

    @classmethod
    def open(cls, *, creditor: str, invoice_number: str, debtor: Debtor, amount: Money,
             issue_date: date, due_date: date, terms: PaymentTerms | None = None,
             contract_reference: str = "",
             jurisdiction: Jurisdiction | str = Jurisdiction.ENGLAND_WALES,
             stamp: Stamp) -> DebtCase:
        """Open a case for an unpaid invoice. Every refused value is reported at once."""
        checks = Checks()
        checks.run(check_invoice_dates, issue_date, due_date, stamp.recorded_at.date())
        if not (checks.failed("issue_date") and stamp.occurred_on == issue_date):
            checks.run(check_not_before, stamp.occurred_on, issue_date, "occurred_on",
                       "the issue date")
            stamp = checks.run(stamp.checked) or stamp
        creditor = checks.run(check_text, creditor, "creditor") or ""
        invoice_number = checks.run(check_text, invoice_number, "invoice_number") or ""
        amount = checks.run(_invoice_amount, amount) or amount
        debtor = checks.run(debtor.checked) or debtor
        terms = checks.run((terms or PaymentTerms()).checked, amount.currency)
        contract_reference = checks.run(optional_text, contract_reference,
                                        "contract_reference")
        jurisdiction = checks.run(choice, Jurisdiction, str(jurisdiction), "jurisdiction")
        checks.done()
        return cls._create(
            ev.CaseOpened, id=case_id_for(creditor, invoice_number),
            timestamp=stamp.recorded_at, actor=stamp.actor, occurred_on=stamp.occurred_on,
            creditor=creditor, invoice_number=invoice_number, debtor=debtor,
            amount=amount, issue_date=issue_date, due_date=due_date, terms=terms,
            contract_reference=contract_reference, jurisdiction=str(jurisdiction),
        )

    # -- reading ---------------------------------------------------------------------------

    @property
    def outstanding(self) -> Money:
        """principal + penalties - paid - waived - written off."""
        return (self.invoice_amount + self.penalties - self.paid - self.waived
                - self.written_off)

    @property
    def is_closed(self) -> bool:
        return self.stage in CLOSED_STAGES

    @property
    def demand_issued(self) -> bool:
        return self.demand_deadline is not None

    @property
    def next_promised_date(self) -> date | None:
        """The earliest promise not yet kept in full (`promises` holds only open ones)."""
        unkept = [on for amount, on, toward in self.promises if toward.amount < amount.amount]
        return min(unkept, default=None)

    def broken_promises(self, on: date) -> list[tuple[Money, date]]:
        """Promises whose date has passed without the amount paid by then, earliest first.

        A promise is broken the day after its date. Those a late payment broke are no longer
        awaited (`promises_broken`); the others are still open, and chased.
        """
        unpaid = [(amount, day) for amount, day, toward in self.promises
                  if day < on and toward.amount < amount.amount]
        late = [(amount, day) for amount, day in self.promises_broken if day < on]
        return sorted(late + unpaid, key=lambda promise: promise[1])

    def is_on_hold(self, on: date) -> bool:
        """On hold that day: not lifted, not past its date, and (for a plan) not missed."""
        if self.hold_reason == "plan" and self.plan_missed(on):
            return False
        return self.on_hold and (self.hold_until is None or on <= self.hold_until)

    @property
    def next_instalment_due(self) -> date | None:
        """The due date of the first instalment that payments since the plan do not cover."""
        if not self.plan or not self.on_hold or self.hold_reason != "plan":
            return None
        paid = (self.paid - self.paid_at_plan).amount
        running = Decimal(0)
        for instalment in self.plan:
            running += instalment.amount.amount
            if paid < running:
                return instalment.due_on
        return None

    def plan_missed(self, on: date) -> bool:
        """A payment plan is missed when an instalment date passes unpaid."""
        due = self.next_instalment_due
        return due is not None and due < on

    def stage_on(self, on: date) -> Stage:
        return stage_on(self.stage, self.due_date, on)

    def days_overdue(self, on: date) -> int:
        return days_overdue(self.due_date, on)

    @property
    def limitation(self) -> Limitation:
        """The limitation period under the case's law, restarted by part payments and written
        acknowledgments made while it ran (never revived by one made after it expired)."""
        return limitation_period(self.jurisdiction, self.due_date, self.limitation_restarts)

    @property
    def limitation_date(self) -> date:
        """The last day of the limitation period (`limitation.ends_on`)."""
        return self.limitation.ends_on

    # -- shared steps -----------------------------------------------------------------------

    def _record(self, event_class: type[ev.CaseEvent], stamp: Stamp, **fields: Any) -> None:
        for name, value in fields.items():  # every date an event carries is in range
            if isinstance(value, date):
                check_date_range(value, name, stamp.recorded_at.date())
        self.trigger_event(event_class, timestamp=stamp.recorded_at, actor=stamp.actor,
                           occurred_on=stamp.occurred_on, **fields)
        self._finish_tasks_done_by(event_class, stamp)

    def _check_stamp(self, stamp: Stamp) -> Stamp:
        stamp = stamp.checked()
        check_not_before(stamp.occurred_on, self.issue_date, "occurred_on",
                         "the invoice's issue date")
        return stamp

    def _check_open(self, stamp: Stamp) -> Stamp:
        """Refuse anything but notes once the case is closed."""
        if self.is_closed:
            raise CaseClosed(f"the case is {self.stage.replace('_', ' ')}; only notes may be added",
                             "case")
        return self._check_stamp(stamp)

    def _check_not_on_hold(self, stamp: Stamp, what: str) -> None:
        if self.is_on_hold(stamp.occurred_on):
            raise RuleBroken(f"the case is on hold ({self.hold_reason}); lift the hold "
                             f"before {what}", "case")

    def money(self, amount: Decimal, field: str = "amount") -> Money:
        """An amount in the case's currency (its decimals are checked by the command)."""
        return Money(Decimal(amount), self.currency)

    def _amount(self, amount: Money, field: str = "amount") -> Money:
        return check_positive(amount, self.currency, field)

    # -- contact ----------------------------------------------------------------------------

    def record_delivery(self, *, method: str, proof: str = "", stamp: Stamp) -> None:
        """Record when and how the debtor received the invoice."""
        stamp = self._check_open(stamp)
        self._record(ev.InvoiceDelivered, stamp,
                     method=choice(DeliveryMethod, method, "method").value,
                     proof=optional_text(proof, "proof"))

    def send_reminder(self, *, channel: str, recipient: str = "", message_reference: str = "",
                      letter_sha256: str = "", stamp: Stamp) -> None:
        """Record a reminder; its timing (before, on or after due) follows from the date;
        `letter_sha256`: the letter sent by post, if Arrears rendered one."""
        stamp = self._check_open(stamp)
        self._check_not_on_hold(stamp, "sending a reminder")
        if stamp.occurred_on < self.due_date:
            timing = ReminderTiming.BEFORE_DUE
        elif stamp.occurred_on == self.due_date:
            timing = ReminderTiming.ON_DUE
        else:
            timing = ReminderTiming.AFTER_DUE
        channel = choice(Channel, channel, "channel").value
        recipient = optional_text(recipient, "recipient") or self._default_recipient(channel)
        self._record(ev.ReminderSent, stamp, channel=channel, timing=timing.value,
                     recipient=recipient,
                     message_reference=optional_text(message_reference, "message_reference"),
                     letter_sha256=letter_digest(letter_sha256))

    def _default_recipient(self, channel: str) -> str:
        if channel == Channel.EMAIL:
            return self.debtor.email
        if channel in (Channel.SMS, Channel.PHONE):
            return self.debtor.phone
        return self.debtor.address

    def log_call(self, *, direction: str, person: str = "", outcome: str, notes: str = "",
                 stamp: Stamp) -> None:
        """Record a phone call with the debtor and its outcome."""
        stamp = self._check_open(stamp)
        self._record(ev.CallLogged, stamp,
                     direction=choice(CallDirection, direction, "direction").value,
                     person=optional_text(person, "person"),
                     outcome=choice(CallOutcome, outcome, "outcome").value,
                     notes=optional_text(notes, "notes"))

    def add_note(self, *, text: str, stamp: Stamp) -> None:
        """A note may be added at any time, even to a closed case."""
        stamp = self._check_stamp(stamp)
        self._record(ev.NoteAdded, stamp, text=check_text(text, "text"))

    def acknowledge_debt(self, *, document: str, amount: Money | None = None,
                         stamp: Stamp) -> None:
        """The debtor admitted the debt in writing (restarts limitation in England and Wales)."""
        stamp = self._check_open(stamp)
        if amount is not None:
            amount = self._amount(amount)
        self._record(ev.DebtAcknowledged, stamp, amount=amount,
                     document=check_text(document, "document"))

    def withdraw_service(self, *, service: str, stamp: Stamp) -> None:
        """Record that the creditor stopped providing a service to the debtor."""
        stamp = self._check_open(stamp)
        self._record(ev.ServiceWithdrawn, stamp, service=check_text(service, "service"))

    # -- money ------------------------------------------------------------------------------

    def promise_payment(self, *, amount: Money, promised_on: date, stamp: Stamp) -> None:
        """Record the debtor's word to pay an amount by a date."""
        stamp = self._check_open(stamp)
        amount = self._amount(amount)
        check_at_most(amount, self.outstanding, "outstanding balance")
        check_not_before(promised_on, stamp.occurred_on, "promised_on", "the day of the promise")
        self._record(ev.PaymentPromised, stamp, amount=amount, promised_on=promised_on)

    def record_payment(self, *, amount: Money, method: str, reference: str = "",
                       stamp: Stamp) -> None:
        """Record a payment (partial payments are normal); closes the case when paid.

        It keeps the promises it meets by their date; a payment after a promise's date
        breaks that promise (see `domain.promises`).
        """
        stamp = self._check_open(stamp)
        amount = self._amount(amount)
        check_at_most(amount, self.outstanding, "outstanding balance")
        self._record(ev.PaymentReceived, stamp, amount=amount,
                     method=choice(PaymentMethod, method, "method").value,
                     reference=optional_text(reference, "reference"),
                     promises=promise_shares(self.promises, amount, stamp.occurred_on),
                     allocation=allocate(self, amount))
        self._close_if_done(stamp)

    def _close_if_done(self, stamp: Stamp) -> None:
        """Paid when nothing is outstanding and no interest is left unclaimed (it is then
        claimed or waived first: `domain.interest_claims`)."""
        if self.outstanding.is_zero:
            if self.unclaimed_interest() is None:
                self._record(ev.CasePaid, stamp)
        elif self.settlement is not None:
            paid = self.paid - self.paid_at_settlement
            if paid.amount >= self.settlement.amount:
                self._record(ev.CaseSettled, stamp, released=self.outstanding)

    def apply_penalty(self, *, kind: str, amount: Money, rate: Decimal | None = None,
                      period_start: date | None = None, period_end: date | None = None,
                      basis: str = "", stamp: Stamp) -> None:
        """Add interest, compensation or a late fee, with the basis of the calculation."""
        stamp = self._check_open(stamp)
        amount = self._amount(amount)
        kind, days = check_penalty(self, kind, rate, period_start, period_end, stamp.occurred_on)
        check_at_most(self.outstanding + amount, Money(MAX_AMOUNT, self.currency),
                      "largest balance a case may have")
        self._record(ev.PenaltyApplied, stamp, kind=kind, amount=amount, rate=rate,
                     period_start=period_start, period_end=period_end, days=days,
                     basis=optional_text(basis, "basis"), principal=None)

    def waive_penalty(self, *, kind: str, amount: Money, reason: str, stamp: Stamp) -> None:
        """Give up (part of) a penalty already applied."""
        stamp = self._check_open(stamp)
        kind = choice(PenaltyKind, kind, "kind").value
        amount = self._amount(amount)
        applied = self.penalties_by_kind.get(kind, Money.zero(self.currency))
        check_at_most(amount, applied, f"{kind} still applied")
        check_at_most(amount, self.outstanding, "outstanding balance")
        self._record(ev.PenaltyWaived, stamp, kind=kind, amount=amount,
                     reason=check_text(reason, "reason"))
        self._close_if_done(stamp)

    def write_off(self, *, reason: str, amount: Money | None = None, notes: str = "",
                  stamp: Stamp) -> None:
        """Give up what is outstanding (or part of it); the whole of it closes the case."""
        stamp = self._check_open(stamp)
        amount = self.outstanding if amount is None else self._amount(amount)
        if not amount.is_positive:
            raise InvalidValue("nothing is outstanding to write off", "amount")
        check_at_most(amount, self.outstanding, "outstanding balance")
        self._record(ev.WrittenOff, stamp, amount=amount, notes=optional_text(notes, "notes"),
                     reason=choice(WriteOffReason, reason, "reason").value)

    # -- holds and disputes -----------------------------------------------------------------

    def raise_dispute(self, *, reason: str, stamp: Stamp) -> None:
        """The debtor disputes the invoice: the case goes on hold."""
        stamp = self._check_open(stamp)
        if self.disputed:
            raise RuleBroken("the case is already disputed", "case")
        self._record(ev.DisputeRaised, stamp, reason=check_text(reason, "reason"))

    def resolve_dispute(self, *, outcome: str, notes: str = "", stamp: Stamp) -> None:
        """Record how the dispute ended; the hold is lifted."""
        stamp = self._check_open(stamp)
        if not self.disputed:
            raise RuleBroken("the case has no open dispute", "case")
        self._record(ev.DisputeResolved, stamp, notes=optional_text(notes, "notes"),
                     outcome=choice(DisputeOutcome, outcome, "outcome").value)

    def place_hold(self, *, reason: str, until: date | None = None, stamp: Stamp) -> None:
        """Pause collection, until a date or until lifted."""
        stamp = self._check_open(stamp)
        if self.disputed:
            raise RuleBroken("the case is on hold for a dispute; resolve the dispute", "case")
        if until is not None:
            check_after(until, stamp.occurred_on, "until", "the day the hold is placed")
        self._record(ev.HoldPlaced, stamp, reason=check_text(reason, "reason"), until=until)

    def lift_hold(self, *, reason: str = "", stamp: Stamp) -> None:
        stamp = self._check_open(stamp)
        if not self.on_hold:
            raise RuleBroken("the case is not on hold", "case")
        if self.disputed:
            raise RuleBroken("the hold comes from a dispute; resolve the dispute", "case")
        self._record(ev.HoldLifted, stamp, reason=optional_text(reason, "reason"))
