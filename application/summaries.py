"""One-line, plain-language summaries of events, for timelines and the audit trail."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from application.attachments.types import KNOWN
from application.summaries_insolvency import SUMMARIES as INSOLVENCY_SUMMARIES
from application.wording import byte_size, plural
from domain import events as ev
from domain.values import PromiseStanding


def _words(value: str) -> str:
    return value.replace("_", " ")


def _payment(e: ev.PaymentReceived) -> str:
    text = f"Payment of {e.amount} received by {_words(e.method)}"
    text += f" (ref {e.reference})" if e.reference else ""
    late = [s.promised_on.isoformat() for s in e.promises or ()
            if s.standing == PromiseStanding.BROKEN]
    if late:
        text += f"; late for the promise{'s' if len(late) > 1 else ''} to pay by {', '.join(late)}"
    return text + _allocation(e)


def _allocation(e: ev.PaymentReceived) -> str:
    """'; GBP 70.00 toward costs, GBP 530.00 toward principal' when it paid more than
    principal (nothing more for a payment all toward the principal, or an old one)."""
    split = e.allocation
    if split is None or not (split.costs.is_positive or split.interest.is_positive):
        return ""
    parts = [(split.costs, "costs"), (split.interest, "interest"),
             (split.principal, "principal")]
    return "; " + ", ".join(f"{amount} toward {part}" for amount, part in parts
                            if amount.is_positive)


def _attachment(e: ev.AttachmentAdded) -> str:
    what = KNOWN.get(e.media_type, (e.media_type, ""))[0]
    return f"Document attached: {e.name} ({_words(e.kind)}; {what}, {byte_size(e.size)})"


def _past_mediation(text: str, e: Any) -> str:
    """A referral or claim made during mediation says when the mediation goes on."""
    return text + ("; the mediation stays open" if e.mediation_kept_open else "")


def _ladder_day(day: int) -> str:
    if day == 0:
        return "on the due date"
    return plural(abs(day), "day") + (" before" if day < 0 else " after") + " the due date"


def _step_taken(e: ev.ScheduleStepTaken) -> str:
    text = f"Schedule step {e.step} ({e.policy} policy), {_ladder_day(e.day)}"
    if e.entered and e.skipped:
        text += "; the case entered the schedule here"
    if e.skipped:
        text += f"; passed over: {', '.join(e.skipped)}"
    return text + (f". {e.note}" if e.note else "")


def _task_done(e: ev.TaskDone) -> str:
    if e.notes:
        return f"Task {e.step} done: {e.notes}"
    how = re.sub(r"(?<!^)(?=[A-Z])", " ", e.done_by).lower()
    return f"Task {e.step} done" + (f" ({how})" if how else "")

_BUNDLED_VIA = {"cli": "written with the CLI", "web": "downloaded from the case page",
                "api": "downloaded through the API"}

_SUMMARIES: dict[type[ev.CaseEvent], Callable[[Any], str]] = {
    ev.CaseOpened: lambda e: f"Invoice {e.invoice_number} for {e.amount} opened against "
                             f"{e.debtor.name}, due {e.due_date.isoformat()}",
    ev.InvoiceDelivered: lambda e: f"Invoice delivered by {_words(e.method)}"
                                   + (f" ({e.proof})" if e.proof else ""),
    ev.ReminderSent: lambda e: f"Reminder sent by {e.channel} {_words(e.timing)}"
                               + (f" to {e.recipient}" if e.recipient else ""),
    ev.CallLogged: lambda e: f"{e.direction.capitalize()} call"
                             + (f" with {e.person}" if e.person else "")
                             + f": {_words(e.outcome)}",
    ev.PaymentPromised: lambda e: f"Promised to pay {e.amount} by {e.promised_on.isoformat()}",
    ev.PaymentReceived: _payment,
    ev.CasePaid: lambda e: "Paid in full; case closed",
    ev.PenaltyApplied: lambda e: f"{_words(e.kind).capitalize()} of {e.amount} applied"
                                 + (f" at {e.rate}% a year" if e.rate is not None else "")
                                 + (f" for {plural(e.days, 'day')}" if e.days else ""),
    ev.PenaltyWaived: lambda e: f"{_words(e.kind).capitalize()} of {e.amount} waived: {e.reason}",
    ev.DisputeRaised: lambda e: f"Dispute raised: {e.reason}",
    ev.DisputeResolved: lambda e: f"Dispute resolved ({_words(e.outcome)})",
    ev.HoldPlaced: lambda e: f"Hold placed: {e.reason}"
                             + (f" until {e.until.isoformat()}" if e.until else ""),
    ev.HoldLifted: lambda e: "Hold lifted" + (f": {e.reason}" if e.reason else ""),
    ev.DebtAcknowledged: lambda e: f"Debt acknowledged in writing ({e.document})",
    ev.ServiceWithdrawn: lambda e: f"Service withdrawn: {e.service}",
    ev.DemandIssued: lambda e: f"Demand for {e.amount} issued, deadline "
                               f"{e.deadline.isoformat()}",
    ev.PaymentPlanAgreed: lambda e: f"Payment plan of "
                                    f"{plural(len(e.instalments), 'instalment')} agreed",
    ev.SettlementAgreed: lambda e: f"Settlement of {e.amount} agreed, to pay by "
                                   f"{e.pay_by.isoformat()}",
    ev.CaseSettled: lambda e: f"Settled; {e.released} released; case closed",
    ev.MediationReferred: lambda e: f"Referred to mediation with {e.mediator}",
    ev.MediationConcluded: lambda e: f"Mediation concluded: {_words(e.outcome)}",
    ev.LegalReferral: lambda e: _past_mediation(f"Referred to counsel: {e.counsel}", e),
    ev.CollectionAgencyAssigned: lambda e: _past_mediation(
        f"Assigned to collection agency {e.agency}", e),
    ev.BankruptcyClaimFiled: lambda e: _past_mediation(
        f"Proof of claim for {e.amount} filed with {e.court} ({e.insolvency_case_number})", e),
    ev.WrittenOff: lambda e: f"{e.amount} written off: {_words(e.reason)}",
    ev.NoteAdded: lambda e: f"Note: {e.text}",
    ev.ScheduleStepTaken: _step_taken,
    ev.TaskCreated: lambda e: f"Task set: {e.what} (due {e.due_on.isoformat()})",
    ev.TaskDone: _task_done,
    ev.EvidenceBundleProduced: lambda e: f"Evidence bundle of events 1 to {e.covers_version} "
                                         f"{_BUNDLED_VIA.get(e.interface, e.interface)}: "
                                         f"{plural(e.files, 'file')}, SHA-256 {e.sha256}",
    ev.AttachmentAdded: _attachment,
    **INSOLVENCY_SUMMARIES,
}


_SUMMARIES[ev.InterestWaived] = lambda e: (
    f"Interest of {e.amount} from {e.period_start.isoformat()} to {e.period_end.isoformat()} "
    f"waived, never claimed: {e.reason}")


def summarise(event: ev.CaseEvent) -> str:
    describe = _SUMMARIES.get(type(event))
    return describe(event) if describe else type(event).__name__
