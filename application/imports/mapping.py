"""A mapping file: which column of a spreadsheet is which field, in TOML.

    # mapping.toml
    locale = "de_DE"      # how dates and amounts are written (optional)
    currency = "EUR"      # the currency of rows without a currency column (optional)
    delimiter = ";"       # CSV only; default: found from the header line
    encoding = "utf-8"    # CSV only; default utf-8 (a byte-order mark is skipped)
    sheet = "Open items"  # XLSX only; default the first sheet

    [columns]             # field = "header as in the file"
    invoice_number = "Rechnungsnr."
    debtor_name = "Kunde"
    issue_date = "Datum"
    due_date = "Fällig"
    amount_due = "Offen"

Fields: those of `layouts.Column`. invoice_number, debtor_name, issue_date and amount_due
are required; a row without a due date takes the default credit period (with a warning).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field

from application.imports.dates import check_locale
from application.imports.layouts import REQUIRED, Column, Layout
from application.imports.values import ImportRefused
from application.parsing import parse_currency
from domain.errors import InvalidValue

MAPPING_KEYS = {"locale", "currency", "delimiter", "encoding", "sheet", "columns"}
MAX_MAPPING_BYTES = 64 * 1024


@dataclass(frozen=True)
class Mapping:
    """How to read a spreadsheet: a layout (its columns), plus how values are written."""

    layout: Layout | None = None
    locale: str | None = None
    currency: str | None = None
    delimiter: str | None = None
    encoding: str = "utf-8-sig"
    sheet: str | None = None
    warnings: tuple[str, ...] = field(default_factory=tuple)


def load_mapping(text: str, name: str = "mapping file") -> Mapping:
    """The mapping a TOML text describes, or ImportRefused naming what is wrong in it."""
    if len(text.encode()) > MAX_MAPPING_BYTES:
        raise ImportRefused(f"{name}: larger than {MAX_MAPPING_BYTES:,} bytes")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ImportRefused(f"{name}: not valid TOML ({error})") from None
    unknown = sorted(set(data) - MAPPING_KEYS)
    if unknown:
        raise ImportRefused(f"{name}: unknown key '{unknown[0]}'; known: "
                            f"{', '.join(sorted(MAPPING_KEYS))}")
    try:
        return Mapping(layout=_layout(data.get("columns"), name),
                       locale=check_locale(_text(data, "locale", name)),
                       currency=_currency(_text(data, "currency", name)),
                       delimiter=_delimiter(_text(data, "delimiter", name), name),
                       encoding=_text(data, "encoding", name) or "utf-8-sig",
                       sheet=_text(data, "sheet", name))
    except InvalidValue as error:
        if isinstance(error, ImportRefused):
            raise
        raise ImportRefused(f"{name}: {error.field}: {error.message}") from None


def _text(data: dict[str, object], key: str, name: str) -> str | None:
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        raise ImportRefused(f"{name}: '{key}' must be text")
    return value or None


def _currency(text: str | None) -> str | None:
    return None if text is None else parse_currency(text)


def _delimiter(text: str | None, name: str) -> str | None:
    if text is not None and (len(text) != 1 or text in "\"\r\n"):
        raise ImportRefused(f"{name}: 'delimiter' must be one character, such as ';'")
    return text


def _layout(columns: object, name: str) -> Layout | None:
    if columns is None:
        return None
    if not isinstance(columns, dict):
        raise ImportRefused(f"{name}: [columns] must be a table of field = \"header\"")
    headers: dict[Column, tuple[str, ...]] = {}
    for key, header in columns.items():
        try:
            column = Column(key)
        except ValueError:
            known = ", ".join(c.value for c in Column)
            raise ImportRefused(f"{name}: [columns] '{key}' is no field; fields: {known}") \
                from None
        if not isinstance(header, str) or not header.strip():
            raise ImportRefused(f"{name}: [columns] {key} must name a header")
        headers[column] = (header,)
    missing = [c.value for c in REQUIRED if c not in headers]
    if missing:
        raise ImportRefused(f"{name}: [columns] must name {', '.join(missing)}")
    return Layout("mapping", name, headers)
