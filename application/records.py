"""Plain data the application hands out: events as records, cases as summaries."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from application.summaries import summarise
from domain.case import DebtCase
from domain.events import CaseEvent
from domain.money import Money

_AS_IS = frozenset({str, int, float, bool})


def plain(value: Any) -> Any:
    """JSON-ready form of a domain value (Decimal and dates as strings)."""
    if value is None or type(value) in _AS_IS:  # most fields: answered without a search
        return value
    if isinstance(value, Money):
        return {"amount": str(value.amount), "currency": value.currency}
    if isinstance(value, Decimal | UUID):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


_COMMON = {"originator_id", "originator_version", "timestamp", "actor", "occurred_on",
           "originator_topic"}


def own_fields(event: CaseEvent) -> dict[str, Any]:
    """The event's own fields (not its id, version or provenance), as the event holds them."""
    return {k: v for k, v in vars(event).items() if k not in _COMMON}


def event_fields(event: CaseEvent) -> dict[str, Any]:
    """The event's own fields (not its id, version or provenance), as plain data."""
    return {k: plain(v) for k, v in own_fields(event).items()}


def event_record(event: CaseEvent) -> dict[str, Any]:
    """One event as plain data: type, provenance and its own fields."""
    data = event_fields(event)
    return {
        "case_id": str(event.originator_id),
        "version": event.originator_version,
        "type": type(event).__name__,
        "actor": event.actor,
        "occurred_on": event.occurred_on.isoformat(),
        "recorded_at": event.timestamp.isoformat(),
        "summary": summarise(event),
        "data": data,
    }


def case_record(case: DebtCase, today: date) -> dict[str, Any]:
    """What any reader needs to know about a case on a given day."""
    return {
        "case_id": str(case.id),
        "version": case.version,
        "creditor": case.creditor,
        "invoice_number": case.invoice_number,
        "debtor": plain(case.debtor),
        "currency": case.currency,
        "issue_date": case.issue_date.isoformat(),
        "due_date": case.due_date.isoformat(),
        "terms": plain(case.terms),
        "contract_reference": case.contract_reference,
        "jurisdiction": case.jurisdiction,
        "stage": str(case.stage_on(today)),
        "days_overdue": 0 if case.is_closed else case.days_overdue(today),
        "balance": {
            "principal": str(case.invoice_amount.amount),
            "penalties": str(case.penalties.amount),
            "paid": str(case.paid.amount),
            "waived": str(case.waived.amount),
            "written_off": str(case.written_off.amount),
            "outstanding": str(case.outstanding.amount),
        },
        "on_hold": case.is_on_hold(today),
        "hold_reason": case.hold_reason if case.is_on_hold(today) else "",
        "disputed": case.disputed,
        "mediation_open": case.mediation_open,
        "next_promised_date": plain(case.next_promised_date),
        "broken_promises": len(case.broken_promises(today)),
        "demand_deadline": plain(case.demand_deadline),
        "last_contact_on": plain(case.last_contact_on),
        "limitation_date": case.limitation_date.isoformat(),
        "limitation_basis": case.limitation.basis,
        "statutory_demand_deadline": plain(case.statutory_demand_deadline),
        "offer": plain(case.offer),
        **money_parts(case),
    }


def money_parts(case: DebtCase) -> dict[str, Any]:
    """What the payments paid of each part, and interest left unclaimed when the principal
    was paid in full (None: none; then the case closes once nothing is outstanding)."""
    pending = case.unclaimed_interest()
    return {
        "paid_by_part": {"costs": str(case.costs_paid.amount),
                         "interest": str(case.interest_paid.amount),
                         "principal": str(case.principal_paid.amount)},
        "unclaimed_interest": None if pending is None else {
            "amount": str(pending.amount.amount), "from": pending.from_.isoformat(),
            "to": pending.to.isoformat(), "message": pending.message},
    }
