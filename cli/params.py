"""Parameter types of the CLI: every value is read by the one parser (`application.parsing`),
so an option is refused with the same message as the same field on the web and the API."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

import click

from application import parsing
from application.clock import clock_from_env
from domain.errors import InvalidValue

DATE_FORMAT = "YYYY-MM-DD"


def _today() -> date:
    """Today by the invocation's clock (ARREARS_TODAY when set)."""
    try:
        return clock_from_env().today()
    except ValueError:  # a bad ARREARS_TODAY is reported when the service is built
        return datetime.now(UTC).date()


class Parsed(click.ParamType):
    """A click type that calls one parser function and fails with its message."""

    def parse(self, value: str) -> Any:
        raise NotImplementedError

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> Any:
        if not isinstance(value, str):
            return value
        try:
            return self.parse(value)
        except InvalidValue as error:
            self.fail(error.message, param, ctx)


class IsoDate(Parsed):
    name = "date"

    def get_metavar(self, param: click.Parameter, ctx: click.Context) -> str:
        return DATE_FORMAT

    def parse(self, value: str) -> date:
        return parsing.parse_date(value, "date", _today())


class IsoDateTime(Parsed):
    """A moment: YYYY-MM-DD (the end of that day, UTC) or an ISO date-time with its offset."""

    name = "datetime"

    def get_metavar(self, param: click.Parameter, ctx: click.Context) -> str:
        return "DATETIME"

    def parse(self, value: str) -> datetime:
        return parsing.parse_datetime(value, "datetime", _today())


class AmountText(Parsed):
    """An amount in the case's currency: '1200.50' or '1,200.50'; never rounded."""

    name = "amount"

    def get_metavar(self, param: click.Parameter, ctx: click.Context) -> str:
        return "AMOUNT"

    def parse(self, value: str) -> Decimal:
        return parsing.parse_amount(value)


class RateText(Parsed):
    name = "rate"

    def parse(self, value: str) -> Decimal:
        return parsing.parse_rate(value)


class PercentText(Parsed):
    name = "percent"

    def parse(self, value: str) -> Decimal:
        return parsing.parse_percent(value)


class CurrencyCode(Parsed):
    name = "currency"

    def parse(self, value: str) -> str:
        return parsing.parse_currency(value)


class TextOf(Parsed):
    """A text with the limit of a field (`domain.limits`): length, no control characters."""

    name = "text"

    def __init__(self, field: str, required: bool = False) -> None:
        self.field = field
        self.required = required

    def parse(self, value: str) -> str:
        return parsing.parse_text(value, self.field, required_text=self.required)


class InstalmentText(Parsed):
    """DATE:AMOUNT, e.g. 2026-02-01:100.00."""

    name = "instalment"

    def get_metavar(self, param: click.Parameter, ctx: click.Context) -> str:
        return f"{DATE_FORMAT}:AMOUNT"

    def parse(self, value: str) -> tuple[date, Decimal]:
        day, sep, amount = value.partition(":")
        if not sep or not amount.strip():
            raise InvalidValue(f"'{value}' is not {DATE_FORMAT}:AMOUNT", "instalment")
        return (parsing.parse_date(day, "instalment", _today()),
                parsing.parse_amount(amount, "instalment"))


class Word(click.Choice):
    """A word of a domain vocabulary (see the glossary), given back as its StrEnum member."""

    def __init__(self, vocabulary: type[StrEnum]) -> None:
        self.vocabulary = vocabulary
        super().__init__([member.value for member in vocabulary], case_sensitive=False)

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> Any:
        if isinstance(value, self.vocabulary):
            return value
        return self.vocabulary(super().convert(value, param, ctx))


def words(vocabulary: type[StrEnum]) -> Word:
    return Word(vocabulary)


ISO_DATE = IsoDate()
ISO_DATETIME = IsoDateTime()
AMOUNT = AmountText()
RATE = RateText()
PERCENT = PercentText()
CURRENCY = CurrencyCode()
INSTALMENT = InstalmentText()
