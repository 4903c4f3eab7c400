"""E-invoices per EN 16931 as imported invoices: UBL 2.1 Invoice and CreditNote (Peppol BIS
Billing 3.0) and UN/CEFACT CII CrossIndustryInvoice (XRechnung, ZUGFeRD / Factur-X).

The business terms read: BT-1 number, BT-2 issue date, BT-3 type (CII 381 credit note),
BT-5 currency, BT-9 due date (else BT-20 payment terms "... 30 days ..."), BT-10 buyer
reference, BT-25 the invoice a credit note credits, BT-27 seller name (the creditor), BT-44
buyer name (the debtor) with BT-49/BT-58 email, BT-57 phone and the buyer's postal address
(BT-50..BT-55), BT-115 amount due for payment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from xml.etree.ElementTree import Element

from application.imports.values import DocumentType, ImportedInvoice, ImportRefused, Row, RowError
from application.imports.xmlsafe import local_name
from application.parsing import parse_amount, parse_currency, parse_date, parse_text
from domain.errors import InvalidValue
from domain.values import Debtor

UBL_INVOICE = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
UBL_CREDIT_NOTE = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
CII = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
NS = {
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "rsm": CII,
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
}
CII_CREDIT_NOTE = "381"
CII_INVOICES = {"380", "383", "384", "386", "389", "751", "875", "876", "877"}
TERMS_DAYS = re.compile(r"(\d{1,3})\s*(?:days?|tage?n?|jours?|d[ií]as|giorni|dagen)", re.I)


def schema_of(name: str, root: Element) -> str:
    """'ubl' or 'cii', or ImportRefused for XML of another schema."""
    namespace, tag = local_name(root.tag)
    if (namespace, tag) in ((UBL_INVOICE, "Invoice"), (UBL_CREDIT_NOTE, "CreditNote")):
        return "ubl"
    if (namespace, tag) == (CII, "CrossIndustryInvoice"):
        return "cii"
    raise ImportRefused(f"{name}: XML of another schema (root element '{tag}' in namespace "
                        f"'{namespace or 'none'}'); Arrears reads UBL 2.1 Invoice or "
                        "CreditNote and UN/CEFACT CII CrossIndustryInvoice")


@dataclass(frozen=True)
class Reader:
    """Reads terms from one document; each refusal names the element it read."""

    source: str
    root: Element
    today: date

    def text(self, path: str) -> str:
        found = self.root.find(path, NS)
        return "" if found is None or found.text is None else found.text.strip()

    def required(self, path: str, field: str) -> str:
        value = self.text(path)
        if not value:
            raise Refusal(path, field, "is missing (required)")
        return value

    def day(self, path: str, field: str, compact: bool = False) -> date | None:
        raw = self.text(path)
        if not raw:
            return None
        if compact and re.fullmatch(r"\d{8}", raw):  # CII format 102: YYYYMMDD
            raw = f"{raw[:4]}-{raw[4:6]}-{raw[6:]}"
        return self.checked(path, parse_date, raw, field, self.today)

    def checked(self, path: str, parse, *args, **kwargs):  # type: ignore[no-untyped-def]
        try:
            return parse(*args, **kwargs)
        except InvalidValue as error:
            raise Refusal(path, error.field or "", error.message) from None


class Refusal(Exception):
    def __init__(self, path: str, field: str, reason: str) -> None:
        super().__init__(reason)
        self.path, self.field, self.reason = path, field, reason


def read_einvoice(source: str, root: Element, today: date) -> Row:
    reader = Reader(source, root, today)
    schema = schema_of(source, root)
    try:
        return _ubl(reader) if schema == "ubl" else _cii(reader)
    except Refusal as refusal:
        return RowError(source, f"element {refusal.path}", refusal.field, refusal.reason,
                        reader.text("cbc:ID") or reader.text("rsm:ExchangedDocument/ram:ID"))


def _finish(r: Reader, kind: DocumentType, fields: dict[str, tuple[str, str]],
            due: date | None, terms: str, amount_path: str, credited: str) -> ImportedInvoice:
    """The common part: texts, currency, amount, dates (BT-20 when BT-9 is missing)."""
    texts = {name: r.checked(path, parse_text, value, name)
             for name, (path, value) in fields.items()}
    currency_path, _ = fields["currency"]
    currency = r.checked(currency_path, parse_currency, texts["currency"])
    amount = r.checked(amount_path, parse_amount, r.required(amount_path, "amount_due"),
                       "amount_due", currency=currency)
    issue = r.day(fields["issue_date"][0], "issue_date",
                  compact=fields["issue_date"][0].startswith("rsm:"))
    if issue is None:
        raise Refusal(fields["issue_date"][0], "issue_date", "is missing (required)")
    warnings: tuple[str, ...] = ()
    if due is None and (days := TERMS_DAYS.search(terms or "")):
        due = issue + timedelta(days=int(days.group(1)))
        warnings = (f"no due date (BT-9): {days.group(1)} days from the payment terms "
                    "(BT-20)",)
    debtor = Debtor(name=texts["debtor.name"], email=texts["debtor.email"],
                    phone=texts["debtor.phone"], address=texts["debtor.address"])
    return ImportedInvoice(r.source, "document", kind, texts["creditor"],
                           texts["invoice_number"], debtor, currency, amount, issue, due,
                           texts["buyer_reference"], credited, warnings)


def _ubl(r: Reader) -> ImportedInvoice:
    credit = local_name(r.root.tag)[1] == "CreditNote"
    buyer = "cac:AccountingCustomerParty/cac:Party/"
    fields = {
        "invoice_number": ("cbc:ID", r.required("cbc:ID", "invoice_number")),
        "issue_date": ("cbc:IssueDate", ""),
        "currency": ("cbc:DocumentCurrencyCode",
                     r.required("cbc:DocumentCurrencyCode", "currency")),
        "creditor": _first(r, "cac:AccountingSupplierParty/cac:Party/",
                           ("cac:PartyLegalEntity/cbc:RegistrationName",
                            "cac:PartyName/cbc:Name"), "creditor"),
        "debtor.name": _first(r, buyer, ("cac:PartyLegalEntity/cbc:RegistrationName",
                                         "cac:PartyName/cbc:Name"), "debtor.name"),
        "debtor.email": (buyer + "cac:Contact/cbc:ElectronicMail",
                         r.text(buyer + "cac:Contact/cbc:ElectronicMail")),
        "debtor.phone": (buyer + "cac:Contact/cbc:Telephone",
                         r.text(buyer + "cac:Contact/cbc:Telephone")),
        "debtor.address": (buyer + "cac:PostalAddress", _ubl_address(r, buyer)),
        "buyer_reference": ("cbc:BuyerReference", r.text("cbc:BuyerReference")),
    }
    due_path = "cac:PaymentMeans/cbc:PaymentDueDate" if credit else "cbc:DueDate"
    due = r.day(due_path, "due_date") or r.day("cac:PaymentMeans/cbc:PaymentDueDate",
                                               "due_date")
    credited = r.text("cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID")
    return _finish(r, DocumentType.CREDIT_NOTE if credit else DocumentType.INVOICE, fields,
                   due, r.text("cac:PaymentTerms/cbc:Note"),
                   "cac:LegalMonetaryTotal/cbc:PayableAmount", credited)


def _ubl_address(r: Reader, buyer: str) -> str:
    address = buyer + "cac:PostalAddress/"
    parts = [r.text(address + p) for p in ("cbc:StreetName", "cbc:AdditionalStreetName",
                                           "cbc:PostalZone", "cbc:CityName",
                                           "cac:Country/cbc:IdentificationCode")]
    return ", ".join(p for p in parts if p)


def _cii(r: Reader) -> ImportedInvoice:
    doc = "rsm:ExchangedDocument/"
    deal = "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement/"
    pay = "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement/"
    buyer = deal + "ram:BuyerTradeParty/"
    type_code = r.required(doc + "ram:TypeCode", "document_type")
    if type_code != CII_CREDIT_NOTE and type_code not in CII_INVOICES:
        raise Refusal(doc + "ram:TypeCode", "document_type",
                      f"'{type_code[:10]}' is neither an invoice (380) nor a credit note (381)")
    email = (r.text(buyer + "ram:DefinedTradeContact/ram:EmailURIUniversalCommunication/"
                    "ram:URIID") or r.text(buyer + "ram:URIUniversalCommunication/ram:URIID"))
    fields = {
        "invoice_number": (doc + "ram:ID", r.required(doc + "ram:ID", "invoice_number")),
        "issue_date": ("rsm:ExchangedDocument/ram:IssueDateTime/udt:DateTimeString", ""),
        "currency": (pay + "ram:InvoiceCurrencyCode",
                     r.required(pay + "ram:InvoiceCurrencyCode", "currency")),
        "creditor": (deal + "ram:SellerTradeParty/ram:Name",
                     r.required(deal + "ram:SellerTradeParty/ram:Name", "creditor")),
        "debtor.name": (buyer + "ram:Name", r.required(buyer + "ram:Name", "debtor.name")),
        "debtor.email": (buyer + "ram:DefinedTradeContact", email),
        "debtor.phone": (buyer + "ram:DefinedTradeContact", r.text(
            buyer + "ram:DefinedTradeContact/ram:TelephoneUniversalCommunication/"
                    "ram:CompleteNumber")),
        "debtor.address": (buyer + "ram:PostalTradeAddress", _cii_address(r, buyer)),
        "buyer_reference": (deal + "ram:BuyerReference", r.text(deal + "ram:BuyerReference")),
    }
    terms = pay + "ram:SpecifiedTradePaymentTerms/"
    due = r.day(terms + "ram:DueDateDateTime/udt:DateTimeString", "due_date", compact=True)
    credited = r.text(pay + "ram:InvoiceReferencedDocument/ram:IssuerAssignedID")
    kind = DocumentType.CREDIT_NOTE if type_code == CII_CREDIT_NOTE else DocumentType.INVOICE
    return _finish(r, kind, fields, due, r.text(terms + "ram:Description"),
                   pay + "ram:SpecifiedTradeSettlementHeaderMonetarySummation/"
                         "ram:DuePayableAmount", credited)


def _cii_address(r: Reader, buyer: str) -> str:
    address = buyer + "ram:PostalTradeAddress/"
    parts = [r.text(address + p) for p in ("ram:LineOne", "ram:LineTwo", "ram:PostcodeCode",
                                           "ram:CityName", "ram:CountryID")]
    return ", ".join(p for p in parts if p)


def _first(r: Reader, base: str, paths: tuple[str, ...], field: str) -> tuple[str, str]:
    for path in paths:
        if value := r.text(base + path):
            return base + path, value
    raise Refusal(base + paths[0], field, "is missing (required)")
