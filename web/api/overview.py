"""Overviews: one debtor with all their cases, and the dashboard."""

from __future__ import annotations

from flask.typing import ResponseReturnValue

from application.users.roles import Permission
from web.api import bp
from web.api.errors import ApiError
from web.api.io import reply, views
from web.api.openapi import documented
from web.auth.access import allow
from web.schemas.readmodels import Dashboard, DebtorSummary, Errors


@bp.get("/debtors/<path:debtor_key>")
@allow(Permission.READ_CASES)
@documented({200: DebtorSummary, 404: Errors})
def debtor(debtor_key: str) -> ResponseReturnValue:
    """A debtor, every case against them and the totals by currency.

    The key is `debtor_key` of a case (tax:…, email:… or name:…, `domain.debtors`); a
    debtor's name also finds them.
    """
    found = views().debtor(debtor_key)
    if found is None:
        raise ApiError(404, {"debtor": [f"no debtor '{debtor_key}'"]})
    return reply(DebtorSummary, found)


@bp.get("/dashboard")
@allow(Permission.READ_CASES)
@documented({200: Dashboard})
def dashboard() -> ResponseReturnValue:
    """Outstanding by aging bucket and currency, cases by stage, what needs action today."""
    return reply(Dashboard, views().dashboard())
