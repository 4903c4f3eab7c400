"""Idempotency keys: a request sent twice records its events once.

A caller (a form's one-time token, the API's `Idempotency-Key` header) names its request
with a key. The key, a fingerprint of the command and what the command stored go into the
`idempotency_keys` table in the same database transaction as the command's events, by the
recorders in `application.recorders` (selected in `application.settings`): a key is never
stored without its events, nor events without their key. The table's primary key on the key
makes the database itself refuse a second command under one key, whichever process sends it.

`CaseService.handle(command, idempotency_key=...)` asks `find_key` first and answers a
repeated request with the first one's `Recorded`.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from application.commands import Command, Recorded
from application.errors import InvalidIdempotencyKey

TABLE = "idempotency_keys"
KEY_MIN_LENGTH, KEY_MAX_LENGTH = 8, 128
KEY_PATTERN = rf"^[A-Za-z0-9_.:-]{{{KEY_MIN_LENGTH},{KEY_MAX_LENGTH}}}$"  # also in OpenAPI
KEY_RULE = (f"must be {KEY_MIN_LENGTH} to {KEY_MAX_LENGTH} characters, each a letter, a "
            "digit, '-', '_', '.' or ':' (a UUID will do)")
# What the keyword argument to `Application.save` is called; the recorders look for it.
SAVE_KEYWORD = "idempotency"
# The field an idempotency error names (the web spells it as its form field or header).
KEY_FIELD = "idempotency_key"


def check_key(key: str) -> str:
    """The key as given, or InvalidIdempotencyKey naming the rule."""
    if not isinstance(key, str) or not re.fullmatch(KEY_PATTERN, key):
        raise InvalidIdempotencyKey(f"the idempotency key {KEY_RULE}", KEY_FIELD)
    return key


def fingerprint(command: Command) -> str:
    """A digest of the command, every field included: equal commands, equal fingerprints."""
    fields = json.dumps({"command": type(command).__name__, **asdict(command)},
                        default=str, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(fields.encode()).hexdigest()


@dataclass(frozen=True)
class Claim:
    """A request's idempotency key and the fingerprint of its command."""

    key: str
    fingerprint: str

    @classmethod
    def of(cls, command: Command, key: str) -> Claim:
        return cls(check_key(key), fingerprint(command))

    def record(self, recorded: Recorded, at: datetime) -> KeyRecord:
        return KeyRecord(self.key, self.fingerprint, recorded, at)


@dataclass(frozen=True)
class KeyRecord:
    """One row of the table: the key, its command's fingerprint, and what it stored."""

    key: str
    fingerprint: str
    recorded: Recorded
    recorded_at: datetime

    def row(self) -> tuple[Any, ...]:
        r = self.recorded
        return (self.key, self.fingerprint, str(r.case_id), r.invoice_number, r.first_version,
                r.version, self.recorded_at.isoformat())

    @classmethod
    def from_row(cls, row: Any) -> KeyRecord:
        recorded = Recorded(UUID(str(row["case_id"])), row["invoice_number"],
                            row["first_version"], row["version"], repeated=True)
        at = row["recorded_at"]
        return cls(row["idempotency_key"], row["fingerprint"], recorded,
                   at if isinstance(at, datetime) else datetime.fromisoformat(at))


def __getattr__(name: str) -> object:
    """The recorders moved to `application.recorders`; their old names still import."""
    aliases = {"SQLiteIdempotentRecorder": "SQLiteRecorder",
               "PostgresIdempotentRecorder": "PostgresRecorder", "IdempotentRecorder": "Recorder"}
    if name in aliases:
        import application.recorders as recorders

        return getattr(recorders, aliases[name])
    raise AttributeError(name)
