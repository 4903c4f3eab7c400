"""Invoice files the import tests write themselves: CSV, XLSX, UBL 2.1, CII, Factur-X PDF."""

from __future__ import annotations

import io
from datetime import date

GENERIC_HEADER = ("invoice_number", "debtor_name", "debtor_email", "issue_date", "due_date",
                  "currency", "amount_due")


def csv_bytes(rows: list[tuple[str, ...]], header: tuple[str, ...] = GENERIC_HEADER,
              delimiter: str = ",", bom: bool = False) -> bytes:
    def line(cells: tuple[str, ...]) -> str:
        return delimiter.join(f'"{c}"' if delimiter in c or '"' in c else c for c in cells)

    text = "\r\n".join(line(r) for r in [header, *rows]) + "\r\n"
    return ("\ufeff" if bom else "").encode() + text.encode()


def xlsx_bytes(rows: list[tuple[object, ...]], header: tuple[str, ...] = GENERIC_HEADER,
               title: tuple[str, ...] = ()) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for line in title:
        sheet.append([line])
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def ubl_invoice(number: str, *, seller: str = "Demo Creditor Ltd",
                buyer: str = "Harbour Lights Cafe Ltd", email: str = "ap@harbour.example",
                issued: date = date(2026, 1, 5), due: date | None = date(2026, 2, 4),
                currency: str = "EUR", payable: str = "1190.00", terms: str = "",
                credit_for: str = "") -> bytes:
    """A UBL 2.1 Invoice (or CreditNote, when `credit_for` names the invoice credited)."""
    root = "CreditNote" if credit_for else "Invoice"
    due_xml = "" if due is None or credit_for else f"<cbc:DueDate>{due}</cbc:DueDate>"
    billing = (f"<cac:BillingReference><cac:InvoiceDocumentReference><cbc:ID>{credit_for}"
               "</cbc:ID></cac:InvoiceDocumentReference></cac:BillingReference>"
               if credit_for else "")
    terms_xml = f"<cac:PaymentTerms><cbc:Note>{terms}</cbc:Note></cac:PaymentTerms>" \
        if terms else ""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<{root} xmlns="urn:oasis:names:specification:ubl:schema:xsd:{root}-2"
 xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
 xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
 <cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0</cbc:CustomizationID>
 <cbc:ID>{number}</cbc:ID>
 <cbc:IssueDate>{issued}</cbc:IssueDate>
 {due_xml}
 <cbc:DocumentCurrencyCode>{currency}</cbc:DocumentCurrencyCode>
 <cbc:BuyerReference>PO-77</cbc:BuyerReference>
 {billing}
 <cac:AccountingSupplierParty><cac:Party><cac:PartyLegalEntity>
  <cbc:RegistrationName>{seller}</cbc:RegistrationName></cac:PartyLegalEntity></cac:Party>
 </cac:AccountingSupplierParty>
 <cac:AccountingCustomerParty><cac:Party>
  <cac:PostalAddress><cbc:StreetName>1 Quay Street</cbc:StreetName>
   <cbc:CityName>Bristol</cbc:CityName><cbc:PostalZone>BS1 4XE</cbc:PostalZone>
   <cac:Country><cbc:IdentificationCode>GB</cbc:IdentificationCode></cac:Country>
  </cac:PostalAddress>
  <cac:PartyLegalEntity><cbc:RegistrationName>{buyer}</cbc:RegistrationName></cac:PartyLegalEntity>
  <cac:Contact><cbc:Telephone>+44 117 496 0000</cbc:Telephone>
   <cbc:ElectronicMail>{email}</cbc:ElectronicMail></cac:Contact>
 </cac:Party></cac:AccountingCustomerParty>
 {terms_xml}
 <cac:LegalMonetaryTotal>
  <cbc:TaxInclusiveAmount currencyID="{currency}">{payable}</cbc:TaxInclusiveAmount>
  <cbc:PayableAmount currencyID="{currency}">{payable}</cbc:PayableAmount>
 </cac:LegalMonetaryTotal>
