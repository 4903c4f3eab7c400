"""Query-string schemas of the JSON API's lists: the case list and the audit trail.

Unknown parameters are refused, so that a misspelt filter is an error, not a silent no-op.
A filter left out is absent from the loaded data (the read model's default applies).
"""

from __future__ import annotations

import inspect

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from application.readmodels.queries import SORTS
from domain import events
from domain.stages import AGING_BUCKETS
from domain.values import Stage

MAX_PER_PAGE = 200
FILTERS = frozenset({"stage", "bucket", "debtor", "on_hold", "currency", "q"})
EVENT_TYPES = sorted(name for name, kind in vars(events).items()
                     if inspect.isclass(kind) and issubclass(kind, events.CaseEvent)
                     and kind is not events.CaseEvent)


def _page() -> fields.Integer:
    return fields.Integer(load_default=1, validate=validate.Range(min=1))


def _per_page(default: int) -> fields.Integer:
    return fields.Integer(load_default=default, validate=validate.Range(min=1, max=MAX_PER_PAGE))


class ListQuery(Schema):
    class Meta:
        unknown = RAISE


class CaseQuery(ListQuery):
    """Filters, order and page of the case list (the HTML list's filters)."""

    stage = fields.String(validate=validate.OneOf([s.value for s in Stage]))
    bucket = fields.String(validate=validate.OneOf(AGING_BUCKETS),
                           metadata={"description": "aging bucket"})
    debtor = fields.String(metadata={"description": "debtor key"})
    on_hold = fields.Boolean()
    currency = fields.String(validate=validate.Regexp(
        r"^[A-Za-z]{3}$", error="must be a three-letter ISO 4217 code"))
    q = fields.String(validate=validate.Length(max=200),
                      metadata={"description": "part of an invoice number or debtor name"})
    invoice = fields.String(validate=validate.Length(min=1, max=100),
                            metadata={"description": "exact invoice number: look the case up "
                                                     "(cannot be combined with filters)"})
    include_closed = fields.Boolean(load_default=True)
    sort = fields.String(load_default="due_date", validate=validate.OneOf(list(SORTS)))
    order = fields.String(load_default="asc", validate=validate.OneOf(["asc", "desc"]))
    page = _page()
    per_page = _per_page(50)

    @validates_schema
    def _invoice_alone(self, data: dict, **_: object) -> None:
        combined = sorted(FILTERS & data.keys())
        if "invoice" in data and combined:
            raise ValidationError(
                f"an invoice number cannot be combined with {', '.join(combined)}", "invoice")


class AuditQuery(ListQuery):
    """Filters and page of the audit trail."""

    actor = fields.String()
    case = fields.String(metadata={"description": "case id or invoice number"})
    event_type = fields.String(validate=validate.OneOf(EVENT_TYPES))
    date_from = fields.Date(metadata={"description": "occurred on or after"})
    date_to = fields.Date(metadata={"description": "occurred on or before"})
    page = _page()
    per_page = _per_page(100)

    @validates_schema
    def _dates_in_order(self, data: dict, **_: object) -> None:
        if "date_from" in data and "date_to" in data and data["date_to"] < data["date_from"]:
            raise ValidationError("must not be before date_from", "date_to")
