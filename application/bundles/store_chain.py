"""The bundles' chain and key as the store keeps them (ADR 16, ADR 20).

`StoreChainRule` is the store's own rule, so `verify-bundle` recomputes, from the bundle's
events alone, exactly the hashes `arrears verify` checks: SHA-256 of the previous hash (32
zero bytes before the first) and the event's canonical bytes (`application.evidence.canonical`).
`StoreChain` gives each event's canonical data and the head as stored, and the latest
signed checkpoint whose tree holds that head; `InstallationSigner` signs with the
installation's Ed25519 key, the one that signs digests and checkpoints.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from uuid import UUID

from application.bundles.layout import key_id_of
from application.bundles.ports import Checkpoint
from application.evidence import checkpoints
from application.evidence.canonical import canonical_json
from application.evidence.chain import ZERO, next_hash
from domain.events import CaseEvent

if TYPE_CHECKING:
    from application.evidence.keys import InstallationKey
    from application.service import CaseService

RULE_NAME = "arrears-chain-v1"


class StoreChainRule:
    """The store's chain rule, with no database: canonical JSON, then SHA-256 links."""

    name = RULE_NAME

    def canonical(self, data: Mapping[str, Any]) -> bytes:
        return canonical_json(dict(data))

    def link(self, previous: str | None, canonical: bytes) -> str:
        return next_hash(bytes.fromhex(previous) if previous else ZERO, canonical).hex()


class StoreChain:
    """A case's chain as stored and verified (`CaseService.case_chain`)."""

    def __init__(self, service: CaseService) -> None:
        self.service = service
        self.rule = StoreChainRule()
        self._chains: dict[UUID, list[Any]] = {}

    def _chain(self, case_id: UUID, version: int) -> list[Any]:
        """The case's verified chain, read again when it does not reach `version` yet."""
        found = self._chains.get(case_id)
        if found is None or len(found) < version:
            found = self._chains[case_id] = self.service.case_chain(case_id)
        return found

    def event_data(self, event: CaseEvent) -> dict[str, Any]:
        """The event's canonical data as stored (before any upcasting)."""
        version = event.originator_version
        return json.loads(self._chain(event.originator_id, version)[version - 1].canonical)

    def head(self, case_id: UUID, version: int) -> str:
        self._chains.pop(case_id, None)  # the head as stored now
        return self._chain(case_id, version)[version - 1].hash.hex()

    def checkpoint(self, case_id: UUID, version: int) -> Checkpoint | None:
        """The latest checkpoint whose tree has this case at this version as a leaf."""
        head = bytes.fromhex(self.head(case_id, version))
        for found in reversed(checkpoints.load(self.service.chain_recorder)):
            if any(h.case_id == case_id and h.version == version and h.hash == head
                   for h in found.heads):
                return Checkpoint(str(found.checkpoint_id), found.position, found.root,
                                  found.signature.hex())
        return None


class InstallationSigner:
    """The installation's Ed25519 key (the digests' and checkpoints' key) as a bundle Signer."""

    def __init__(self, key: InstallationKey) -> None:
        self.key = key
        self.key_id = key_id_of(key.public)

    def sign(self, data: bytes) -> bytes:
        return self.key.sign(data)

    def public_key_pem(self) -> bytes:
        return self.key.public_pem.encode()
