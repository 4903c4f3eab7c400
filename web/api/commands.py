"""Commands on a case: one POST per command, its body validated by the command's schema."""

from __future__ import annotations

import inspect
from uuid import UUID

from flask import url_for
from flask.typing import ResponseReturnValue

from domain.case import DebtCase
from web.api import bp
from web.api.errors import ApiError
from web.api.idempotency import idempotency_key, refused, replayed
from web.api.io import json_body, reply, views
from web.api.openapi import documented
from web.commanding import run_command
from web.schemas.commands import COMMAND_SCHEMAS
from web.schemas.readmodels import CommandResult, Errors


def _describe(command: str) -> str:
    return inspect.getdoc(getattr(DebtCase, command, None)) or ""


# Only the commands' names (either spelling) route here, so a POST to another path of a case
# (its timeline) is a 405 naming the methods it has, and an unknown name a 404.
_NAMES = ", ".join(repr(name) for name in sorted(
    {*COMMAND_SCHEMAS, *(n.replace("_", "-") for n in COMMAND_SCHEMAS)}))


@bp.post(f"/cases/<case_id>/<any({_NAMES}):command>")
@documented({201: CommandResult, 404: Errors, 409: Errors, 422: Errors},
            body=COMMAND_SCHEMAS, describe=_describe, idempotent=True,
            headers={201: {"Location": "the case's URL"}})
def command(case_id: str, command: str) -> ResponseReturnValue:
    """Run a command on a case.

    The path names the command (`record_payment`, or `record-payment`). Nothing is stored
    when the command is refused. Sent again with the same `Idempotency-Key`, it is answered
    as the first time and stores nothing.
    """
    name = command.replace("-", "_")
    if name not in COMMAND_SCHEMAS:
        raise ApiError(404, {"command": [f"unknown command '{command}'"]})
    try:
        case_id = str(UUID(case_id))
    except ValueError:
        raise ApiError(404, {"case": [f"no case with id {case_id}"]}) from None
    key = idempotency_key()
    outcome = run_command(case_id, name, json_body(), key)
    if not outcome.ok:
        raise refused(outcome)
    return reply(CommandResult, {"case_id": case_id, "version": outcome.version,
                                 "case": views().case(case_id),
                                 "views_behind": outcome.views_behind}, status=201,
                 headers={"Location": url_for("api.case", case_id=case_id),
                          **replayed(outcome)})
