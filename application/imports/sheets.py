"""Spreadsheets as rows of cells: CSV (any common delimiter, a byte-order mark skipped) and
XLSX (openpyxl in read-only mode, values not formulas). The header row is the first of the
leading rows that a layout (or the mapping) recognises: reports put a title block above it.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from application.imports.layouts import Column, Layout, recognise
from application.imports.mapping import Mapping
from application.imports.values import ImportRefused

HEADER_SEARCH = 20  # rows a report's title block may take above the header row
DELIMITERS = ",;\t|"
csv.field_size_limit(64 * 1024)


@dataclass
class Sheet:
    """The rows after the header, numbered as a spreadsheet numbers them (1 = first line)."""

    layout: Layout
    columns: dict[Column, int]
    rows: Iterator[tuple[int, list[Any]]]


def csv_rows(name: str, content: bytes, mapping: Mapping) -> Iterator[list[Any]]:
    try:
        text = content.decode(mapping.encoding)
    except (UnicodeDecodeError, LookupError):
        raise ImportRefused(f"{name}: not text in {mapping.encoding.removesuffix('-sig')} "
                            "(set encoding in a mapping file, e.g. cp1252)") from None
    text = text.removeprefix("\ufeff")
    delimiter = mapping.delimiter or _delimiter(text)
    try:
        yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    except csv.Error as error:
        raise ImportRefused(f"{name}: not a readable CSV file ({error})") from None


def _delimiter(text: str) -> str:
    """The delimiter the first lines use most (',' when none appears)."""
    head = "\n".join(text.splitlines()[:HEADER_SEARCH])
    counts = {d: head.count(d) for d in DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def xlsx_rows(name: str, content: bytes, mapping: Mapping) -> Iterator[list[Any]]:
    from openpyxl import load_workbook  # imported here: only spreadsheets need it

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise ImportRefused(f"{name}: not a readable XLSX workbook ({error})") from None
    try:
        if mapping.sheet and mapping.sheet not in book.sheetnames:
            raise ImportRefused(f"{name}: has no sheet '{mapping.sheet}'; sheets: "
                                f"{', '.join(book.sheetnames)}")
        sheet = book[mapping.sheet] if mapping.sheet else book.worksheets[0]
        for row in sheet.iter_rows(values_only=True):
            yield list(row)
    finally:
        book.close()


def find_header(name: str, rows: Iterator[list[Any]], mapping: Mapping) -> Sheet:
    """The header row and its layout, or ImportRefused saying which columns are missing."""
    numbered = enumerate(rows, start=1)
    seen: list[list[str]] = []
    for number, row in numbered:
        header = ["" if cell is None else str(cell) for cell in row]
        found = _match(header, mapping)
        if found is not None:
            return Sheet(found[0], found[1], numbered)
        seen.append(header)
        if number >= HEADER_SEARCH:
            break
    raise ImportRefused(_missing(name, seen, mapping))


def _match(header: list[str], mapping: Mapping) -> tuple[Layout, dict[Column, int]] | None:
    if mapping.layout is not None:
        columns = mapping.layout.columns(header)
        return None if columns is None else (mapping.layout, columns)
    return recognise(header)


def _missing(name: str, seen: list[list[str]], mapping: Mapping) -> str:
    first = next((row for row in seen if any(cell.strip() for cell in row)), [])
    if mapping.layout is not None:
        wanted = [f"'{h[0]}' ({c})" for c, h in mapping.layout.headers.items()
                  if c in mapping.layout.required]
        return (f"{name}: the required columns {', '.join(wanted)} of the mapping are not "
                f"all in its header row (found: {', '.join(first)[:300] or 'nothing'})")
    return (f"{name}: no header row with the required columns invoice_number, debtor_name, "
            "issue_date, due_date, currency and amount_due (the generic template), nor one of "
            "a known report (Xero, QuickBooks Open Invoices, Sage 50); give a mapping file "
            f"(--mapping) naming them. First row: {', '.join(first)[:300] or 'nothing'}")
