"""One file in, its rows out: the format is read from the content (never the name), the
size is bounded before anything is parsed, and a file refused whole says why."""

from __future__ import annotations

from datetime import date

from application.attachments.types import PDF, XLSX
from application.imports.dates import check_locale
from application.imports.einvoice import read_einvoice, schema_of
from application.imports.facturx_pdf import embedded_xml
from application.imports.mapping import Mapping
from application.imports.sheets import csv_rows, find_header, xlsx_rows
from application.imports.spreadsheet import RowReader
from application.imports.values import FileFormat, ImportRefused, ParsedFile
from application.imports.xmlsafe import parse_xml
from application.wording import byte_size

CSV_TYPE, XML_TYPE = "text/csv", "application/xml"


def check_size(name: str, size: int, limit: int) -> None:
    """Refuse an empty file, or one over the import limit (before it is read)."""
    if size == 0:
        raise ImportRefused(f"{name}: the file is empty")
    if size > limit:
        most = f"{limit:,} bytes" + (f" ({byte_size(limit)})" if limit >= 1024 else "")
        raise ImportRefused(f"{name}: the file is {size:,} bytes; at most {most} may be "
                            "imported (ARREARS_IMPORT_MAX_BYTES)")


def read_file(name: str, content: bytes, *, today: date, limit: int,
              mapping: Mapping | None = None, locale: str | None = None) -> ParsedFile:
    """The file's rows (invoices, credit notes, row errors), or ImportRefused."""
    check_size(name, len(content), limit)
    mapping = mapping or Mapping()
    if locale:
        mapping = _with_locale(mapping, check_locale(locale))
    head = content[:8].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"%PDF"):
        return _xml(name, embedded_xml(name, content), today, FileFormat.FACTURX_PDF, PDF)
    if head.startswith(b"<"):
        return _xml(name, content, today, None, XML_TYPE)
    if head.startswith(b"PK\x03\x04"):
        return _sheet(name, xlsx_rows(name, content, mapping), mapping, today,
                      FileFormat.XLSX, XLSX)
    return _sheet(name, csv_rows(name, content, mapping), mapping, today, FileFormat.CSV,
                  CSV_TYPE)


def _with_locale(mapping: Mapping, locale: str | None) -> Mapping:
    from dataclasses import replace

    return replace(mapping, locale=locale)


def _xml(name: str, content: bytes, today: date, fmt: FileFormat | None,
         media_type: str) -> ParsedFile:
    root = parse_xml(name, content)
    schema = schema_of(name, root)
    found = fmt or (FileFormat.UBL if schema == "ubl" else FileFormat.CII)
    return ParsedFile(name, found, media_type, (read_einvoice(name, root, today),))


def _sheet(name, rows, mapping: Mapping, today: date, fmt: FileFormat,  # type: ignore[no-untyped-def]
           media_type: str) -> ParsedFile:
    sheet = find_header(name, rows, mapping)
    if mapping.locale is None and sheet.layout.locale:
        mapping = _with_locale(mapping, sheet.layout.locale)
    reader = RowReader(name, mapping, today)
    return ParsedFile(name, fmt, media_type, tuple(reader.rows(sheet)))
