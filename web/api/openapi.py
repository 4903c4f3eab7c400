"""The OpenAPI 3 document, generated from the routes and the same marshmallow schemas.

Each API view declares its query, body and reply schemas with `@documented`; the document
walks the app's URL map, so a route cannot be served without being described. A route whose
body is a mapping (the commands) becomes one path per entry.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Flask, current_app, jsonify
from flask.typing import ResponseReturnValue
from marshmallow import Schema, fields, validate

from application.idempotency import KEY_MAX_LENGTH, KEY_MIN_LENGTH, KEY_PATTERN, KEY_RULE
from web.api import bp
from web.api.idempotency import HEADER, REPLAYED
from web.schemas import values
from web.schemas.readmodels import Errors

DESCRIPTIONS = {
    200: "OK",
    201: "Recorded",
    400: "Malformed request: the errors name each parameter or field at fault",
    404: "No such case, debtor or command",
    409: "Someone else changed the case meanwhile, or the invoice already has a case",
    413: "The body is larger than the server takes (1 MiB for JSON, the attachment limit for "
         "an upload); nothing was stored",
    415: "The upload's content is of a type that may not be attached; nothing was stored",
    422: "A collection rule refused the command, or the Idempotency-Key was used for another "
         "request: the errors name the field or header",
    500: "The server failed; the error is logged",
}
BINARY = {"type": "string", "format": "binary"}


@dataclass(frozen=True)
class Binary:
    """A reply whose body is a stored file's bytes, in one of these media types."""

    media_types: tuple[str, ...]

IDEMPOTENCY_KEY = {
    "in": "header", "name": HEADER, "required": False,
    "description": (
        f"Names this request so that it is recorded once. The key {KEY_RULE}; send a new one "
        "for each new request (e.g. a UUID), and the same one when sending the request again "
        "after a timeout or a lost answer. The same request again under a stored key is "
        "answered as the first time (201, the same case_id and version; `case` as it is "
        "now) and stores nothing; another request under it is a 422 naming "
        f"{HEADER}; a malformed key is a 400. A refused request stores no key. The key is "
        "stored in the same transaction as the events, so this holds across processes; of "
        "two requests racing with one key, one is stored and the other gets its answer."),
    "schema": {"type": "string", "minLength": KEY_MIN_LENGTH, "maxLength": KEY_MAX_LENGTH,
               "pattern": KEY_PATTERN},
}

# A case's id is a UUID (any other text is a 404, as an unknown one is).
PATH_VARIABLES = {"case_id": {"type": "string", "format": "uuid"}}


@dataclass(frozen=True)
class Operation:
    """What a view takes and returns: {status: schema (None for a free-form object)}."""

    responses: Mapping[int, type[Schema] | Binary | None]
    query: type[Schema] | None = None
    body: type[Schema] | Mapping[str, type[Schema]] | None = None
    headers: Mapping[int, Mapping[str, str]] = field(default_factory=dict)
    describe: Callable[[str], str] | None = None
    idempotent: bool = False
    form: bool = False  # the body is multipart/form-data (it carries a file), not JSON


def documented(responses: Mapping[int, type[Schema] | Binary | None], *,
               query: type[Schema] | None = None,
               body: type[Schema] | Mapping[str, type[Schema]] | None = None,
               headers: Mapping[int, Mapping[str, str]] | None = None,
               describe: Callable[[str], str] | None = None,
               idempotent: bool = False, form: bool = False) -> Callable:
    """Describe a view for the OpenAPI document (400, 413 with a body, and 500 are added).

    A mapping `body` gives one path per name; `describe(name)` says what each one does.
    `idempotent`: the view takes an `Idempotency-Key` header (see `web.api.idempotency`).
    `form`: the body is sent as multipart/form-data. A `Binary` reply is a file's bytes.
    """
    def mark(view: Callable) -> Callable:
        view.openapi = Operation(  # type: ignore[attr-defined]
            responses, query, body, headers or {}, describe, idempotent, form)
        return view
    return mark


def build_spec(app: Flask) -> dict[str, Any]:
    prefix = app.extensions.get("arrears_api_prefix", "")
    plugin = MarshmallowPlugin()
    spec = APISpec(title="Arrears", version=_version(), openapi_version="3.0.3",
                   plugins=[plugin], servers=[{"url": prefix or "/"}],
                   info={"description": "Event-sourced case management for escalated debts. "
                                        "Amounts are decimal strings; dates are ISO 8601."})
    plugin.converter.add_attribute_function(_decimal_as_string)
    plugin.converter.add_attribute_function(_typed_text)
    paths: dict[str, dict[str, Any]] = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if not rule.endpoint.startswith(f"{bp.name}."):
            continue
        view = app.view_functions[rule.endpoint]
        operation: Operation = view.openapi
        path = _template(rule.rule.removeprefix(prefix))
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            for sub_path, body, name in _expand(path, operation.body):
                paths.setdefault(sub_path, {})[method.lower()] = _operation(
                    view, rule.endpoint, operation, body, sub_path, name)
    for path, operations in paths.items():
        spec.path(path=path, operations=operations)
    return _blank_is_absent(spec.to_dict())


