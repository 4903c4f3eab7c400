"""Jinja filters: one date format, money with its currency, counted nouns."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from flask import Flask

from application.wording import plural
from domain.money import minor_units


def money(amount: Decimal | None, currency: str = "") -> str:
    """1234.5 EUR → 'EUR 1,234.50'."""
    if amount is None:
        return ""
    places = minor_units(currency) if currency else 2
    text = f"{Decimal(amount):,.{places}f}"
    return f"{currency} {text}".strip()


def day(value: date | str | None) -> str:
    """Dates in one format everywhere: 2026-01-31."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        return value[:10]
    return value.isoformat()[:10]


def moment(value: datetime | str | None) -> str:
    """Recorded times: 2026-01-31 14:05 UTC."""
    if not value:
        return ""
    stamp = datetime.fromisoformat(value) if isinstance(value, str) else value
    return stamp.strftime("%Y-%m-%d %H:%M UTC")


def words(value: str | None) -> str:
    """snake_case vocabulary shown as words: with_counsel → with counsel."""
    return (value or "").replace("_", " ")


def register(app: Flask) -> None:
    app.add_template_filter(money)
    app.add_template_filter(day)
    app.add_template_filter(moment)
    app.add_template_filter(words)
    app.add_template_filter(plural)  # {{ n|plural("case") }} → 1 case, 2 cases
