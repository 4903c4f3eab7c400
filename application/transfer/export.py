"""`arrears export`: the whole event log, with its chain, as JSON Lines (see `format`).

The export covers the events up to the notification position read when it starts; events
stored meanwhile are left for the next export (the file is consistent at that position:
with each case's events and chain up to there, the keys of those events, and the
checkpoints taken up to it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TextIO
from uuid import UUID

from application.errors import ChainBroken
from application.evidence.chain import TEXT_STATE, ZERO
from application.evidence.digest import Digest, Head
from application.service import CaseService
from application.transfer.format import (
    FORMAT,
    HEADER,
    TRAILER,
    checkpoint_line,
    dumps,
    event_line,
    key_line,
)
from application.transfer.tables import Tables, tables_of


@dataclass(frozen=True)
class Exported:
    events: int
    keys: int
    checkpoints: int
    cases: int
    position: int
    root: str

    def as_dict(self) -> dict[str, Any]:
        return {"events": self.events, "keys": self.keys, "checkpoints": self.checkpoints,
                "cases": self.cases, "position": self.position, "root": self.root}


def to_export(service: CaseService) -> int:
    """How many events the export will write (for a progress bar)."""
    return tables_of(service.chain_recorder).contents()[service.chain_recorder
                                                         .events_table_name]


def export_store(service: CaseService, out: TextIO,
                 progress: Callable[[int], None] = lambda n: None) -> Exported:
    tables = tables_of(service.chain_recorder)
    position = tables.position()
    out.write(dumps({"kind": HEADER, "format": FORMAT, "database": tables.database,
                     "position": position}) + "\n")
    heads, count = _events(tables, position, out, progress)
    keys = [row for row in tables.keys()
            if row["version"] <= heads.get(UUID(str(row["case_id"])), (0, ZERO))[0]]
    for row in keys:
        out.write(dumps(key_line(row)) + "\n")
    checkpoints = [row for row in service.chain_recorder.select_checkpoints()
                   if row["position"] <= position]
    for row in checkpoints:
        out.write(dumps(checkpoint_line(row)) + "\n")
    ordered = sorted(heads.items(), key=lambda item: item[0].bytes)  # = Head order, in C
    digest = Digest(position, [Head(case_id, version, digest)
                               for case_id, (version, digest) in ordered])
    done = Exported(count, len(keys), len(checkpoints),
                    digest.size, position, digest.root.hex())
    out.write(dumps({"kind": TRAILER, **done.as_dict()}) + "\n")
    return done


def _events(tables: Tables, position: int, out: TextIO,
            progress: Callable[[int], None]) -> tuple[dict[UUID, tuple[int, bytes]], int]:
    """Write the events up to the position; each case's head (version, hash), the count.

    One query streamed in pages, each page written at once; cases are keyed by the id as
    the database returns it (its text form made once per case)."""
    heads: dict[Any, tuple[int, bytes]] = {}
    names: dict[Any, str] = {}
    count = 0
    with tables.events_stream(position) as pages:
        for page in pages:
            lines = []
            for notification_id, key, version, topic, state, digest in page:
                name = names.get(key) or names.setdefault(key, str(_uuid(key)))
                if type(state) is str:  # rewritten outside Arrears: not an event as stored
                    raise ChainBroken(_uuid(key), version, TEXT_STATE)
                stored = None if digest is None else bytes(digest)
                lines.append(event_line(notification_id, name, version, topic, bytes(state),
                                        stored, heads.get(key, (0, ZERO))[1]))
                heads[key] = (version, stored or ZERO)
            out.write("".join(lines))
            count += len(page)
            progress(len(page))
    return {_uuid(key): head for key, head in heads.items()}, count


def _uuid(key: Any) -> UUID:
    return key if isinstance(key, UUID) else UUID(str(key))
