"""What a parser makes of a file: one value per invoice or credit note, or a row error."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from domain.errors import InvalidValue
from domain.values import Debtor


class DocumentType(StrEnum):
    INVOICE = "invoice"
    CREDIT_NOTE = "credit_note"


class FileFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"
    UBL = "ubl"
    CII = "cii"
    FACTURX_PDF = "factur-x-pdf"


class ImportRefused(InvalidValue):
    """A whole file is refused (oversized, of another schema, without the columns needed);
    nothing of it is stored. The message names the file."""

    def __init__(self, message: str) -> None:
        super().__init__(message, "file")


@dataclass(frozen=True)
class ImportedInvoice:
    """One invoice (or credit note) as the file states it, parsed and bounded.

    `where` is the row ("row 7") or the XML element; `creditor` is the seller as the file
    names it ('' : the file names none); `due_date` None: the file gives none (the importer
    takes the default credit period and says so). `credited_invoice`: the invoice a credit
    note names (BT-25).
    """

    source: str
    where: str
    kind: DocumentType
    creditor: str
    invoice_number: str
    debtor: Debtor
    currency: str
    amount_due: Decimal
    issue_date: date
    due_date: date | None
    buyer_reference: str = ""
    credited_invoice: str = ""
    warnings: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class RowError:
    """A row (or element) refused: which file, where in it, which field, and why."""

    source: str
    where: str
    field: str
    reason: str
    invoice_number: str = ""

    @property
    def message(self) -> str:
        return f"{self.source}, {self.where}, {self.field}: {self.reason}"

    def as_dict(self) -> dict[str, str]:
        return {"file": self.source, "where": self.where, "field": self.field,
                "reason": self.reason, "invoice_number": self.invoice_number}


Row = ImportedInvoice | RowError


@dataclass(frozen=True)
class ParsedFile:
    """A file read whole: its format, its rows, and the facts kept as evidence."""

    name: str
    format: FileFormat
    media_type: str
    rows: tuple[Row, ...]
