"""The canonical bytes of a stored event made straight from its stored JSON (for `verify`).

`Canonicalizer.bytes_of` decodes the stored state into the domain's objects (Money, dates,
Decimals) and walks them in Python to the canonical form; `FastCanonical.bytes_of` reaches
the same bytes with orjson (a C parser and encoder, ADR 0037): the stored JSON is parsed in
one call, then one walk turns each `{"_type_", "_data_"}` object the transcoder wrote into
its canonical value, innermost first (a date, datetime, Decimal or UUID by the same
functions `canonical.plain` applies to the decoded object; a value object by its own
transcoding's `decode`, then `plain`; each remembered by the exact text of its data, so a
value stored again, as amounts and dates are, is converted once). Text that already is in
its canonical form (a time stamp as `isoformat` wrote it, an amount in plain notation, a
Money of two such strings) is its own value: a pattern that admits only such text says so,
without converting or remembering it (ADR 0043; time stamps are never stored twice, so
they missed the memo every time). The rest of the JSON
already is in JSON's own types, and the encoder sorts the keys (by code point: orjson sorts
UTF-8 bytes, which is the same order).

It is a shortcut, never the judge: anything it does not know (an unregistered type, a float,
a reserved field, a cipher it cannot see through) raises `NotFast`, and `verify` trusts it
only when its bytes hash to the stored hash. Any other outcome is decided by
`Canonicalizer.bytes_of`, so `verify` finds exactly the breaks it found before.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any
from uuid import UUID

import orjson
from eventsourcing.persistence import (
    DatetimeAsISO,
    DecimalAsStr,
    JSONTranscoder,
    StoredEvent,
    Transcoding,
    UUIDAsHex,
)

from application.evidence.canonical import RESERVED, _datetime, _decimal, plain
from application.evidence.chain import Canonicalizer
from application.transcodings import DateAsISO, MoneyAsDict
from domain.money import Money

_TOPIC, _ID, _VERSION = RESERVED
_SCALARS = frozenset({str, int, bool, type(None)})  # JSON's values that are already canonical
MEMO = 4_096  # canonical values remembered by their stored text; emptied when full
SEEN = 4_096  # texts of a kind found canonical, remembered (dates, amounts); emptied when full

# Stored text already in its canonical form: its canonical value is the text itself. Each
# pattern admits only text that the full conversion gives back unchanged (a valid date, no
# zero microseconds, no "-00:00" offset, no leading zero or exponent); other text converts.
_DAY = (r"(?!0000)\d{4}-(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1\d|2[0-8])"
        r"|(?:0[13-9]|1[0-2])-(?:29|30)|(?:0[13578]|1[02])-31)")
_CANONICAL_DATE = re.compile(_DAY)
_CANONICAL_DATETIME = re.compile(
    _DAY + r"T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.(?!000000)\d{6})?"
    r"(?:\+(?:[01]\d|2[0-3]):[0-5]\d|-(?!00:00)(?:[01]\d|2[0-3]):[0-5]\d)")
_CANONICAL_DECIMAL = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?")
# Whether a transcoding's text already is canonical, by the kind of transcoding.
_AS_IS: dict[type, Callable[[str], Any]] = {
    DatetimeAsISO: _CANONICAL_DATETIME.fullmatch, DateAsISO: _CANONICAL_DATE.fullmatch,
    DecimalAsStr: _CANONICAL_DECIMAL.fullmatch}


class NotFast(Exception):
    """The shortcut cannot make this event's bytes: the full canonicalizer must."""


def _primitive(transcoding: Transcoding) -> Callable[[Any], Any] | None:
    """The canonical value of a transcoding's data when it decodes to a plain type."""
    kind = type(transcoding)
    if kind is DatetimeAsISO:
        return lambda data: _datetime(datetime.fromisoformat(data))
    if kind is DateAsISO:
        return lambda data: date.fromisoformat(data).isoformat()
    if kind is DecimalAsStr:
        return lambda data: _decimal(Decimal(data))
    if kind is UUIDAsHex:
        return lambda data: str(UUID(data))
    return None


def _money(data: Any) -> Any:
    """`plain(MoneyAsDict().decode(data))` without making the Money: its two fields."""
    return {"amount": _decimal(Decimal(data["amount"])), "currency": plain(data["currency"])}


def _value_object(transcoding: Transcoding) -> Callable[[Any], Any]:
    """`plain` of the decoded object, its dataclass fields listed once rather than per call.
    It is given data already in canonical form (`FastCanonical._plain`), and `plain` gives
    such a value back unchanged, so a field the decoder kept as given (the same object: a
    debtor's name, a share's Money) is taken as it is; any other is converted by `plain`.
    The decoder still runs, so what it refuses is still refused."""
    kind, decode = transcoding.type, transcoding.decode
    if type(transcoding) is MoneyAsDict and kind is Money \
            and [f.name for f in dataclasses.fields(Money)] == ["amount", "currency"]:
        return _money  # the most frequent value object
    if not (dataclasses.is_dataclass(kind) and isinstance(kind, type)) or issubclass(kind, Enum):
        return lambda data: plain(decode(data))
    names = tuple(f.name for f in dataclasses.fields(kind))

    def convert(data: Any) -> Any:
        found = decode(data)
        if type(found) is not kind:
            return plain(found)
        given = data if type(data) is dict else {}
        canonical = {}
        for name in names:  # a field that is the very value given already is canonical
            value = getattr(found, name)
            canonical[name] = value if value is given.get(name, given) else plain(value)
        return canonical

    return convert


