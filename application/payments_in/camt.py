"""ISO 20022 bank-to-customer statements (camt.053) and notifications (camt.054).

Parsed with defusedxml: a DTD, entity or external reference is refused, nothing is
fetched. Elements are found by their local names under the document's namespace, so the
versions in use (camt.05x.001.02 to .13) read alike. Only booked credits are taken
(CdtDbtInd CRDT; Sts BOOK, or Sts/Cd BOOK from version .08 on); debits and pending
entries are skipped.

The bank's reference of a credit (with the statement's account, its identity): the
entry's AcctSvcrRef, else its NtryRef; an entry batching several transactions gives one
credit per TxDtls, referenced by the transaction's AcctSvcrRef, else the entry's reference
and the transaction's EndToEndId, else the entry's reference and the transaction's place.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from application.parsing import parse_amount, parse_currency, parse_date, parse_text
from application.payments_in.credits import Credit, Refusal, Remitted, Statement
from domain.errors import InvalidValue

MAX_BYTES = 50 * 1024 * 1024
NAMESPACE = re.compile(r"urn:iso:std:iso:20022:tech:xsd:camt\.(053|054)\.001\.(\d{2})")
VERSIONS = range(2, 14)
ROOTS = {"053": ("BkToCstmrStmt", "Stmt"), "054": ("BkToCstmrDbtCdtNtfctn", "Ntfctn")}
NOT_PROVIDED = "NOTPROVIDED"


class NotCamt(ValueError):
    """The file is not a camt.053 or camt.054 document (the message says what it is)."""


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


class Reader:
    """Finds children by local name under one namespace."""

    def __init__(self, namespace: str) -> None:
        self.ns = namespace

    def all(self, node: Element | None, path: str) -> list[Element]:
        if node is None:
            return []
        return node.findall("/".join(f"{{{self.ns}}}{p}" for p in path.split("/")))

    def one(self, node: Element | None, path: str) -> Element | None:
        found = self.all(node, path)
        return found[0] if found else None

    def text(self, node: Element | None, path: str) -> str:
        found = self.one(node, path)
        return (found.text or "").strip() if found is not None else ""


def document(content: bytes) -> tuple[Element, str, str]:
    """The statements' parent element, its namespace and kind ('053' or '054')."""
    if len(content) > MAX_BYTES:
        raise NotCamt(f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB")
    try:
        root = fromstring(content, forbid_dtd=True)
    except DefusedXmlException as error:
        raise NotCamt("the XML declares a DTD, entities or external references "
                      f"({type(error).__name__}); such files are refused") from None
    except ParseError as error:
        raise NotCamt(f"not well-formed XML ({error})") from None
    namespace = root.tag[1:].split("}", 1)[0] if root.tag.startswith("{") else ""
    found = NAMESPACE.fullmatch(namespace)
    if found is None or _local(root.tag) != "Document":
        raise NotCamt(f"the root element is {_local(root.tag)} in namespace "
                      f"'{namespace or 'none'}', not a camt.053 or camt.054 Document")
    kind, version = found.group(1), int(found.group(2))
    if version not in VERSIONS:
        raise NotCamt(f"camt.{kind}.001.{version:02d} is not a version this reader knows "
                      "(.02 to .13)")
    body = Reader(namespace).one(root, ROOTS[kind][0])
    if body is None:
        raise NotCamt(f"a camt.{kind} Document without {ROOTS[kind][0]}")
    return body, namespace, kind


def read_camt(name: str, content: bytes, sha256: str, today: date) -> Statement:
    """Every booked credit of the file; NotCamt when it is not camt.053/054 at all."""
    body, namespace, kind = document(content)
    r = Reader(namespace)
    statement = Statement(name, sha256)
    for s, report in enumerate(r.all(body, ROOTS[kind][1]), 1):
        account = (r.text(report, "Acct/Id/IBAN") or r.text(report, "Acct/Id/Othr/Id"))
        for n, entry in enumerate(r.all(report, "Ntry"), 1):
            where = f"{ROOTS[kind][1]} {s} Ntry {n}"
            try:
                _entry(r, statement, account, entry, where, today)
            except InvalidValue as error:
                statement.refusals.append(Refusal(name, where, error.field or "", error.message))
    return statement


def _entry(r: Reader, statement: Statement, account: str, entry: Element, where: str,
           today: date) -> None:
    if r.text(entry, "CdtDbtInd") != "CRDT" or _status(r, entry) != "BOOK":
        statement.skipped += 1
        return
    if not account:
        raise InvalidValue("the statement names no account (Acct/Id/IBAN or Othr/Id)",
                           "Acct")
    reference = r.text(entry, "AcctSvcrRef") or r.text(entry, "NtryRef")
    booked = _day(r, entry, "BookgDt", today) or _day(r, entry, "ValDt", today)
    if booked is None:
        raise InvalidValue("the entry has no booking date (BookgDt)", "BookgDt")
    value_on = _day(r, entry, "ValDt", today)
    details = r.all(entry, "NtryDtls/TxDtls")
    base = {"account": account, "booked_on": booked, "value_on": value_on,
            "source_file": statement.file, "source_sha256": statement.sha256}
    if len(details) <= 1:
        tx = details[0] if details else None
        reference = reference or r.text(tx, "Refs/AcctSvcrRef") or _end_to_end(r, tx)
        if not reference:
            raise InvalidValue("the entry has no reference (AcctSvcrRef or NtryRef)",
                               "AcctSvcrRef")
        amount, currency = _amount(r, entry, "Amt")
        statement.credits.append(Credit(entry_reference=reference, amount=amount,
                                        currency=currency, location=where,
                                        **base, **_parties(r, tx)))
        return
    for t, tx in enumerate(details, 1):
        if r.text(tx, "CdtDbtInd") not in ("", "CRDT"):
            continue
        own = r.text(tx, "Refs/AcctSvcrRef")
        ref = own or (f"{reference}/{_end_to_end(r, tx) or t}" if reference else "")
        if not ref:
            raise InvalidValue("the entry has no reference (AcctSvcrRef or NtryRef)",
                               "AcctSvcrRef")
        amount, currency = _amount(r, tx, "Amt") if r.one(tx, "Amt") is not None \
            else _amount(r, tx, "AmtDtls/TxAmt/Amt")
        statement.credits.append(Credit(entry_reference=ref, amount=amount,
                                        currency=currency, location=f"{where} TxDtls {t}",
                                        **base, **_parties(r, tx)))


def _status(r: Reader, entry: Element) -> str:
    return r.text(entry, "Sts/Cd") or r.text(entry, "Sts")


def _day(r: Reader, node: Element, path: str, today: date) -> date | None:
    raw = r.text(node, f"{path}/Dt") or r.text(node, f"{path}/DtTm")[:10]
    return parse_date(raw, path, today) if raw else None


def _amount(r: Reader, node: Element, path: str) -> tuple[Decimal, str]:
    found = r.one(node, path)
    if found is None:
        raise InvalidValue("the entry has no amount", path)
    currency = parse_currency(found.get("Ccy", ""), f"{path}/@Ccy")
    amount = parse_amount((found.text or "").strip(), path, currency=currency)
    if amount <= 0:
        raise InvalidValue("a credit's amount must be more than zero", path)
    return amount, currency


def _end_to_end(r: Reader, tx: Element | None) -> str:
    found = r.text(tx, "Refs/EndToEndId")
    return "" if found.upper() == NOT_PROVIDED else found


def _parties(r: Reader, tx: Element | None) -> dict[str, object]:
    """Debtor name and remittance information of a transaction (blank without one)."""
    name = r.text(tx, "RltdPties/Dbtr/Nm") or r.text(tx, "RltdPties/Dbtr/Pty/Nm")
    lines = [(u.text or "").strip() for u in r.all(tx, "RmtInf/Ustrd")]
    structured = r.all(tx, "RmtInf/Strd")
    refs = tuple(ref for s in structured if (ref := r.text(s, "CdtrRefInf/Ref")))
    remitted = tuple(_remitted(r, s) for s in structured if r.text(s, "RfrdDocInf/Nb"))
    return {"debtor_name": parse_text(name[:200], "RltdPties/Dbtr/Nm"),
            "remittance": " ".join(line for line in lines if line)[:2000],
            "references": refs, "remitted": remitted}


def _remitted(r: Reader, strd: Element) -> Remitted:
    found = r.one(strd, "RfrdDocAmt/RmtdAmt")
    if found is None:
        found = r.one(strd, "RfrdDocAmt/DuePyblAmt")
    amount = None
    if found is not None:
        amount = parse_amount((found.text or "").strip(), "RfrdDocAmt",
                              currency=parse_currency(found.get("Ccy", ""), "RfrdDocAmt/@Ccy"))
    return Remitted(r.text(strd, "RfrdDocInf/Nb"), amount)
