"""Query-string schemas of the JSON API's lists: the case list and the audit trail.

Unknown parameters are refused, so that a misspelt filter is an error, not a silent no-op.
A filter left out is absent from the loaded data (the read model's default applies). Numbers,
dates and texts are read by the one parser (`application.parsing`), with the HTML lists'
bounds (`web.pages.params`): a page from 1 to MAX_PAGE, up to MAX_PER_PAGE rows.
"""

from __future__ import annotations

import inspect
from typing import Any

from marshmallow import (
    RAISE,
    Schema,
    ValidationError,
    fields,
    missing,
    validate,
    validates_schema,
)

from application import parsing
from application.readmodels.queries import SORTS
from domain import events
from domain.errors import InvalidValue
from domain.stages import AGING_BUCKETS
from domain.values import Stage
from web.schemas.values import Day, Text

MAX_PAGE = 1_000_000
MAX_PER_PAGE = 200
FILTERS = frozenset({"stage", "bucket", "debtor", "on_hold", "currency", "q"})
EVENT_TYPES = sorted(name for name, kind in vars(events).items()
                     if inspect.isclass(kind) and issubclass(kind, events.CaseEvent)
                     and kind is not events.CaseEvent)


class Count(fields.Integer):
    """A whole number from 1 to `maximum`, read by `parsing.parse_count`."""

    def __init__(self, maximum: int, **kwargs: Any) -> None:
        self.maximum = maximum
        super().__init__(validate=validate.Range(min=1, max=maximum), **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> int:
        try:
            return parsing.parse_count(value, attr or "number", self.maximum)
        except InvalidValue as error:
            raise ValidationError(error.message) from None


def _page() -> Count:
    return Count(MAX_PAGE, load_default=1)


def _per_page(default: int) -> Count:
    return Count(MAX_PER_PAGE, load_default=default)


def _text(limit_of: str, description: str = "") -> Text:
    """A filter's text: absent unless given, within the limit of the field it searches."""
    metadata = {"description": description} if description else {}
    return Text(limit_of, load_default=missing, metadata=metadata)


def _day(description: str) -> Day:
    return Day(metadata={"description": description})


class ListQuery(Schema):
    class Meta:
        unknown = RAISE


class CaseQuery(ListQuery):
    """Filters, order and page of the case list (the HTML list's filters)."""

    stage = fields.String(validate=validate.OneOf([s.value for s in Stage]))
    bucket = fields.String(validate=validate.OneOf(AGING_BUCKETS),
                           metadata={"description": "aging bucket"})
    debtor = _text("debtor.name", "debtor key")
    on_hold = fields.Boolean()
    currency = fields.String(validate=validate.Regexp(
        r"^[A-Za-z]{3}$", error="must be a three-letter ISO 4217 code"))
    q = _text("q", "part of an invoice number or debtor name")
    invoice = _text("invoice_number", "exact invoice number: look the case up (cannot be "
                                      "combined with filters)")
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

    actor = _text("actor")
    case = _text("invoice_number", "case id or invoice number")
    event_type = fields.String(validate=validate.OneOf(EVENT_TYPES))
    date_from = _day("occurred on or after")
    date_to = _day("occurred on or before")
    page = _page()
    per_page = _per_page(100)

    @validates_schema
    def _dates_in_order(self, data: dict, **_: object) -> None:
        if "date_from" in data and "date_to" in data and data["date_to"] < data["date_from"]:
            raise ValidationError("must not be before date_from", "date_to")