def _blank_is_absent(document: dict[str, Any]) -> dict[str, Any]:
    """An optional query parameter may be sent blank (`?stage=`): it counts as left out."""
    for operations in document["paths"].values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "query" and not parameter.get("required"):
                    parameter["allowEmptyValue"] = True
    return document


def _decimal_as_string(self: Any, field: fields.Field, ret: dict[str, Any],
                       **_: Any) -> dict[str, Any]:
    """Amounts are exact: decimal strings out, decimal strings (or JSON numbers) in."""
    if not isinstance(field, fields.Decimal):
        return {}
    ret.pop("minimum", None)
    ret.pop("maximum", None)
    limits = []
    for rule in field.validators:
        if isinstance(rule, validate.Range):
            if rule.min is not None:
                limits.append(f"{'at least' if rule.min_inclusive else 'more than'} {rule.min}")
            if rule.max is not None:
                limits.append(f"{'at most' if rule.max_inclusive else 'less than'} {rule.max}")
    text = " ".join(filter(None, [ret.get("description", ""),
                                  "A decimal number as a string (a JSON number is accepted "
                                  "in a request)" + (f"; {', '.join(limits)}" if limits else "")
                                  + "."]))
    return {"type": "string", "format": "decimal", "description": text}


# Text the one parser reads as a value: the format it must have, and what that means.
FORMATS = {
    values.Amount: ("amount", "an amount, e.g. \"1200.50\" (',' only to group thousands)"),
    values.Currency: ("currency", "ISO 4217 code of a currency in use, e.g. EUR"),
    values.Rate: ("percent", "an annual rate in percent, 0 to 100, at most 4 decimals, "
                             "e.g. \"8.15\""),
}
# Of those, the ones a JSON number is also accepted for (read as its shortest digits).
NUMBERS_TOO = (values.Amount, values.Rate)


def _typed_text(self: Any, field: fields.Field, ret: dict[str, Any],
                **_: Any) -> dict[str, Any]:
    """An amount, currency or rate: a string of its own format (amounts and rates: or a
    JSON number)."""
    kind = next((kind for cls, kind in FORMATS.items() if isinstance(field, cls)), None)
    if kind is None:
        return {}
    name, description = kind
    text = {"type": "string", "format": name}
    described = {"description": ret.get("description", description)}
    if not isinstance(field, NUMBERS_TOO):
        return {**text, **described}
    ret.pop("type", None)
    return {"anyOf": [text, {"type": "number"}], **described}


def _expand(path: str, body: Any) -> list[tuple[str, Any, str]]:
    """A mapping body: one path per name, in place of the path's last variable."""
    if not isinstance(body, Mapping):
        return [(path, body, "")]
    base = path.rsplit("/", 1)[0]
    return [(f"{base}/{name}", schema, name) for name, schema in body.items()]


def _operation(view: Callable, endpoint: str, op: Operation, body: type[Schema] | None,
               path: str, name: str) -> dict[str, Any]:
    summary, _, description = (inspect.getdoc(view) or endpoint).partition("\n")
    summary = summary.strip().rstrip(".")
    if name:
        summary = f"{summary}: {name}"
        description = op.describe(name) if op.describe else description
    result: dict[str, Any] = {
        "operationId": f"{endpoint}.{name}" if name else endpoint, "summary": summary,
        "tags": [path.strip("/").split("/")[0]],
        "parameters": [{"in": "path", "name": variable, "required": True,
                        "schema": PATH_VARIABLES.get(variable, {"type": "string"})}
                       for variable in re.findall(r"{(\w+)}", path)],
        "responses": {},
    }
    if description.strip():
        result["description"] = " ".join(description.split())
    if op.query is not None:
        result["parameters"].append({"in": "query", "schema": op.query})
    headers = {status: dict(named) for status, named in op.headers.items()}
    if op.idempotent:
        result["parameters"].append(IDEMPOTENCY_KEY)
        headers.setdefault(201, {})[REPLAYED] = (
            "`true` when this answer repeats the first one for the same Idempotency-Key "
            "(nothing new was stored); absent otherwise")
    if body is not None:
        kind = "multipart/form-data" if op.form else "application/json"
        result["requestBody"] = {"required": True, "content": {kind: {"schema": body}}}
    statuses = dict(op.responses)
    if op.query is not None or body is not None:
        statuses.setdefault(400, Errors)
    if body is not None:
        statuses.setdefault(413, Errors)
    statuses.setdefault(500, Errors)
    for status, schema in sorted(statuses.items()):
        reply: dict[str, Any] = {"description": DESCRIPTIONS.get(status, "")}
        if isinstance(schema, Binary):
            reply["content"] = {t: {"schema": BINARY} for t in schema.media_types}
        else:
            reply["content"] = {"application/json": {"schema": schema or {"type": "object"}}}
        if status in headers:
            reply["headers"] = {name: {"description": text, "schema": {"type": "string"}}
                                for name, text in headers[status].items()}
        result["responses"][str(status)] = reply
    return result


def _template(rule: str) -> str:
    """Flask's /cases/<case_id> → OpenAPI's /cases/{case_id}."""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule)


def _version() -> str:
    try:
        return version("arrears")
    except PackageNotFoundError:
        return "0"


@bp.get("/openapi.json")
@documented({200: None})
def openapi() -> ResponseReturnValue:
    """This OpenAPI 3 document."""
    return jsonify(build_spec(current_app))
