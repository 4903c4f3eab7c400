"""Parameter types of the CLI: ISO dates, decimals and plan instalments, refused in one line."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

import click

DATE_FORMAT = "YYYY-MM-DD"


def parse_date(text: str) -> date:
    """An ISO date, or ValueError with the message the user sees."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"'{text}' is not a date ({DATE_FORMAT})") from None


class IsoDate(click.ParamType):
    name = "date"

    def get_metavar(self, param: click.Parameter, ctx: click.Context) -> str:
        return DATE_FORMAT

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        try:
            return parse_date(str(value))
        except ValueError as error:
            self.fail(str(error), param, ctx)


class DecimalNumber(click.ParamType):
    name = "number"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> Decimal:
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            self.fail(f"'{value}' is not a number", param, ctx)
        if not number.is_finite():
            self.fail(f"'{value}' is not a finite number", param, ctx)
        return number


class InstalmentText(click.ParamType):
    """DATE:AMOUNT; the amount stays text until the case's currency is known."""

    name = "instalment"

    def get_metavar(self, param: click.Parameter, ctx: click.Context) -> str:
        return f"{DATE_FORMAT}:AMOUNT"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> tuple[date, str]:
        if isinstance(value, tuple):
            return value
        day, sep, amount = str(value).partition(":")
        if not sep or not amount.strip():
            self.fail(f"'{value}' is not {DATE_FORMAT}:AMOUNT", param, ctx)
        try:
            return parse_date(day), amount.strip()
        except ValueError as error:
            self.fail(f"{error} in '{value}'", param, ctx)


def words(vocabulary: type[StrEnum]) -> click.Choice:
    """A choice among the words of a domain vocabulary (see the glossary)."""
    return click.Choice([member.value for member in vocabulary], case_sensitive=False)


ISO_DATE = IsoDate()
DECIMAL = DecimalNumber()
INSTALMENT = InstalmentText()
