"""Reading query strings for list pages: bad values are ignored with a notice, never a 500."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask import request, url_for
from werkzeug.datastructures import MultiDict

from application.readmodels.queries import SORTS, AuditFilter, CaseFilter
from application.wording import plural
from domain.stages import AGING_BUCKETS
from domain.values import Stage
from web.schemas.queries import MAX_PAGE

PER_PAGE = (25, 50, 100)  # offered in the form; any number up to MAX_PER_PAGE is accepted
STAGES = tuple(s.value for s in Stage)
ON_HOLD = {"yes": True, "no": False}


@dataclass
class Params:
    """What a list page understood from its query string, and what it had to ignore."""

    args: MultiDict[str, str]
    notices: list[str] = field(default_factory=list)

    def text(self, name: str, length: int = 200) -> str:
        return self.args.get(name, "").strip()[:length]

    def choice(self, name: str, allowed: Any, what: str, default: str = "") -> str:
        value = self.text(name)
        if value and value not in allowed:
            self.notices.append(f"Ignored unknown {what} '{value}'.")
            self.args.pop(name, None)
            return default
        return value or default

    def number(self, name: str, default: int, maximum: int = MAX_PAGE) -> int:
        """A whole number from 1 to maximum."""
        value = self.text(name)
        if not value:
            return default
        if not value.isdigit() or not 1 <= int(value) <= maximum:
            self.notices.append(f"Ignored {name.replace('_', ' ')} '{value}': use a whole "
                                f"number from 1 to {maximum:,}.")
            self.args.pop(name, None)
            return default
        return int(value)

    def day(self, name: str, what: str) -> date | None:
        value = self.text(name)
        if not value:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.notices.append(f"Ignored {what} '{value}': dates are written YYYY-MM-DD.")
            self.args.pop(name, None)
            return None

    def url(self, endpoint: str, **changes: Any) -> str:
        """This page's URL with some arguments changed (None drops one); others are kept."""
        args = {k: v for k, v in self.args.items() if v}
        for name, value in changes.items():
            if value is None or value == "":
                args.pop(name, None)
            else:
                args[name] = str(value)
        return url_for(endpoint, **request.view_args, **args)


def read_params() -> Params:
    return Params(MultiDict(request.args))


def case_filter(params: Params) -> CaseFilter:
    """The case list's filters: stage, aging bucket, debtor, hold, currency, search."""
    currency = params.text("currency").upper()
    if currency and not re.fullmatch(r"[A-Z]{3}", currency):
        params.notices.append(f"Ignored currency '{currency}': use a three-letter code.")
        params.args.pop("currency", None)
        currency = ""
    hold = params.choice("on_hold", ON_HOLD, "hold choice")
    return CaseFilter(stage=params.choice("stage", STAGES, "stage"),
                      bucket=params.choice("bucket", AGING_BUCKETS, "aging bucket"),
                      debtor=params.text("debtor"),
                      on_hold=ON_HOLD.get(hold), currency=currency, q=params.text("q", 100),
                      include_closed=params.text("closed") != "hide")


def sorting(params: Params) -> tuple[str, bool]:
    sort = params.choice("sort", SORTS, "sort", default="due_date")
    return sort, params.choice("dir", ("asc", "desc"), "sort direction") == "desc"


def audit_filter(params: Params, event_types: list[str]) -> AuditFilter:
    """The audit trail's filters: actor, case (id or invoice), event type, occurred-on range."""
    start = params.day("date_from", "occurred-on from")
    end = params.day("date_to", "occurred-on to")
    if start and end and end < start:
        params.notices.append("The date range ends before it starts; no events can match.")
    return AuditFilter(actor=params.text("actor", 100), case=params.text("case", 100),
                       event_type=params.choice("event_type", event_types, "event type"),
                       date_from=start, date_to=end)


def clamp_page(params: Params, page: int, pages: int) -> int:
    """A page past the end shows the last page, with a notice."""
    if page > pages:
        are = "is" if pages == 1 else "are"
        params.notices.append(f"There {are} only {plural(pages, 'page')}; showing the last.")
        params.args["page"] = str(pages)
        return pages
    return page