class _Seen:
    """A pattern's test of canonical text, and the texts it passed (`known`, at most SEEN):
    for texts that recur (dates, amounts), a lookup in `known` costs a tenth of a match."""

    def __init__(self, test: Callable[[str], Any]) -> None:
        self.test, self.known = test, set[str]()

    def passes(self, text: str) -> bool:
        if text in self.known:
            return True
        if not self.test(text):
            return False
        if len(self.known) >= SEEN:
            self.known.clear()
        self.known.add(text)
        return True


class FastCanonical:
    """Canonical bytes from stored JSON; NotFast when it cannot vouch for them."""

    def __init__(self, canonical: Canonicalizer) -> None:
        mapper = canonical.mapper
        transcoder = mapper.transcoder
        self.usable = (isinstance(transcoder, JSONTranscoder) and mapper.cipher is None
                       and mapper.compressor is None)
        names = transcoder.names if isinstance(transcoder, JSONTranscoder) else {}
        self.converters = {name: _primitive(t) or _value_object(t) for name, t in names.items()}
        # The names whose text needs no conversion when it already is canonical, each with
        # its first test: a time stamp's pattern (they do not recur), else a lookup among
        # the texts already seen to pass (`seen`; one not among them is matched there).
        self.seen = {name: _Seen(_AS_IS[type(t)]) for name, t in names.items()
                     if type(t) in _AS_IS and type(t) is not DatetimeAsISO}
        self.as_is = {name: self.seen[name].known.__contains__ if name in self.seen
                      else _AS_IS[type(t)] for name, t in names.items() if type(t) in _AS_IS}
        self.amounts = _Seen(_CANONICAL_DECIMAL.fullmatch)  # of Money objects
        self.money = {name for name, convert in self.converters.items() if convert is _money}
        self.memo: dict[tuple[str, str | bytes], Any] = {}

    def _typed(self, name: Any, data: Any) -> Any:
        """The canonical value of one `{"_type_": name, "_data_": data}`: the text itself when
        it already is canonical, else converted and remembered by the exact text of its data
        (its JSON for an object: `1`, `true` and `1.0` stay apart)."""
        kind = type(data)
        if kind is str:
            as_is = self.as_is.get(name)
            seen = self.seen.get(name)
            if as_is is not None and (as_is(data) or seen is not None and seen.passes(data)):
                return data
            key: Any = (name, data)
        elif kind is dict:
            if name in self.money and len(data) == 2:
                amount, currency = data.get("amount"), data.get("currency")
                if type(amount) is str and type(currency) is str and self.amounts.passes(amount):
                    return {"amount": amount, "currency": currency}
            key = (name, orjson.dumps(data))
        else:
            key = None
        found = self.memo.get(key) if key is not None else None
        if found is not None:
            return found
        convert = self.converters.get(name)
        if convert is None:
            raise NotFast(f"no transcoding named {name!r}")
        found = convert(self._plain(data) if kind is dict or kind is list else data)
        if key is not None:
            if len(self.memo) >= MEMO:
                self.memo.clear()
            self.memo[key] = found
        return found

    def _plain(self, value: Any) -> Any:
        """The parsed JSON with every transcoded object replaced by its canonical value."""
        kind = type(value)
        if kind is dict:
            if len(value) == 2 and "_type_" in value and "_data_" in value:
                return self._typed(value["_type_"], value["_data_"])
            as_is, money, amounts = self.as_is, self.money, self.amounts.known
            for key, item in value.items():
                kind = type(item)
                if kind is dict:
                    if len(item) == 2 and "_type_" in item and "_data_" in item:
                        name, data = item["_type_"], item["_data_"]
                        kind = type(data)
                        if kind is str:  # `_typed`'s first tests, without its call
                            check = as_is.get(name)
                            if check is not None and check(data):
                                value[key] = data
                                continue
                        elif kind is dict and name in money and len(data) == 2:
                            amount = data.get("amount")  # a Money of an amount seen before:
                            if type(amount) is str and amount in amounts \
                                    and type(data.get("currency")) is str:
                                value[key] = data  # its two fields, as `_typed` makes them
                                continue
                        value[key] = self._typed(name, data)
                    else:
                        value[key] = self._plain(item)
                elif kind is list:
                    value[key] = self._plain(item)
                elif kind is float:
                    raise NotFast("a float has no canonical form")
            return value
        if kind is list:
            return [member if type(member) in _SCALARS else self._plain(member)
                    for member in value]
        if kind is float:
            raise NotFast("a float has no canonical form")
        return value

    def of_stored(self, event: StoredEvent) -> bytes | None:
        """`bytes_of` a stored event (its id a UUID), or None where NotFast: for
        `chain.follow`'s shortcut."""
        try:
            return self.bytes_of(event.topic, str(event.originator_id),
                                 event.originator_version, event.state)
        except NotFast:
            return None

    def bytes_of(self, topic: str, case_id: str, version: int, state: Any) -> bytes:
        """The canonical bytes of an event (case_id lowercase and hyphenated) from its state as
        stored (bytes; read back as text, it is refused), or NotFast."""
        if not self.usable:
            raise NotFast("the mapper ciphers, compresses or does not store JSON")
        if isinstance(state, str):  # read back as text: not an event as stored (chain._step)
            raise NotFast("the state is stored as text, not bytes")
        try:
            parsed = orjson.loads(state)
            if type(parsed) is not dict or "_type_" in parsed or _TOPIC in parsed \
                    or _ID in parsed or _VERSION in parsed:
                raise NotFast("not an object of stored fields")
            found = self._plain(parsed)
            found["topic"], found["originator_id"] = topic, case_id
            found["originator_version"] = version
            return orjson.dumps(found, option=orjson.OPT_SORT_KEYS)
        except NotFast:
            raise
        except Exception as error:  # whatever it is, the full canonicalizer judges it
            raise NotFast(str(error)) from error