</{root}>""".encode()


def cii_invoice(number: str, *, seller: str = "Demo Creditor Ltd",
                buyer: str = "Bäckerei Sonnenschein GmbH", email: str = "buchhaltung@sonne.example",
                issued: str = "20260105", due: str | None = "20260204", currency: str = "EUR",
                payable: str = "2380.00", type_code: str = "380", credit_for: str = "") -> bytes:
    """A UN/CEFACT CII invoice as XRechnung and Factur-X carry it (type 381: credit note)."""
    due_xml = "" if due is None else (
        "<ram:SpecifiedTradePaymentTerms><ram:DueDateDateTime>"
        f'<udt:DateTimeString format="102">{due}</udt:DateTimeString>'
        "</ram:DueDateDateTime></ram:SpecifiedTradePaymentTerms>")
    referenced = (f"<ram:InvoiceReferencedDocument><ram:IssuerAssignedID>{credit_for}"
                  "</ram:IssuerAssignedID></ram:InvoiceReferencedDocument>" if credit_for else "")
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rsm:CrossIndustryInvoice
 xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
 xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
 xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">
 <rsm:ExchangedDocumentContext><ram:GuidelineSpecifiedDocumentContextParameter>
  <ram:ID>urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0</ram:ID>
 </ram:GuidelineSpecifiedDocumentContextParameter></rsm:ExchangedDocumentContext>
 <rsm:ExchangedDocument>
  <ram:ID>{number}</ram:ID><ram:TypeCode>{type_code}</ram:TypeCode>
  <ram:IssueDateTime>
   <udt:DateTimeString format="102">{issued}</udt:DateTimeString>
  </ram:IssueDateTime>
 </rsm:ExchangedDocument>
 <rsm:SupplyChainTradeTransaction>
  <ram:ApplicableHeaderTradeAgreement>
   <ram:BuyerReference>04011000-12345-34</ram:BuyerReference>
   <ram:SellerTradeParty><ram:Name>{seller}</ram:Name></ram:SellerTradeParty>
   <ram:BuyerTradeParty><ram:Name>{buyer}</ram:Name>
    <ram:DefinedTradeContact>
     <ram:TelephoneUniversalCommunication>
      <ram:CompleteNumber>+49 30 1234567</ram:CompleteNumber>
     </ram:TelephoneUniversalCommunication>
     <ram:EmailURIUniversalCommunication>
      <ram:URIID>{email}</ram:URIID>
     </ram:EmailURIUniversalCommunication>
    </ram:DefinedTradeContact>
    <ram:PostalTradeAddress><ram:PostcodeCode>10115</ram:PostcodeCode>
     <ram:LineOne>Brotstraße 1</ram:LineOne><ram:CityName>Berlin</ram:CityName>
     <ram:CountryID>DE</ram:CountryID></ram:PostalTradeAddress>
   </ram:BuyerTradeParty>
  </ram:ApplicableHeaderTradeAgreement>
  <ram:ApplicableHeaderTradeDelivery/>
  <ram:ApplicableHeaderTradeSettlement>
   <ram:InvoiceCurrencyCode>{currency}</ram:InvoiceCurrencyCode>
   {referenced}
   {due_xml}
   <ram:SpecifiedTradeSettlementHeaderMonetarySummation>
    <ram:GrandTotalAmount>{payable}</ram:GrandTotalAmount>
    <ram:DuePayableAmount>{payable}</ram:DuePayableAmount>
   </ram:SpecifiedTradeSettlementHeaderMonetarySummation>
  </ram:ApplicableHeaderTradeSettlement>
 </rsm:SupplyChainTradeTransaction>
</rsm:CrossIndustryInvoice>""".encode()


def rendered_pdf(text: str = "Rechnung") -> bytes:
    """A PDF the project renders (WeasyPrint), without any invoice embedded."""
    from weasyprint import HTML

    return HTML(string=f"<h1>{text}</h1><p>Bitte zahlen Sie bis zum Fälligkeitsdatum.</p>"
                ).write_pdf()


def facturx_pdf(xml: bytes) -> bytes:
    """A Factur-X PDF/A-3: the CII invoice embedded in a rendered PDF by `factur-x`."""
    from facturx import generate_from_binary

    return generate_from_binary(rendered_pdf(), xml, check_xsd=False)
