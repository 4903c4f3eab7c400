"""Calendar helpers for periods counted in years and days."""

from __future__ import annotations

from datetime import date, timedelta

ONE_DAY = timedelta(days=1)


def add_years(day: date, years: int) -> date:
    """The same day `years` later; 29 February becomes 28 February (§ 188(3) BGB too)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def long_date(day: date) -> str:
    """'31 December 2023', as a sentence reads it."""
    return f"{day.day} {day:%B %Y}"
