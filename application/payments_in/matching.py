"""Which open invoices a credit pays, decided without I/O.

In this order:
1. invoice numbers, or ISO 11649 creditor references (RF + check digits + the invoice
   number's letters and digits), found in the remittance. Several named invoices share
   the credit: by the amounts of the remittance's structured blocks when it gives them,
   else oldest due date first.
2. else the debtor's name (normalised) and an open invoice whose outstanding amount is
   exactly the credit.
A credit that names an invoice of several creditors, finds several invoices by name and
amount, pays more than the named invoices owe, or matches nothing goes to review.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from uuid import UUID

from application.payments_in.credits import Credit
from application.payments_in.rf import is_valid_rf, rf_body, rf_references

LEGAL_FORMS = {"ltd", "limited", "plc", "llp", "llc", "inc", "gmbh", "ag", "kg", "ug", "sa",
               "sarl", "sas", "bv", "nv", "co", "company", "corp", "the"}


class Reason(StrEnum):
    UNMATCHED = "unmatched"
    AMBIGUOUS = "ambiguous"
    OVERPAYING = "overpaying"
    REFUSED = "refused"  # a case refused the payment when it was recorded


@dataclass(frozen=True)
class OpenInvoice:
    case_id: UUID
    creditor: str
    invoice_number: str
    debtor_name: str
    currency: str
    outstanding: Decimal
    due_date: date


@dataclass(frozen=True)
class Part:
    invoice: OpenInvoice
    amount: Decimal


@dataclass(frozen=True)
class Match:
    parts: tuple[Part, ...]
    by: str  # "reference" or "name and amount"


@dataclass(frozen=True)
class Review:
    reason: Reason
    detail: str


def normalised_name(name: str) -> str:
    """Case, accents, punctuation and legal forms (Ltd, GmbH...) left out."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()
    words = re.sub(r"[^a-z0-9]+", " ", plain.replace("&", " and ")).split()
    return " ".join(w for w in words if w not in LEGAL_FORMS)


def _compact(text: str) -> str:
    return "".join(c for c in text.upper() if c.isalnum())


def named_in(credit: Credit, invoice_number: str) -> bool:
    """The remittance writes the number as a whole token, or an RF reference built on it."""
    pattern = rf"(?<![A-Za-z0-9]){re.escape(invoice_number)}(?![A-Za-z0-9])"
    if re.search(pattern, credit.search_text, re.IGNORECASE):
        return True
    return any(is_valid_rf(rf) and rf_body(rf) == _compact(invoice_number)
               for rf in rf_references(credit.search_text))


def match(credit: Credit, invoices: list[OpenInvoice]) -> Match | Review:
    """The invoices the credit pays, or why a person must look at it."""
    same_currency = [i for i in invoices if i.currency == credit.currency]
    named = [i for i in same_currency if named_in(credit, i.invoice_number)]
    if named:
        return _split(credit, named)
    payer = normalised_name(credit.debtor_name)
    by_name = [i for i in same_currency if payer and normalised_name(i.debtor_name) == payer]
    exact = [i for i in by_name if i.outstanding == credit.amount]
    if len(exact) == 1:
        return Match((Part(exact[0], credit.amount),), "name and amount")
    if exact:
        return Review(Reason.AMBIGUOUS, f"{len(exact)} open invoices of "
                      f"{credit.debtor_name} owe exactly {credit.amount} {credit.currency}: "
                      + ", ".join(i.invoice_number for i in exact))
    return Review(Reason.UNMATCHED, _unmatched(credit, by_name))


def _unmatched(credit: Credit, by_name: list[OpenInvoice]) -> str:
    bad_rf = [rf for rf in rf_references(credit.search_text) if not is_valid_rf(rf)]
    if bad_rf:
        return f"the creditor reference {bad_rf[0]} fails its check digits"
    if by_name:
        return (f"no invoice named in the remittance, and no open invoice of "
                f"{credit.debtor_name} owes exactly {credit.amount} {credit.currency}")
    who = credit.debtor_name or "an unnamed payer"
    return f"no invoice named in the remittance, and {who} owes nothing open"


def _split(credit: Credit, named: list[OpenInvoice]) -> Match | Review:
    numbers = [i.invoice_number.casefold() for i in named]
    clashes = sorted({n for n in numbers if numbers.count(n) > 1})
    if clashes:
        return Review(Reason.AMBIGUOUS, f"invoice {clashes[0]} is open for several "
                      "creditors")
    given = {r.number.casefold(): r.amount for r in credit.remitted if r.amount is not None}
    if given and all(i.invoice_number.casefold() in given for i in named):
        parts = [Part(i, given[i.invoice_number.casefold()]) for i in named]
        return _checked(credit, parts)
    parts, left = [], credit.amount
    for invoice in sorted(named, key=lambda i: (i.due_date, i.invoice_number)):
        share = min(left, invoice.outstanding)
        if share > 0:
            parts.append(Part(invoice, share))
        left -= share
    if left > 0:
        return Review(Reason.OVERPAYING, f"pays {left} {credit.currency} more than "
                      + ", ".join(i.invoice_number for i in named) + " owe")
    return Match(tuple(parts), "reference")


def _checked(credit: Credit, parts: list[Part]) -> Match | Review:
    total = sum((p.amount for p in parts), Decimal(0))
    if total != credit.amount:
        return Review(Reason.AMBIGUOUS, f"the remittance's amounts add up to {total}, "
                      f"the credit is {credit.amount} {credit.currency}")
    over = [p for p in parts if p.amount > p.invoice.outstanding]
    if over:
        return Review(Reason.OVERPAYING, f"pays {over[0].amount} on "
                      f"{over[0].invoice.invoice_number}, which owes "
                      f"{over[0].invoice.outstanding}")
    return Match(tuple(p for p in parts if p.amount > 0), "reference")
