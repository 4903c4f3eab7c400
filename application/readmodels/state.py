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

import orjson
from eventsourcing.domain import Snapshot
from eventsourcing.persistence import JSONTranscoder, Mapper, StoredEvent

from domain.case import DebtCase

# The library's transcodings get dates and dataclasses (Money, Debtor, ...); StrEnum keys
# are written as their value, as the standard library's encoder does.
OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS \
    | orjson.OPT_NON_STR_KEYS


class OrjsonTranscoder(JSONTranscoder):
    """The library's JSON with the same transcodings, encoded and parsed by orjson."""

    def __init__(self, like: JSONTranscoder) -> None:
        super().__init__()
        self.types, self.names = like.types, like.names  # the same registered transcodings

    def encode(self, obj: Any) -> bytes:
        try:
            return orjson.dumps(obj, default=self._encode_obj, option=OPTIONS)
        except orjson.JSONEncodeError:  # not as the library writes it: the library's way
            return super().encode(obj)

    def decode(self, data: bytes) -> Any:
        try:
            return self._revive(orjson.loads(data))
        except (orjson.JSONDecodeError, ParsedAsFloat):
            return super().decode(data)

    def _revive(self, value: Any) -> Any:
        """What the library's object hook does, innermost object first."""
        if type(value) is dict:
            for key, item in value.items():
                if type(item) is dict or type(item) is list:
                    value[key] = self._revive(item)
                elif type(item) is float:
                    raise ParsedAsFloat
            return self._decode_obj(value)
        if type(value) is float:
            raise ParsedAsFloat
        if type(value) is not list:
            return value
        for index, item in enumerate(value):
            if type(item) is dict or type(item) is list:
                value[index] = self._revive(item)
            elif type(item) is float:
                raise ParsedAsFloat
        return value


class ParsedAsFloat(Exception):
    """orjson parses an integer beyond 64 bits as a float; the library keeps it an int.

    A case's state holds no floats (Money is a Decimal), so any float goes the library's way.
    """


class CaseStates:
    """`rm_case_state` rows made from cases, and cases made from those rows."""

    def __init__(self, mapper: Mapper[Any]) -> None:
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
