"""A spreadsheet's rows as imported invoices: each cell parsed by `application.parsing` (and
`dates`), each refusal a RowError naming the file, the row, the field and the reason."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from application.imports.dates import import_date
from application.imports.layouts import CREDIT_WORDS, INVOICE_WORDS, Column, header_key
from application.imports.mapping import Mapping
from application.imports.sheets import Sheet
from application.imports.values import DocumentType, ImportedInvoice, Row, RowError
from application.parsing import parse_amount, parse_currency, parse_text
from domain.errors import Checks, InvalidValue, InvalidValues
from domain.values import Debtor

# Currency symbols an amount may carry; '$' and 'kr' name several currencies, so they need
# a currency column (or the mapping's currency) to say which.
SYMBOLS = {"£": "GBP", "€": "EUR", "¥": "JPY", "￥": "JPY", "₹": "INR", "₩": "KRW",
           "₺": "TRY", "₽": "RUB", "₪": "ILS", "₫": "VND", "₱": "PHP", "zł": "PLN",
           "CHF": "CHF", "$": "", "kr": "", "US$": "USD", "A$": "AUD", "C$": "CAD"}


@dataclass(frozen=True)
class RowReader:
    """Reads one sheet's rows for a file, with the mapping's locale and currency."""

    source: str
    mapping: Mapping
    today: date

    def rows(self, sheet: Sheet) -> Iterator[Row]:
        for number, cells in sheet.rows:
            values = {c: _cell(cells, i) for c, i in sheet.columns.items()}
            if _skipped(values, cells):
                continue
            yield self.row(f"row {number}", values)

    def row(self, where: str, values: dict[Column, Any]) -> Row:
        number = str(values.get(Column.INVOICE_NUMBER) or "").strip()
        try:
            return self._parsed(where, values, number)
        except InvalidValues as error:
            field, messages = next(iter(error.errors.items()))
            return RowError(self.source, where, field, messages[0], number)
        except InvalidValue as error:
            return RowError(self.source, where, error.field or "row", error.message, number)

    def _parsed(self, where: str, values: dict[Column, Any], number: str) -> ImportedInvoice:
        checks = Checks()

        def text(column: Column, required: bool = False) -> str:
            return checks.run(_text, values.get(column), column.value, required) or ""

        invoice_number = text(Column.INVOICE_NUMBER, True)
        kind = checks.run(_kind, values.get(Column.DOCUMENT_TYPE))
        amount, currency = self._money(values, checks)
        issue = checks.run(import_date, values.get(Column.ISSUE_DATE), "issue_date",
                           self.today, self.mapping.locale)
        due_value = values.get(Column.DUE_DATE)
        due = None if _blank(due_value) else checks.run(
            import_date, due_value, "due_date", self.today, self.mapping.locale)
        debtor = Debtor(name=text(Column.DEBTOR_NAME, True), email=text(Column.DEBTOR_EMAIL),
                        phone=text(Column.DEBTOR_PHONE), address=text(Column.DEBTOR_ADDRESS))
        creditor, reference = text(Column.CREDITOR), text(Column.BUYER_REFERENCE)
        checks.done()
        if kind == DocumentType.CREDIT_NOTE:
            raise InvalidValue("a credit note in a spreadsheet names no invoice it credits; "
                               "import it as an e-invoice (UBL CreditNote or CII 381)",
                               "document_type")
        assert issue is not None and amount is not None
        return ImportedInvoice(self.source, where, DocumentType.INVOICE, creditor,
                               invoice_number, debtor, currency, amount, issue, due, reference)

    def _money(self, values: dict[Column, Any], checks: Checks) -> tuple[Decimal | None, str]:
        raw = values.get(Column.AMOUNT_DUE)
        column = _str(values.get(Column.CURRENCY)).strip()
        figure, symbol = checks.run(_symbol, raw) or (raw, "")
        currency = column or symbol or (self.mapping.currency or "")
        if symbol and column and symbol != column.upper():
            checks.run(_refuse, f"the amount is written in {symbol} but the currency column "
                       f"says {column}", "amount_due")
            return None, ""
        if not currency:
            checks.run(_refuse, "no currency: add a currency column, or set currency in the "
                       "mapping file", "currency")
            return None, ""
        code = checks.run(parse_currency, currency) or ""
        if not code:
            return None, ""
        amount = checks.run(self._amount, figure, code)
        return amount, code

    def _amount(self, figure: Any, currency: str) -> Decimal:
        value = figure if isinstance(figure, int | float | Decimal) else _str(figure).strip()
        amount = parse_amount(value, "amount_due", currency=currency,
                              locale=None if isinstance(value, int | float | Decimal)
                              else self.mapping.locale)
        if amount <= 0:
            raise InvalidValue(f"{amount} is nothing due; an open invoice owes more than zero",
                               "amount_due")
        return amount


def _symbol(raw: Any) -> tuple[Any, str]:
    """The amount without a currency symbol before or after it, and the symbol's currency."""
    if not isinstance(raw, str):
        return raw, ""
    text = raw.strip().replace("\u00a0", " ")
    for symbol in sorted(SYMBOLS, key=len, reverse=True):
        for rest in (text.removeprefix(symbol), text.removesuffix(symbol)):
            if rest != text:
                if not SYMBOLS[symbol]:
                    raise InvalidValue(f"'{symbol}' names several currencies: add a currency "
                                       "column, or set currency in the mapping file",
                                       "currency")
                return rest.strip(), SYMBOLS[symbol]
    return text, ""


def _text(value: Any, field: str, required: bool) -> str:
    return parse_text(_str(value), field, required_text=required)


def _refuse(message: str, field: str) -> None:
    raise InvalidValue(message, field)


def _kind(value: Any) -> DocumentType:
    word = header_key(value)
    if word in INVOICE_WORDS:
        return DocumentType.INVOICE
    if word in CREDIT_WORDS:
        return DocumentType.CREDIT_NOTE
    raise InvalidValue(f"'{str(value)[:40]}' is neither an invoice nor a credit note",
                       "document_type")


def _cell(cells: list[Any], index: int) -> Any:
    return cells[index] if index < len(cells) else None


def _str(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # an invoice number Excel stored as a number
    return str(value)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _skipped(values: dict[Column, Any], cells: list[Any]) -> bool:
    """Blank lines, and a report's total lines ('Total', 'TOTAL for ...'), are no invoices."""
    if all(_blank(cell) for cell in cells):
        return True
    first = next((str(cell).strip() for cell in cells if not _blank(cell)), "")
    return _blank(values.get(Column.INVOICE_NUMBER)) and first.casefold().startswith("total")
