"""The `Idempotency-Key` request header of the POSTs that record, read and checked once.

A request sent again with the same key is answered as the first time (201, the same
case id and version) and stores nothing; the answer then carries `Idempotent-Replayed:
true`. The same key with another request is a 422 naming the header.
"""

from __future__ import annotations

from flask import request

from application.errors import InvalidIdempotencyKey
from application.idempotency import KEY_FIELD, KEY_RULE, check_key
from web.api.errors import ApiError
from web.commanding import Outcome

HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"


def idempotency_key() -> str | None:
    """The request's key (None without the header), or 400 naming the header.

    The key may be sent bare or as a quoted string (`"…"`, the structured-field form).
    """
    values = request.headers.getlist(HEADER)
    if not values:
        return None
    if len(values) > 1:
        raise ApiError(400, {HEADER: [f"send one {HEADER} header, not {len(values)}"]})
    value = values[0].strip()
    if len(value) > 1 and value[0] == value[-1] == '"':
        value = value[1:-1]
    try:
        return check_key(value)
    except InvalidIdempotencyKey:
        raise ApiError(400, {HEADER: [f"{HEADER} {KEY_RULE}"]}) from None


def refused(outcome: Outcome) -> ApiError:
    """The refused outcome as an API error; the key's errors name the header."""
    return ApiError(outcome.status, {HEADER if name == KEY_FIELD else name: messages
                                     for name, messages in outcome.errors.items()})


def replayed(outcome: Outcome) -> dict[str, str]:
    """The reply's extra header when this answer repeats an earlier one."""
    return {REPLAYED: "true"} if outcome.repeated else {}
