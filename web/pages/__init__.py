"""The HTML pages, one blueprint per area."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    """Register every page blueprint."""
