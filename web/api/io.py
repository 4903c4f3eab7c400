"""Reading a request and writing a reply, both through marshmallow schemas."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Response, current_app, jsonify, request
from marshmallow import Schema, ValidationError
from werkzeug.exceptions import BadRequest, RequestEntityTooLarge

from application.readmodels.queries import CaseViews
from web.api.errors import ApiError
from web.context import arrears

# A command's body nests three levels deep (body, instalments, an instalment).
MAX_DEPTH = 32
NOT_AN_OBJECT = "must be a JSON object, sent as application/json"
TOO_DEEP = f"must not nest arrays and objects more than {MAX_DEPTH} levels deep"


def views() -> CaseViews:
    return arrears().views


def query_args(schema: type[Schema]) -> dict[str, Any]:
    """The query string loaded by the schema; an empty value (`?stage=`) counts as absent.

    Other values are read as sent: `?sort=%0A` is an unknown order, not the default one.
    """
    args = {name: value for name, value in request.args.items() if value}
    try:
        return schema().load(args)
    except ValidationError as error:
        raise ApiError(400, _messages(error.messages)) from None


def json_body() -> dict[str, Any]:
    """The request's JSON object: 400 for anything else or one nested deeper than MAX_DEPTH,
    413 for a body over MAX_JSON_BODY bytes."""
    if not request.is_json:
        raise ApiError(400, {"body": [NOT_AN_OBJECT]})
    limit = current_app.config["MAX_JSON_BODY"]
    too_large = ApiError(413, {"body": [f"must be at most {limit:,} bytes"]})
    if (request.content_length or 0) > limit:
        raise too_large
    try:
        if len(request.get_data(cache=True)) > limit:  # sent without a Content-Length
            raise too_large
        data = request.get_json()
    except RequestEntityTooLarge:
        raise too_large from None
    except BadRequest:
        raise ApiError(400, {"body": [NOT_AN_OBJECT]}) from None
    except RecursionError:  # deeper than the parser can go: far deeper than MAX_DEPTH
        raise ApiError(400, {"body": [TOO_DEEP]}) from None
    if not isinstance(data, dict):
        raise ApiError(400, {"body": [NOT_AN_OBJECT]})
    if _depth(data) > MAX_DEPTH:
        raise ApiError(400, {"body": [TOO_DEEP]})
    return data


def _depth(value: Any) -> int:
    """How deeply arrays and objects nest in a parsed JSON value (a scalar is 0)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        children = item.values() if isinstance(item, dict) else item
        deepest = max(deepest, level)
        stack.extend((c, level + 1) for c in children if isinstance(c, dict | list))
    return deepest if isinstance(value, dict | list) else 0


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
