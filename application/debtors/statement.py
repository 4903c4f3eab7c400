"""A debtor's statement of account: every open invoice with its penalties, payments, credits
(waived or written off) and balance, grouped and totalled per currency (never added across
currencies). One Jinja template, as HTML (the debtor's statement page) and, by WeasyPrint, as
PDF (`arrears statement`), as the evidence bundle's chronology is made.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from application.bundles.chronology import render_pdf
from application.wording import money

COLUMNS = ("principal", "penalties", "paid", "credited", "outstanding")

_TEMPLATES = Environment(loader=PackageLoader("application.debtors", "templates"),
                         autoescape=select_autoescape(default=True), trim_blocks=True,
                         lstrip_blocks=True)


@dataclass
class CurrencySection:
    """The open invoices in one currency, and their totals."""

    currency: str
    lines: list[dict[str, Any]] = field(default_factory=list)
    totals: dict[str, Decimal] = field(default_factory=dict)


def line(case: Mapping[str, Any]) -> dict[str, Any]:
    """One invoice's row: its figures as the case summary holds them."""
    return {"invoice_number": case["invoice_number"], "creditor": case["creditor"],
            "issue_date": case["issue_date"], "due_date": case["due_date"],
            "days_overdue": case["days_overdue"], "principal": case["principal"],
            "penalties": case["penalties"], "paid": case["paid"],
            "credited": case["waived"] + case["written_off"],
            "outstanding": case["outstanding"]}


def sections(cases: Sequence[Mapping[str, Any]]) -> list[CurrencySection]:
    """The open cases by currency (alphabetical), oldest due first within each."""
    by_currency: dict[str, CurrencySection] = {}
    for case in sorted((c for c in cases if not c["is_closed"]),
                       key=lambda c: (c["due_date"], c["invoice_number"])):
        section = by_currency.setdefault(case["currency"], CurrencySection(case["currency"]))
        row = line(case)
        section.lines.append(row)
        for name in COLUMNS:
            section.totals[name] = section.totals.get(name, Decimal(0)) + row[name]
    return [by_currency[c] for c in sorted(by_currency)]


def statement_html(debtor: Mapping[str, Any], today: date) -> str:
    return _TEMPLATES.get_template("statement.html").render(
        debtor=debtor, today=today, sections=sections(debtor["cases"]), columns=COLUMNS,
        money=money)


def statement_pdf(debtor: Mapping[str, Any], today: date) -> bytes:
    return render_pdf(statement_html(debtor, today))
