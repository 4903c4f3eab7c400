"""Shared helpers for views: the process's Arrears, where its read side stands, and cases."""

from __future__ import annotations

import logging
from typing import Any
from uuid import UUID

from flask import abort, current_app, g
from flask_login import current_user

from application.bootstrap import Arrears
from application.readmodels.queries import CaseViews
from application.readmodels.status import Status
from application.users.roles import sees_only_referred

log = logging.getLogger(__name__)


def arrears() -> Arrears:
    """The process's one service, projector and views (built in the app factory)."""
    return current_app.extensions["arrears"]


def views() -> CaseViews:
    """The read models as the signed-in user may see them: counsel only the cases referred
    to them (any other case, its debtor and its figures are as if they did not exist)."""
    everything = arrears().views
    if current_user.is_authenticated and sees_only_referred(current_user.role):
        return everything.for_user(current_user.name)
    return everything


def read_side() -> Status | None:
    """Where the views stand, asked once per request (the pages' banner); None if unknown.

    Never raises: a page is shown even when the status cannot be read.
    """
    if "read_side" not in g:
        try:
            g.read_side = arrears().projector.status()
        except Exception:
            log.exception("the read side's status could not be read")
            g.read_side = None
    return g.read_side


def views_behind() -> int:
    """How many stored events the views do not show yet, asked now (after a command)."""
    g.read_side = arrears().projector.status()
    return g.read_side.lag


def catch_up() -> int:
    """After a stored command: bring the views up as far as they go; return `views_behind()`.

    The command is stored whatever happens here, so a failing read-model database is
    logged, not raised (the follower retries); an event the views cannot apply stops them
    before it and is named by the status and every page's banner.
    """
    try:
        app = arrears()
        app.projector.catch_up(through=app.service.recorder.max_notification_id())
    except Exception:
        log.exception("catching up after a stored command failed; the follower retries")
    return views_behind()


def lag_notice(done: str) -> str:
    """`DONE, but the views are behind: 2 events; ...` after a stored command, or ''."""
    lag = views_behind()
    if not lag:
        return ""
    return (f"{done}, but the {g.read_side.behind}: it is stored and shows here once they "
            "catch up.")


def get_case(case_id: str) -> dict[str, Any]:
    """The case's summary from the read model, or 404 (also for a case not shown to the user)."""
    try:
        UUID(case_id)
    except ValueError:
        abort(404)
    case = views().case(case_id)
    if case is None:
        abort(404)
    return case


def get_debtor(debtor_key: str) -> dict[str, Any]:
    found = views().debtor(debtor_key)
    if found is None:
        abort(404)
    return found
