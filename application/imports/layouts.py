"""Which column is which: the fields an import reads, and the layouts recognised by their
headers (the generic template and the open-invoice reports of common accounting packages).

A layout names, for each field, the headers that mean it (compared case-insensitively,
spaces and a byte-order mark ignored). A file whose header row has every required header of a
layout is read with that layout; a mapping file (`mapping.py`) names the columns otherwise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum


class Column(StrEnum):
    """The fields of an imported invoice, as mapping files name them."""

    INVOICE_NUMBER = "invoice_number"
    DEBTOR_NAME = "debtor_name"
    DEBTOR_EMAIL = "debtor_email"
    DEBTOR_PHONE = "debtor_phone"
    DEBTOR_ADDRESS = "debtor_address"
    ISSUE_DATE = "issue_date"
    DUE_DATE = "due_date"
    CURRENCY = "currency"
    AMOUNT_DUE = "amount_due"
    CREDITOR = "creditor"
    BUYER_REFERENCE = "buyer_reference"
    DOCUMENT_TYPE = "document_type"


REQUIRED = (Column.INVOICE_NUMBER, Column.DEBTOR_NAME, Column.ISSUE_DATE, Column.AMOUNT_DUE)
# What a document-type column may say: words of the packages below ('' : an invoice).
INVOICE_WORDS = frozenset({"", "invoice", "si", "sales invoice", "accrec"})
CREDIT_WORDS = frozenset({"credit_note", "credit note", "credit memo", "sc", "accreccredit",
                          "sales credit note"})


def header_key(text: object) -> str:
    """A header as compared: no BOM, case-folded, inner spaces collapsed."""
    return re.sub(r"\s+", " ", str(text or "").replace("\ufeff", "")).strip().casefold()


@dataclass(frozen=True)
class Layout:
    """A named set of headers; `source` says where the header names come from."""

    name: str
    source: str
    headers: dict[Column, tuple[str, ...]]
    required: tuple[Column, ...] = REQUIRED
    locale: str | None = None
    extra: dict[str, str] = field(default_factory=dict)

    def columns(self, header_row: list[str]) -> dict[Column, int] | None:
        """Field → column index for this header row, or None when a required one is missing."""
        index = {header_key(h): i for i, h in reversed(list(enumerate(header_row)))}
        found = {}
        for column, names in self.headers.items():
            for name in names:
                if header_key(name) in index:
                    found[column] = index[header_key(name)]
                    break
        return found if all(c in found for c in self.required) else None


# The generic template: documented in README ("Invoices in"); the field names themselves.
GENERIC = Layout("generic", "Arrears' own template (README, Invoices in)",
                 {c: (c.value,) for c in Column},
                 required=(*REQUIRED, Column.DUE_DATE, Column.CURRENCY))

# Xero's invoice export / import template (Business > Invoices > Export): the column names of
# Xero's sales-invoice CSV template, as documented for example by Milient/Moment's "Xero"
# export page (docs.milientsoftware.com, file-export-accounting-system/xero): ContactName,
# EmailAddress, POAddressLine1, InvoiceNumber, Reference, InvoiceDate, DueDate, Total,
# InvoiceAmountPaid, InvoiceAmountDue, Currency, Type, Status. Xero writes DD/MM/YYYY dates
# for UK organisations; the locale is not assumed (an ambiguous date asks for --locale).
XERO = Layout("xero", "Xero invoice export (sales invoice CSV template)", {
    Column.INVOICE_NUMBER: ("InvoiceNumber", "*InvoiceNumber"),
    Column.DEBTOR_NAME: ("ContactName", "*ContactName"),
    Column.DEBTOR_EMAIL: ("EmailAddress",),
    Column.DEBTOR_ADDRESS: ("POAddressLine1",),
    Column.ISSUE_DATE: ("InvoiceDate", "*InvoiceDate"),
    Column.DUE_DATE: ("DueDate", "*DueDate"),
    Column.AMOUNT_DUE: ("InvoiceAmountDue", "AmountDue"),
    Column.CURRENCY: ("Currency",),
    Column.BUYER_REFERENCE: ("Reference",),
    Column.DOCUMENT_TYPE: ("Type",),
})

# QuickBooks Online, Reports > Customers > "Open Invoices" (exported to CSV or Excel): one row
# per open invoice or credit memo under a title block, with the columns Date, Transaction
# type, Num, Customer, Due date, Amount and Open balance (as the report shows them; see
# e.g. the qbmis.com "Customer Balance & Open Invoices Reports Guide"). It has no currency
# column: a mapping file's `currency` (or an amount's symbol) supplies it.
QUICKBOOKS = Layout("quickbooks", "QuickBooks Online Open Invoices report", {
    Column.INVOICE_NUMBER: ("Num", "No."),
    Column.DEBTOR_NAME: ("Customer", "Customer full name"),
    Column.ISSUE_DATE: ("Date",),
    Column.DUE_DATE: ("Due date", "Due Date"),
    Column.AMOUNT_DUE: ("Open balance", "Open Balance"),
    Column.DOCUMENT_TYPE: ("Transaction type", "Type"),
    Column.CURRENCY: ("Currency",),
})

# Sage 50 Accounts (UK): the sales ledger's transaction headers (the AUDIT_HEADER table that
# Sage's ODBC driver and report exports give), per Zynk's "Sage 50 UK AUDIT_HEADER Columns"
# (docs.zynk.com, sage-50-uk-schema): TYPE (SI invoice, SC credit note), DATE, ACCOUNT_REF,
# INV_REF, DETAILS, DUE_DATE, GROSS_AMOUNT, OUTSTANDING. The debtor is the account reference
# unless a NAME column is there. Sage writes DD/MM/YYYY.
SAGE = Layout("sage50", "Sage 50 Accounts sales transactions (AUDIT_HEADER)", {
    Column.INVOICE_NUMBER: ("INV_REF",),
    Column.DEBTOR_NAME: ("NAME", "ACCOUNT_REF"),
    Column.ISSUE_DATE: ("DATE",),
    Column.DUE_DATE: ("DUE_DATE",),
    Column.AMOUNT_DUE: ("FOREIGN_OUTSTANDING", "OUTSTANDING"),
    Column.DOCUMENT_TYPE: ("TYPE",),
    Column.BUYER_REFERENCE: ("DETAILS",),
    Column.CURRENCY: ("CURRENCY_CODE",),
})

KNOWN_LAYOUTS = (GENERIC, XERO, QUICKBOOKS, SAGE)


def recognise(header_row: list[str]) -> tuple[Layout, dict[Column, int]] | None:
    """The first known layout whose required headers the row has."""
    for layout in KNOWN_LAYOUTS:
        columns = layout.columns(header_row)
        if columns is not None:
            return layout, columns
    return None
