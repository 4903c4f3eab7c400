"""Output schemas: read-model rows as the JSON API returns them (amounts as strings, ISO dates).

Fields are marked `required` so the OpenAPI document says they are always present; these
schemas only dump.
"""

from __future__ import annotations

import json
from typing import Any

from marshmallow import Schema, fields


def _text(**kw: Any) -> fields.String:
    return fields.String(required=True, **kw)


def _amount() -> fields.Decimal:
    return fields.Decimal(required=True, as_string=True,
                          metadata={"description": "in the case's currency, as a string"})


def _day(nullable: bool = False) -> fields.Date:
    return fields.Date(required=True, allow_none=nullable)


def _instant() -> fields.String:
    return fields.String(required=True, metadata={"format": "date-time"})


class Amounts(Schema):
    """The money breakdown, in one currency: decimal strings."""

    principal = _amount()
    penalties = _amount()
    paid = _amount()
    waived = _amount()
    written_off = _amount()
    outstanding = _amount()


class CaseSummary(Amounts):
    """One case as seen today (stage, days overdue and next action follow from the clock)."""

    case_id = _text(metadata={"format": "uuid"})
    version = fields.Integer(required=True)
    creditor = _text()
    invoice_number = _text()
    debtor_key = _text()
    debtor_name = _text()
    debtor_kind = _text()
    currency = _text()
    issue_date = _day()
    due_date = _day()
    stage = _text()
    is_closed = fields.Boolean(required=True)
    on_hold = fields.Boolean(required=True)
    hold_reason = _text()
    hold_until = _day(nullable=True)
    days_overdue = fields.Integer(required=True)
    aging_bucket = _text(metadata={"description": "'' for a closed case"})
    broken_promise = fields.Boolean(required=True)
    next_promised_date = _day(nullable=True)
    demand_deadline = _day(nullable=True)
    last_contact_on = _day(nullable=True)
    last_reminder_on = _day(nullable=True)
    next_action = _text(metadata={"description": "what to do next; '' for a closed case"})
    limitation_date = _day(nullable=True)
    limitation_basis = _text(metadata={"description": "how the limitation date follows"})
    limitation_near = fields.Boolean(required=True, metadata={
        "description": "open, and the limitation date within the warning period"})
    statutory_demand_deadline = _day(nullable=True)
    offer_kind = fields.String(required=True, allow_none=True,
                               metadata={"description": "settlement or discount; null: none"})
    offer_amount = fields.Decimal(required=True, as_string=True, allow_none=True)
    offer_expires_on = _day(nullable=True)
    offer_expired = fields.Boolean(required=True)
    opened_at = _instant()
    updated_at = _instant()


class CurrencyTotals(Amounts):
    """Sums over the matching cases of one currency."""

    cases = fields.Integer(required=True)


def _totals() -> fields.Dict:
    return fields.Dict(keys=fields.String(), values=fields.Nested(CurrencyTotals),
                       required=True, metadata={"description": "by currency code"})


class PageMeta(Schema):
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    total = fields.Integer(required=True)
    pages = fields.Integer(required=True)


class CasePage(PageMeta):
    """One page of the case list, with totals over every matching case."""

    items = fields.List(fields.Nested(CaseSummary), required=True, attribute="rows")
    totals = _totals()


class Details(fields.Dict):
    """The event's own fields, stored as JSON text in the timeline read model."""

    def _serialize(self, value: Any, attr: Any, obj: Any, **kwargs: Any) -> Any:
        return super()._serialize(json.loads(value) if isinstance(value, str) else value,
                                  attr, obj, **kwargs)


class TimelineEntry(Schema):
    """One event of a case."""

    version = fields.Integer(required=True)
    occurred_on = _day()
    recorded_at = _instant()
    actor = _text()
    type = _text(attribute="event_type")
    summary = _text()
    details = Details(keys=fields.String(), required=True)
    backdated = fields.Boolean(required=True, metadata={
        "description": "recorded after an event of the case with a later business date"})


class Timeline(Schema):
    """A case's events by business date, then by recorded time, then by version."""

    case_id = _text(metadata={"format": "uuid"})
    items = fields.List(fields.Nested(TimelineEntry), required=True)


class AuditEntry(Schema):
    """One event in the audit trail, newest first."""

    position = fields.Integer(required=True)
    case_id = _text(metadata={"format": "uuid"})
    invoice_number = _text()
    version = fields.Integer(required=True)
    type = _text(attribute="event_type")
    actor = _text()
    occurred_on = _day()
    recorded_at = _instant()
    summary = _text()


class AuditPage(PageMeta):
    items = fields.List(fields.Nested(AuditEntry), required=True, attribute="rows")


class DebtorSummary(Schema):
    """A debtor with every case against them."""

    key = _text(attribute="debtor_key")
    name = _text()
    kind = _text()
    email = _text()
    phone = _text()
    address = _text()
    tax_id = _text()
    case_count = fields.Integer(required=True)
    cases = fields.List(fields.Nested(CaseSummary), required=True)
    totals = _totals()


class ActionList(Schema):
    total = fields.Integer(required=True)
    items = fields.List(fields.Nested(CaseSummary), required=True, attribute="rows")


class Dashboard(Schema):
    """Outstanding by aging bucket and currency, cases by stage, what needs action today."""

    today = _day()
    currencies = fields.List(fields.String(), required=True)
    buckets = fields.Dict(keys=fields.String(),
                          values=fields.Dict(keys=fields.String(),
                                             values=fields.Decimal(as_string=True)),
                          required=True,
                          metadata={"description": "aging bucket → currency → outstanding"})
    stages = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    actions = fields.Dict(keys=fields.String(), values=fields.Nested(ActionList), required=True)


class CommandResult(Schema):
    """What a command left behind: the case's id and new version, and the case now.

    `views_behind` > 0: the command is stored but the views do not show it yet (`case` is
    as they last saw it, or null for a new case); every page names the cause.
    """

    case_id = _text(metadata={"format": "uuid"})
    version = fields.Integer(required=True)
    case = fields.Nested(CaseSummary, required=True, allow_none=True)
    views_behind = fields.Integer(required=True, metadata={
        "description": "Stored events the views do not show yet (0: they show this one)"})


class Errors(Schema):
    """Why a request was refused: messages by field ('_schema' when no one field is at fault)."""

    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()),
                         required=True)
