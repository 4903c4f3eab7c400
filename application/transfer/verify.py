"""An export file checked whole before anything is written: its lines, every case's chain
(each hash recomputed from the event's canonical bytes), and the trailer's counts and root."""

from __future__ import annotations

import binascii
import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent

from application.evidence.chain import ZERO, next_hash
from application.evidence.digest import Digest, Head
from application.transfer.format import (
    CHECKPOINT,
    EVENT,
    FORMAT,
    HEADER,
    KEY,
    TRAILER,
    ExportedEvent,
)

ORDER = {HEADER: 0, EVENT: 1, KEY: 2, CHECKPOINT: 3, TRAILER: 4}


class ImportRefused(Exception):
    """The file cannot be imported; the message names the line and the reason."""

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(f"line {line}: {reason}" if line else reason)
        self.line, self.reason = line, reason


@dataclass
class Checked:
    """What a file holds, once checked."""

    events: int = 0
    sha256: str = ""  # of the file's bytes: the import writes what was checked, or nothing
    keys: int = 0
    checkpoints: int = 0
    position: int = 0
    heads: dict[UUID, tuple[int, bytes]] = field(default_factory=dict)

    @property
    def cases(self) -> int:
        return len(self.heads)

    def root(self) -> str:
        return Digest(self.position, sorted(Head(case_id, version, digest) for case_id,
                                            (version, digest) in self.heads.items())).root.hex()


def lines(path: Path, seen: Any = None) -> Iterator[tuple[int, dict[str, Any]]]:
    """The file's objects with their line numbers; ImportRefused for one that is not.
    `seen` (a hashlib object) is fed every byte read."""
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, 1):
            if seen is not None:
                seen.update(raw)
            try:
                text = raw.decode("utf-8")
                line = json.loads(text)
            except ValueError as error:  # UnicodeDecodeError is one
                raise ImportRefused(number, f"not a JSON object ({error})") from None
            if not isinstance(line, dict) or line.get("kind") not in ORDER:
                raise ImportRefused(number, "not a line of an Arrears export (no known kind)")
            yield number, line


def check_file(path: Path, canonical: Callable[[StoredEvent], bytes],
               progress: Callable[[int], None] = lambda n: None) -> Checked:
    """Every line checked; ImportRefused at the first that does not hold."""
    checked, stage, last_id, seen = Checked(), -1, 0, hashlib.sha256()
    for number, line in lines(path, seen):
        kind = line["kind"]
        if ORDER[kind] < stage or (kind == HEADER) != (stage == -1) or stage == ORDER[TRAILER]:
            raise ImportRefused(number, f"a {kind} line is out of place")
        stage = ORDER[kind]
        try:
            last_id = _check_line(checked, kind, line, last_id, canonical)
        except ImportRefused as refused:
            raise ImportRefused(number, refused.reason) from None
        except (KeyError, TypeError, ValueError, binascii.Error) as error:
            raise ImportRefused(number, f"the {kind} cannot be read: {error}") from None
        if kind == EVENT:
            progress(1)
    if stage != ORDER[TRAILER]:
        raise ImportRefused(0, "the file ends without its trailer: it is cut short")
    checked.sha256 = seen.hexdigest()
    return checked


def _check_line(checked: Checked, kind: str, line: dict[str, Any], last_id: int,
                canonical: Callable[[StoredEvent], bytes]) -> int:
    if kind == HEADER:
        if line.get("format") != FORMAT:
            raise ImportRefused(0, f"the format is {line.get('format')!r}, not {FORMAT!r}")
        checked.position = int(line["position"])
    elif kind == EVENT:
        return _check_event(checked, ExportedEvent.of(line), last_id, canonical)
    elif kind == KEY:
        head = checked.heads.get(UUID(line["case_id"]), (0, ZERO))[0]
        if int(line["version"]) > head:
            raise ImportRefused(0, "the idempotency key names events the file does not hold")
        checked.keys += 1
    elif kind == CHECKPOINT:
        if int(line["position"]) > checked.position:
            raise ImportRefused(0, "the checkpoint is past the file's position")
        checked.checkpoints += 1
    else:
        _check_trailer(checked, line)
    return last_id


def _check_event(checked: Checked, event: ExportedEvent, last_id: int,
                 canonical: Callable[[StoredEvent], bytes]) -> int:
    case_id = UUID(str(event.stored.originator_id))
    version, previous = checked.heads.get(case_id, (0, ZERO))
    where = f"case {case_id} version {event.stored.originator_version}"
    if not last_id < event.id <= checked.position:
        raise ImportRefused(0, f"{where}: notification id {event.id} is out of order")
    if event.stored.originator_version != version + 1:
        raise ImportRefused(0, f"{where}: the case's previous event is version {version}")
    if event.previous != previous:
        raise ImportRefused(0, f"{where}: the previous hash is not the chain's")
    if event.hash is None:
        raise ImportRefused(0, f"{where}: no hash is stored for the event (seal the "
                               "source's history with `arrears chain init`, export again)")
    if next_hash(previous, canonical(event.stored)) != event.hash:
        raise ImportRefused(0, f"{where}: the event does not match its hash")
    checked.heads[case_id] = (version + 1, event.hash)
    checked.events += 1
    return event.id


def _check_trailer(checked: Checked, line: dict[str, Any]) -> None:
    for name in ("events", "keys", "checkpoints", "cases", "position"):
        if int(line[name]) != getattr(checked, name):
            raise ImportRefused(0, f"the trailer counts {line[name]} {name}, the file holds "
                                   f"{getattr(checked, name)}")
    if line["root"] != checked.root():
        raise ImportRefused(0, "the trailer's digest root is not the one of the file's cases")
