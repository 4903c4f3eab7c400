"""`arrears chain init`: seal the history stored before tamper evidence, once, on record.

Events stored by an Arrears without the chain have no hashes; their cases refuse to load
(ChainUnsealed) until the operator seals them. Sealing hashes every case that has no hash
at all and records, in `chain_seals`, when, by whom and up to which notification position
it did so: the chain then vouches for that history only from the seal on. A store made by
this version is sealed at birth (a "new store" seal); sealing is refused once sealed, so a
case without hashes in a sealed store is always a break, never history to seal.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from application.errors import EvidenceError
from application.evidence.chain import START, Canonicalizer, links
from application.recorders.base import Seal

BATCH = 200


class AlreadySealed(EvidenceError):
    """The store's history is already sealed."""


@dataclass
class Sealing:
    seal: Seal
    gaps: list[UUID] = field(default_factory=list)  # cases left unsealed: versions missing


def refuse_if_sealed(recorder: Any) -> None:
    """AlreadySealed, naming when and how, if the store has a seal."""
    done = recorder.seals()
    if done:
        raise AlreadySealed(f"the store was sealed on {done[0].sealed_at.isoformat()} "
                            f"({done[0].kind}); nothing to seal", "chain")


def seal_history(recorder: Any, canonical: Canonicalizer, at: datetime, by: str,
                 progress: Callable[[int], None] = lambda n: None) -> Sealing:
    """Hash every case without hashes and record the seal (one transaction)."""
    refuse_if_sealed(recorder)
    position = recorder.max_notification_id() or 0
    ids, rows, gaps, cases = recorder.case_ids(), [], [], 0
    for start in range(0, len(ids), BATCH):
        batch = ids[start:start + BATCH]
        for case_id, chain in recorder.select_chains(batch).items():
            if any(row.stored_hash for row in chain):
                continue
            try:
                made = links(START, [row.event for row in chain], canonical.bytes_of)
            except (ValueError, AttributeError):
                gaps.append(case_id)
                continue
            rows += [(case_id, link.version, link.hash) for link in made]
            cases += 1
        progress(len(batch))
    seal = Seal(at, "existing history", position, cases, len(rows), by)
    recorder.seal_history(rows, seal)
    return Sealing(seal, gaps)
