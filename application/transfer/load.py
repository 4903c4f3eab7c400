"""`arrears import`: an export file into an empty store, all of it or nothing.

The file is checked whole first (`verify.check_file`); then the store must hold no event,
hash, key or checkpoint; then every row is written in one transaction, each event under its
notification id. The read models are rebuilt afterwards by the caller.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from application.service import CaseService
from application.transfer.format import (
    CHECKPOINT,
    EVENT,
    KEY,
    ExportedEvent,
    checkpoint_row,
    key_row,
)
from application.transfer.tables import tables_of
from application.transfer.verify import Checked, ImportRefused, check_file, lines

BATCH = 1000


class StoreNotEmpty(Exception):
    """An import goes into an empty store only; the message says what the store holds."""


def ensure_empty(contents: dict[str, int]) -> None:
    held = {table: n for table, n in contents.items() if n}
    if held:
        what = ", ".join(f"{n} rows in {table}" for table, n in held.items())
        raise StoreNotEmpty(f"the store is not empty ({what}); import into a new database "
                            "(or a new schema), nothing was written")


def check(service: CaseService, path: Path,
          progress: Callable[[int], None] = lambda n: None) -> Checked:
    return check_file(path, service.chain_recorder.canonical.bytes_of, progress)


def load(service: CaseService, path: Path, checked: Checked,
         progress: Callable[[int], None] = lambda n: None) -> None:
    """Write a checked file into the (empty) store in one transaction; refused (and rolled
    back) if the file's bytes are no longer those that were checked."""
    tables = tables_of(service.chain_recorder)
    seen = hashlib.sha256()
    with tables.writing() as writer:
        ensure_empty(writer.held())
        batch: list[ExportedEvent] = []
        for _, line in lines(path, seen):
            if line["kind"] == EVENT:
                batch.append(ExportedEvent.of(line))
                if len(batch) >= BATCH:
                    writer.events(batch)
                    progress(len(batch))
                    batch = []
            elif line["kind"] == KEY:
                writer.keys([key_row(line)])
            elif line["kind"] == CHECKPOINT:
                writer.checkpoints([checkpoint_row(line)])
        writer.events(batch)
        progress(len(batch))
        if seen.hexdigest() != checked.sha256:
            raise ImportRefused(0, "the file changed while it was imported")
