"""Jinja filters and helpers: one date format, money with its currency, counted nouns, badges."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import Flask
from markupsafe import Markup, escape

from application.attachments.types import KNOWN
from application.wording import byte_size, money, plural


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


def moment_seconds(value: datetime | str | None) -> str:
    """A moment to the second, for an as-of time: 2026-01-31 14:05:00 UTC."""
    if not value:
        return ""
    stamp = datetime.fromisoformat(value) if isinstance(value, str) else value
    return stamp.strftime("%Y-%m-%d %H:%M:%S UTC")


def media_type(value: str) -> str:
    """What people call a media type: 'PDF document'; an unknown one as it is."""
    return KNOWN.get(value, (value, ""))[0]


def words(value: str | None) -> str:
    """snake_case vocabulary shown as words: with_counsel → with counsel."""
    return (value or "").replace("_", " ")


def stage_badge(stage: str) -> Markup:
    """A case's stage as a badge (a function, not a macro: a list shows fifty)."""
    return Markup(f'<span class="badge stage-{escape(stage)}">{escape(words(stage))}</span>')


def hold_badge(case: Any) -> Markup:
    """'on hold', with its reason as the title, when the case is on hold."""
    if not case["on_hold"]:
        return Markup("")
    return Markup(f'<span class="badge hold" title="{escape(case["hold_reason"])}">on hold</span>')


def register(app: Flask) -> None:
    app.add_template_global(stage_badge)
    app.add_template_global(hold_badge)
    app.add_template_filter(money)
    app.add_template_filter(day)
    app.add_template_filter(moment)
    app.add_template_filter(words)
    app.add_template_filter(moment_seconds)
    app.add_template_filter(media_type)
    app.add_template_filter(byte_size)
    app.add_template_filter(plural)  # {{ n|plural("case") }} → 1 case, 2 cases
