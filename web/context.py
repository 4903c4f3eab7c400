"""Shared helpers for views: the process's Arrears, and running a command from a request."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import abort, current_app

from application.bootstrap import Arrears


def arrears() -> Arrears:
    """The process's one service, projector and views (built in the app factory)."""
    return current_app.extensions["arrears"]


def get_case(case_id: str) -> dict[str, Any]:
    """The case's summary from the read model, or 404."""
    try:
        UUID(case_id)
    except ValueError:
        abort(404)
    case = arrears().views.case(case_id)
    if case is None:
        abort(404)
    return case


def get_debtor(debtor_key: str) -> dict[str, Any]:
    found = arrears().views.debtor(debtor_key)
    if found is None:
        abort(404)
    return found
