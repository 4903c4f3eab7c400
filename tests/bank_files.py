"""Bank statements the payment tests write: camt.053 / camt.054 XML and CSV exports."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

ACCOUNT = "GB33BUKB20201555555555"


@dataclass
class Tx:
    """One transaction's details (TxDtls)."""

    debtor: str = ""
    ustrd: tuple[str, ...] = ()
    refs: tuple[str, ...] = ()  # Strd CdtrRefInf Ref
    docs: tuple[tuple[str, str], ...] = ()  # Strd RfrdDocInf Nb with RfrdDocAmt RmtdAmt
    amount: str = ""  # in a batch: the transaction's own amount
    ref: str = ""  # Refs AcctSvcrRef
    end_to_end: str = ""


@dataclass
class Entry:
    amount: str
    ref: str = "BANKREF-1"
    currency: str = "GBP"
    direction: str = "CRDT"
    status: str = "BOOK"
    booked: str = "2026-02-27"
    value: str = "2026-02-27"
    txs: list[Tx] = field(default_factory=list)


def _tx(tx: Tx, version: int, currency: str) -> str:
    name = escape(tx.debtor)
    party = (f"<Dbtr><Pty><Nm>{name}</Nm></Pty></Dbtr>" if version >= 8
             else f"<Dbtr><Nm>{name}</Nm></Dbtr>")
    refs = "".join(f"<Strd><CdtrRefInf><Ref>{escape(r)}</Ref></CdtrRefInf></Strd>"
                   for r in tx.refs)
    docs = "".join(f"<Strd><RfrdDocInf><Nb>{escape(n)}</Nb></RfrdDocInf><RfrdDocAmt>"
                   f"<RmtdAmt Ccy=\"{currency}\">{a}</RmtdAmt></RfrdDocAmt></Strd>"
                   for n, a in tx.docs)
    ustrd = "".join(f"<Ustrd>{escape(u)}</Ustrd>" for u in tx.ustrd)
    amount = f"<Amt Ccy=\"{currency}\">{tx.amount}</Amt>" if tx.amount else ""
    own = f"<AcctSvcrRef>{tx.ref}</AcctSvcrRef>" if tx.ref else ""
    e2e = f"<EndToEndId>{tx.end_to_end or 'NOTPROVIDED'}</EndToEndId>"
    return (f"<TxDtls><Refs>{own}{e2e}</Refs>{amount}"
            f"<RltdPties>{party if tx.debtor else ''}</RltdPties>"
            f"<RmtInf>{ustrd}{refs}{docs}</RmtInf></TxDtls>")


def _entry(e: Entry, version: int) -> str:
    status = f"<Sts><Cd>{e.status}</Cd></Sts>" if version >= 8 else f"<Sts>{e.status}</Sts>"
    details = "".join(_tx(t, version, e.currency) for t in e.txs)
    return (f"<Ntry><NtryRef>{e.ref}-N</NtryRef><Amt Ccy=\"{e.currency}\">{e.amount}</Amt>"
            f"<CdtDbtInd>{e.direction}</CdtDbtInd>{status}"
            f"<BookgDt><Dt>{e.booked}</Dt></BookgDt><ValDt><Dt>{e.value}</Dt></ValDt>"
            f"<AcctSvcrRef>{e.ref}</AcctSvcrRef><BkTxCd/>"
            f"<NtryDtls>{details}</NtryDtls></Ntry>")


def camt(entries: list[Entry], kind: str = "053", version: int = 2,
         account: str = ACCOUNT) -> str:
    """A camt.053 statement or camt.054 notification of one account."""
    root, report = (("BkToCstmrStmt", "Stmt") if kind == "053"
                    else ("BkToCstmrDbtCdtNtfctn", "Ntfctn"))
    body = "".join(_entry(e, version) for e in entries)
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="urn:iso:std:iso:20022:'
            f'tech:xsd:camt.{kind}.001.{version:02d}"><{root}><GrpHdr><MsgId>M1</MsgId>'
            f"<CreDtTm>2026-02-28T06:00:00</CreDtTm></GrpHdr><{report}><Id>S1</Id>"
            f"<Acct><Id><IBAN>{account}</IBAN></Id></Acct>{body}</{report}></{root}>"
            "</Document>")


def write(path: Path, text: str, bom: bool = False) -> Path:
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path
