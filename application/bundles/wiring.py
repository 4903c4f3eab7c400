"""Which adapters bundles use: the one place to plug in the real chain, key and attachments.

Until they are wired in, bundles are signed by a stand-in key file (ARREARS_SIGNING_KEY,
default var/signing-key.pem, created on first use), carry the stand-in chain recomputed
from the store and the case's attachments from the blob store (`application.bundles.standins`).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING
from uuid import UUID

from application.bundles.ports import Attachment, BundleSources, ChainRule, Signer
from application.bundles.standins import (
    FileSigner,
    NoAttachments,
    SimpleChainRule,
)
from application.bundles.store_chain import InstallationSigner, StoreChain, StoreChainRule
from domain.events import AttachmentAdded

if TYPE_CHECKING:
    from application.attachments.service import Attachments
    from application.service import CaseService

DEFAULT_SIGNING_KEY = "var/signing-key.pem"


def signing_key_path(environ: Mapping[str, str] | None = None) -> Path:
    env = os.environ if environ is None else environ
    return Path(env.get("ARREARS_SIGNING_KEY") or DEFAULT_SIGNING_KEY)


def chain_rules() -> dict[str, ChainRule]:
    """Every chain rule `verify-bundle` knows, by the name a manifest gives (the simple rule
    of the bundles made before the store's chain was wired in still verifies)."""
    return {rule.name: rule for rule in (StoreChainRule(), SimpleChainRule())}


def bundle_sources(service: CaseService, key_path: Path | str | None = None,
                   attachments: Attachments | None = None) -> BundleSources:
    """The signer, chain and attachments bundles of this installation are made from."""
    found = NoAttachments() if attachments is None else StoredAttachments(service, attachments)
    if key_path is not None:  # a key file given for bundles alone (tests, a separate key)
        signer: Signer = FileSigner(key_path)
    else:
        signer = InstallationSigner(service.signing_key())
    return BundleSources(signer=signer, chain=StoreChain(service), attachments=found)


class StoredAttachments:
    """The documents attached to a case by its events 1..version, read (hash-checked) from
    the blob store."""

    def __init__(self, service: CaseService, attachments: Attachments) -> None:
        self.service = service
        self.attachments = attachments

    def for_case(self, case_id: UUID, version: int) -> Iterable[Attachment]:
        for event in self.service.case_events(case_id):
            if event.originator_version > version:
                break
            if isinstance(event, AttachmentAdded):
                yield Attachment(event.name, event.media_type, event.sha256,
                                 self.attachments.content(event.sha256))
