"""The audit trail: every event recorded, newest first, filtered and paged."""

from __future__ import annotations

from dataclasses import fields

from flask.typing import ResponseReturnValue

from application.readmodels.queries import AuditFilter
from application.users.roles import Permission
from web.api import bp
from web.api.io import query_args, reply, views
from web.api.openapi import documented
from web.auth.access import allow
from web.schemas.queries import AuditQuery
from web.schemas.readmodels import AuditPage


@bp.get("/audit")
@allow(Permission.READ_AUDIT)
@documented({200: AuditPage}, query=AuditQuery)
def audit() -> ResponseReturnValue:
    """The audit trail: who recorded which event on which case, newest first."""
    args = query_args(AuditQuery)
    filters = AuditFilter(**{f.name: args[f.name] for f in fields(AuditFilter)
                             if f.name in args})
    return reply(AuditPage, views().audit(filters, page=args["page"],
                                          per_page=args["per_page"]))
