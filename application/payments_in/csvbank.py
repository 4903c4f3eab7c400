"""A CSV bank export, read by a mapping file (TOML) naming its columns and notation.

    account = "GB33BUKB20201555555555"   # the account the export is of (required)
    delimiter = ";"                      # default: "," or ";", whichever the header uses
    locale = "de"                        # decimals as written there (1.234,50); default 1,234.50
    date_format = "%d.%m.%Y"             # default YYYY-MM-DD; never guessed
    sign = "positive"                    # credits are positive (default) | "negative" |
                                         # "column": the direction column says
    currency = "EUR"                     # when the export has no currency column
    [columns]                            # header names in the file
    date = "Booking date"                # required
    amount = "Amount"                    # required
    currency = "Currency"
    value_date = "Value date"
    reference = "Bank reference"         # the bank's entry reference (the credit's identity)
    remittance = "Details"
    payer = "Counterparty"
    direction = "Dr/Cr"                  # with sign = "column"
    [direction]
    credit = "CR"                        # the direction column's word for a credit

Without a reference column a row's identity is a digest of its date, amount, currency,
payer and remittance, with a count for identical rows in one file.
"""

from __future__ import annotations

import csv
import hashlib
import io
import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from application.parsing import parse_amount, parse_currency, parse_date, parse_text
from application.payments_in.credits import Credit, Refusal, Statement
from domain.errors import InvalidValue

REQUIRED = ("date", "amount")
SIGNS = ("positive", "negative", "column")
MAX_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class Mapping:
    account: str
    columns: dict[str, str]
    delimiter: str = ""
    locale: str | None = None
    date_format: str = ""
    sign: str = "positive"
    currency: str = ""
    credit_word: str = ""
    source: str = field(default="", compare=False)


def load_mapping(path: Path) -> Mapping:
    """The mapping file, checked: InvalidValue naming the key that is wrong."""
    try:
        content = path.read_bytes()
    except OSError as error:
        raise InvalidValue(f"{path}: not a readable TOML file ({error})", "mapping") from None
    return parse_mapping(str(path), content)


def parse_mapping(path: str, content: bytes) -> Mapping:
    """A mapping file's content (`path` names it in messages), checked like `load_mapping`."""
    try:
        data: dict[str, Any] = tomllib.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise InvalidValue(f"{path}: not a readable TOML file ({error})", "mapping") from None
    columns = data.get("columns") or {}
    if not isinstance(columns, dict) or not all(isinstance(v, str) for v in columns.values()):
        raise InvalidValue(f"{path}: [columns] must name header texts", "mapping")
    for name in REQUIRED:
        if not columns.get(name):
            raise InvalidValue(f"{path}: [columns] must name the '{name}' column", "mapping")
    if not str(data.get("account") or "").strip():
        raise InvalidValue(f"{path}: 'account' (the account the export is of) is required",
                           "mapping")
    sign = str(data.get("sign", "positive"))
    if sign not in SIGNS:
        raise InvalidValue(f"{path}: 'sign' must be one of {', '.join(SIGNS)}", "mapping")
    credit_word = str((data.get("direction") or {}).get("credit", ""))
    if sign == "column" and not (columns.get("direction") and credit_word):
        raise InvalidValue(f"{path}: sign = \"column\" needs columns.direction and "
                           "[direction] credit", "mapping")
    if not columns.get("currency") and not data.get("currency"):
        raise InvalidValue(f"{path}: name a currency column or a fixed 'currency'", "mapping")
    return Mapping(str(data["account"]).strip(), dict(columns), str(data.get("delimiter", "")),
                   data.get("locale") or None, str(data.get("date_format", "")), sign,
                   str(data.get("currency", "")), credit_word, str(path))


def read_csv(name: str, content: bytes, sha256: str, mapping: Mapping,
             today: date) -> Statement:
    """Every credit row of the export; a bad row is refused naming its row and field."""
    if len(content) > MAX_BYTES:
        raise InvalidValue(f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB", "file")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidValue("the CSV is not UTF-8 text", "file") from None
    header = text.splitlines()[0] if text.strip() else ""
    delimiter = mapping.delimiter or (";" if header.count(";") > header.count(",") else ",")
    rows = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    missing = [c for k, c in mapping.columns.items() if c not in (rows.fieldnames or [])]
    if missing:
        raise InvalidValue(f"the CSV has no column {', '.join(map(repr, missing))} "
                           f"(its header: {delimiter.join(rows.fieldnames or [])})", "columns")
    statement = Statement(name, sha256)
    seen: dict[str, int] = {}
    for number, row in enumerate(rows, 2):  # row 1 is the header
        try:
            credit = _row(row, mapping, statement, f"row {number}", today, seen)
        except InvalidValue as error:
            statement.refusals.append(Refusal(name, f"row {number}", error.field or "",
                                              error.message))
            continue
        if credit is None:
            statement.skipped += 1
        else:
            statement.credits.append(credit)
    return statement


def _row(row: dict[str, str], m: Mapping, statement: Statement, where: str, today: date,
         seen: dict[str, int]) -> Credit | None:
    def cell(key: str) -> str:
        column = m.columns.get(key)
        return (row.get(column) or "").strip() if column else ""

    currency = parse_currency(cell("currency") or m.currency, m.columns.get("currency",
                                                                             "currency"))
    amount = parse_amount(cell("amount"), m.columns["amount"], locale=m.locale)
    amount = parse_amount(format(amount, "f"), m.columns["amount"], currency=currency)
    if not _is_credit(amount, cell("direction"), m):
        return None
    amount = abs(amount)
    if amount == 0:
        return None
    booked = _date(cell("date"), m.columns["date"], m, today)
    value_on = _date(cell("value_date"), m.columns.get("value_date", ""), m, today) \
        if cell("value_date") else None
    payer = parse_text(cell("payer")[:200], m.columns.get("payer", "payer"))
    remittance = parse_text(cell("remittance")[:2000], m.columns.get("remittance", "remittance"))
    reference = cell("reference") or _row_identity(booked, amount, currency, payer,
                                                   remittance, seen)
    return Credit(m.account, reference, amount, currency, booked, value_on, payer, remittance,
                  source_file=statement.file, source_sha256=statement.sha256, location=where)


def _is_credit(amount: Decimal, direction: str, m: Mapping) -> bool:
    if m.sign == "column":
        return direction.casefold() == m.credit_word.casefold()
    return amount > 0 if m.sign == "positive" else amount < 0


def _date(raw: str, column: str, m: Mapping, today: date) -> date:
    if not m.date_format:
        return parse_date(raw, column, today)
    try:
        day = datetime.strptime(raw, m.date_format).date()
    except ValueError:
        raise InvalidValue(f"'{raw[:20]}' is not a date in the form {m.date_format}",
                           column) from None
    return parse_date(day, column, today)


def _row_identity(booked: date, amount: Decimal, currency: str, payer: str, remittance: str,
                  seen: dict[str, int]) -> str:
    digest = hashlib.sha256("\x1f".join([booked.isoformat(), str(amount), currency, payer,
                                         remittance]).encode()).hexdigest()[:20]
    seen[digest] = seen.get(digest, 0) + 1
    return f"row:{digest}:{seen[digest]}"
