"""The canonical JSON of an event: the bytes its chain hash covers, the same on every machine.

The rules (version 1, ADR 0016):
- one JSON object, keys sorted by Unicode code point, no whitespace (`,` and `:` only),
  UTF-8 without a byte order mark; strings escape only `"`, `\\` and the control characters
  U+0000 to U+001F (as `\\b \\f \\n \\r \\t`, the others as `\\u00XX`, lowercase hex);
- integers in decimal digits, `true`, `false`, `null`; no floats (an event never holds one);
- a Decimal is a string in plain notation with its stored exponent (`"1200.00"`, never
  `"1.2E+3"`); a date is `"YYYY-MM-DD"`; a datetime is ISO 8601 with its UTC offset
  (`"2026-01-01T09:00:00+00:00"`, microseconds only when not zero; a datetime without an
  offset is refused); a UUID is lowercase and hyphenated; an enum is its value;
- a value object (a dataclass such as Money) is an object of its fields; lists and tuples are
  arrays.

The event's object holds `topic` (its class, as the store names it), `originator_id` (the
case), `originator_version` and every field of the stored state, as stored (before any
upcasting): `actor`, `occurred_on`, `timestamp`, `class_version` when stored, and the rest.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any
from uuid import UUID

VERSION = 1
RESERVED = ("topic", "originator_id", "originator_version")


class CanonicalError(ValueError):
    """A value the canonical form does not define (a float, a naive datetime, ...)."""


def canonical_json(value: Any) -> bytes:
    """The canonical bytes of a value (see the module's rules)."""
    return json.dumps(plain(value), ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                      allow_nan=False).encode("utf-8")


def event_bytes(topic: str, originator_id: UUID, version: int, state: dict[str, Any]) -> bytes:
    """The canonical bytes of a stored event: its topic, case, version and stored fields."""
    clash = [key for key in RESERVED if key in state]
    if clash:
        raise CanonicalError(f"the stored state of {topic} holds reserved field {clash[0]}")
    return canonical_json({**state, "topic": topic, "originator_id": originator_id,
                           "originator_version": version})


def plain(value: Any) -> Any:
    """The value in JSON's own types, by the canonical rules."""
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:
        return value
    convert = _BY_TYPE.get(kind)
    return convert(value) if convert is not None else _other(value)


def _other(value: Any) -> Any:
    """Enums, value objects and subclasses of the plain types."""
    if isinstance(value, Enum):
        return plain(value.value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    for kind, convert in _BY_TYPE.items():
        if isinstance(value, kind):
            return convert(value)
    if isinstance(value, str | int):  # bool is an int
        return value
    raise CanonicalError(f"no canonical form for a {type(value).__name__}: {value!r}")


def _object(value: dict[Any, Any]) -> dict[str, Any]:
    return {_key(k): plain(v) for k, v in value.items()}


def _array(value: list[Any] | tuple[Any, ...]) -> list[Any]:
    return [plain(v) for v in value]


def _decimal(value: Decimal) -> str:
    if not value.is_finite():
        raise CanonicalError(f"no canonical form for the decimal {value}")
    return format(value, "f")


def _datetime(value: datetime) -> str:
    if value.utcoffset() is None:
        raise CanonicalError(f"a datetime needs its UTC offset: {value.isoformat()}")
    return value.isoformat()


_BY_TYPE: dict[type, Any] = {
    dict: _object, list: _array, tuple: _array, Decimal: _decimal, datetime: _datetime,
    date: date.isoformat, UUID: str,
}


def _key(key: Any) -> str:
    if isinstance(key, Enum):
        key = key.value
    if not isinstance(key, str):
        raise CanonicalError(f"an object's keys are strings, not {key!r}")
    return str(key)
