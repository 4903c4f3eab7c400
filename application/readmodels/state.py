"""A case's state as the projector keeps it in `rm_case_state`: written and read by orjson.

The row holds the library's snapshot of the case in the library's own JSON (the same
transcodings, the same bytes: a test pins them equal on every stored fixture and a worked
book), written by orjson instead of the standard library's encoder and read back by
orjson's parser with one walk doing what the library's object hook does (ADR 42). Only the
projector reads these rows, to pick up a case it no longer holds. What orjson cannot
write or read as the library does goes the library's way: an integer beyond 64 bits (which
orjson's parser would make a float), a lone surrogate. Two differences have no such way
back, and a case's state holds neither (Money and rates are Decimals; the case's id is the
row's key): orjson writes a UUID as a plain string where the library transcodes it, and a
NaN or an infinity as null. The pinning test fails if either appears in a case's state.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

import orjson
from eventsourcing.domain import Snapshot
from eventsourcing.persistence import AggregateRecorder, JSONTranscoder, Mapper, StoredEvent

from domain.case import DebtCase

# The library's transcodings get dates and dataclasses (Money, Debtor, ...); StrEnum keys
# are written as their value, as the standard library's encoder does.
OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS \
    | orjson.OPT_NON_STR_KEYS
MEMO_SIZE = 50_000  # values made from text, kept for the next state that holds the same text


class OrjsonTranscoder(JSONTranscoder):
    """The library's JSON with the same transcodings, encoded and parsed by orjson."""

    def __init__(self, like: JSONTranscoder) -> None:
        super().__init__()
        self.types, self.names = like.types, like.names  # the same registered transcodings
        self._made: dict[tuple[str, Any], Any] = {}

    def encode(self, obj: Any) -> bytes:
        try:
            written = orjson.dumps(obj, default=self._encode_obj, option=OPTIONS)
        except orjson.JSONEncodeError:  # not as the library writes it: the library's way
            return super().encode(obj)
        # orjson's bytes keep the memory its buffer grew to; a flush holds thousands of
        # these rows at once (a rebuild's peak RSS at 99,033 events: 318 MB, 256 copied).
        return bytes(memoryview(written))

    def decode(self, data: bytes) -> Any:
        try:
            parsed = orjson.loads(data)
            return self._revive(parsed) if type(parsed) is dict or type(parsed) is list \
                else parsed
        except (orjson.JSONDecodeError, ParsedAsFloat):
            return super().decode(data)

    def _revive(self, value: dict[str, Any] | list[Any]) -> Any:
        """What the library's object hook does, innermost object first, in place."""
        items = value.items() if type(value) is dict else enumerate(value)
        for key, item in items:
            kind = type(item)
            if kind is dict:
                value[key] = self._object(item)  # type: ignore[index]
            elif kind is list:
                self._revive(item)
            elif kind is float:
                raise ParsedAsFloat
        if type(value) is dict and len(value) == 2 and "_type_" in value and "_data_" in value:
            return self._decode_obj(value)
        return value

    def _object(self, item: dict[str, Any]) -> Any:
        """One JSON object: a transcoded value (made once for text seen before) or a dict."""
        data = item.get("_data_") if len(item) == 2 and "_type_" in item else None
        if type(data) is str:  # dates, datetimes, Decimals, UUIDs: immutable
            key: tuple[str, Any] = (item["_type_"], data)
        elif type(data) is dict and all(type(v) is str for v in data.values()):
            key = (item["_type_"], tuple(data.items()))  # Money, a Debtor: frozen, of text
        else:  # a dict, or a value made of more than text
            return self._revive(item)
        found = self._made.get(key)
        if found is None:
            if len(self._made) >= MEMO_SIZE:
                self._made.clear()
            found = self._made[key] = self._decode_obj(item)
        return found


class ParsedAsFloat(Exception):
    """orjson parses an integer beyond 64 bits as a float; the library keeps it an int.

    A case's state holds no floats (Money is a Decimal), so any float goes the library's way.
    """


class CaseStates:
    """`rm_case_state` rows made from cases, and cases made from those rows and the events
    stored after them (a row may be behind its case: ADR 44). Its `mapper` also decodes the
    events the projector applies: orjson's parser, the library's objects (ADR 44)."""

    def __init__(self, mapper: Mapper[Any], recorder: AggregateRecorder | None = None) -> None:
        self.recorder = recorder
        self.mapper = Mapper(transcoder=OrjsonTranscoder(mapper.transcoder),
                             compressor=mapper.compressor, cipher=mapper.cipher)

    def row(self, case: DebtCase) -> dict[str, Any]:
        stored = self.mapper.to_stored_event(Snapshot.take(case))
        return {"case_id": str(case.id), "version": case.version, "topic": stored.topic,
                "state": stored.state}

    def case(self, case_id: str, version: int, topic: str, state: bytes) -> DebtCase:
        stored = StoredEvent(originator_id=case_id, originator_version=version, topic=topic,
                             state=state)
        return self.mapper.to_domain_event(stored).mutate(None)

    def up_to(self, case_id: str, case: DebtCase | None, version: int) -> DebtCase | None:
        """The case at `version`: `case` (from its row; None: no row) with the events stored
        after it applied, read and decoded as the projector reads its notifications (not
        checked against the chain: the views show what is stored; `verify` judges it)."""
        after = case.version if case is not None else 0
        if after == version:
            return case
        if after > version:  # a row ahead of the position cannot be used: from the start
            case, after = None, 0
        if self.recorder is None:
            raise LookupError(f"case {case_id} is behind its events and no store to read them")
        for stored in self.recorder.select_events(UUID(case_id), gt=after, lte=version):
            case = self.mapper.to_domain_event(stored).mutate(case)
        return case
