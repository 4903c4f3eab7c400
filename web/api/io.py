"""Reading a request and writing a reply, both through marshmallow schemas."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Response, jsonify, request
from marshmallow import Schema, ValidationError

from application.readmodels.queries import CaseViews
from web.api.errors import ApiError
from web.context import views as scoped_views


def views() -> CaseViews:
    """The read models as the API's signed-in user may see them (web.context.views)."""
    return scoped_views()


def query_args(schema: type[Schema]) -> dict[str, Any]:
    """The query string loaded by the schema (values stripped; blank ones count as absent)."""
    args = {name: value.strip() for name, value in request.args.items() if value.strip()}
    try:
        return schema().load(args)
    except ValidationError as error:
        raise ApiError(400, _messages(error.messages)) from None


def json_body() -> dict[str, Any]:
    """The request's JSON object, or 400."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ApiError(400, {"body": ["must be a JSON object, sent as application/json"]})
    return data


def reply(schema: type[Schema], obj: Any, status: int = 200,
          headers: dict[str, str] | None = None) -> Response:
    response = jsonify(schema().dump(obj))
    response.status_code = status
    response.headers.update(headers or {})
    return response


def case_or_404(case_id: str) -> dict[str, Any]:
    """The case's summary from the read model; 404 for an unknown or malformed id."""
    try:
        normal = str(UUID(case_id))
    except ValueError:
        normal = ""
    found = views().case(normal) if normal else None
    if found is None:
        raise ApiError(404, {"case": [f"no case with id {case_id}"]})
    return found


def _messages(messages: Any) -> dict[str, list[str]]:
    if isinstance(messages, list):
        return {"_schema": [str(m) for m in messages]}
    return {str(k): [str(m) for m in (v if isinstance(v, list) else [v])]
            for k, v in messages.items()}
