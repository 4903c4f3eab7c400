"""The chronology a lawyer reads: one Jinja template, rendered to HTML and, by WeasyPrint,
to PDF.

A table of date, event, who and source document, each entry with its recorded time and
chain hash, in the timeline's one order (`application.timeline.chronology`); then the
statement of account. The header names creditor, debtor and invoice; every page says
"Page X of Y". Fonts come from Debian's fonts-dejavu-core (or fonts-liberation).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from application.bundles.ports import Checkpoint
from application.timeline import chronology
from application.wording import money, plural

Record = Mapping[str, Any]

# The fields of an event that name a document or a reference to one, and how they read.
SOURCE_FIELDS = {
    "document": "", "letter_reference": "Letter", "message_reference": "Message",
    "proof": "Proof", "reference": "Ref.", "contract_reference": "Contract",
    "insolvency_case_number": "Insolvency case",
}

# Events that move money on the statement: (the amount field, +1 owed more, -1 owed less).
STATEMENT_LINES = {
    "CaseOpened": ("amount", 1), "PenaltyApplied": ("amount", 1),
    "PaymentReceived": ("amount", -1), "PenaltyWaived": ("amount", -1),
    "CaseSettled": ("released", -1), "WrittenOff": ("amount", -1),
}
TOTALS = (("Principal", "principal", ""), ("Penalties", "penalties", "+"),
          ("Payments", "paid", "−"), ("Waivers", "waived", "−"),
          ("Write-offs", "written_off", "−"), ("Balance outstanding", "outstanding", "="))

_TEMPLATES = Environment(loader=PackageLoader("application.bundles", "templates"),
                         autoescape=select_autoescape(default=True), trim_blocks=True,
                         lstrip_blocks=True)


def moment(value: datetime | str) -> str:
    """A recorded time to the second: 2026-01-31 14:05:09 UTC."""
    stamp = datetime.fromisoformat(value) if isinstance(value, str) else value
    return stamp.strftime("%Y-%m-%d %H:%M:%S UTC")


def source_document(record: Record) -> str:
    """The documents an event rests on: references, and an attached file's name and hash."""
    data = record["data"]
    parts = [f"Invoice {data['invoice_number']}"] if record["type"] == "CaseOpened" else []
    parts += [f"{label} {data[name]}".strip() for name, label in SOURCE_FIELDS.items()
              if data.get(name)]
    if data.get("name") and data.get("sha256"):
        parts.append(f"{data['name']} (SHA-256 {data['sha256'][:16]}…)")
    return "; ".join(parts)


def entries(records: Sequence[Record], hashes: Mapping[int, str]) -> list[dict[str, Any]]:
    """The chronology's rows, in the timeline's order, each with its recorded time and hash."""
    return [{"version": e["version"], "occurred_on": e["occurred_on"], "event": e["summary"],
             "type": e["type"], "who": e["actor"], "source": source_document(e),
             "recorded_at": moment(e["recorded_at"]), "hash": hashes[e["version"]],
             "backdated": e["backdated"]} for e in chronology(records)]


def statement(case: Record, records: Sequence[Record]) -> dict[str, Any]:
    """The statement of account: each movement of money by date, then the case's totals."""
    currency = case["currency"]
    items = []
    for e in chronology(records):
        if e["type"] not in STATEMENT_LINES:
            continue
        name, sign = STATEMENT_LINES[e["type"]]
        amount = Decimal(e["data"][name]["amount"])
        items.append({"occurred_on": e["occurred_on"], "item": e["summary"],
                      "debit": money(amount, currency) if sign > 0 else "",
                      "credit": money(amount, currency) if sign < 0 else ""})
    totals = [{"label": label, "op": op, "amount": money(case["balance"][key], currency)}
              for label, key, op in TOTALS]
    return {"items": items, "totals": totals}


def view(case: Record, records: Sequence[Record], hashes: Mapping[int, str], *,
         created_at: datetime, checkpoint: Checkpoint | None, key_id: str) -> dict[str, Any]:
    """Everything the template shows."""
    version = max(hashes)
    return {"case": case, "debtor": case["debtor"],
            "principal": money(case["balance"]["principal"], case["currency"]),
            "created_at": moment(created_at), "created_iso": created_at.isoformat(),
            "covers": plural(version, "event"),
            "head": hashes[version], "checkpoint": checkpoint, "key_id": key_id,
            "entries": entries(records, hashes), "statement": statement(case, records)}


def render_html(context: Mapping[str, Any]) -> str:
    return _TEMPLATES.get_template("chronology.html").render(**context)


def _no_fetching(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise ValueError(f"the chronology loads nothing from outside ({url})")


def _fetcher() -> Any:
    """A URL fetcher that fetches nothing: the chronology is made of its own text alone."""
    try:
        from weasyprint.urls import URLFetcher
    except ImportError:  # WeasyPrint before 68 takes a plain function
        return _no_fetching
    return URLFetcher(allowed_protocols=())


def render_pdf(html: str) -> bytes:
    """The HTML as a PDF (WeasyPrint needs Pango: scripts/ensure-pdf installs it)."""
    from weasyprint import HTML  # imported here: only producing a bundle needs Pango

    return HTML(string=html, url_fetcher=_fetcher()).write_pdf()
