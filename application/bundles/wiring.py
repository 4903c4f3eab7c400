"""Which adapters bundles use: the one place to plug in the real chain, key and attachments.

Until they are wired in, bundles are signed by a stand-in key file (ARREARS_SIGNING_KEY,
default var/signing-key.pem, created on first use), carry the stand-in chain recomputed
from the store and no attachments (`application.bundles.standins`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from application.bundles.ports import BundleSources, ChainRule
from application.bundles.standins import (
    FileSigner,
    NoAttachments,
    RecomputedChain,
    SimpleChainRule,
)

if TYPE_CHECKING:
    from application.service import CaseService

DEFAULT_SIGNING_KEY = "var/signing-key.pem"


def signing_key_path(environ: Mapping[str, str] | None = None) -> Path:
    env = os.environ if environ is None else environ
    return Path(env.get("ARREARS_SIGNING_KEY") or DEFAULT_SIGNING_KEY)


def chain_rules() -> dict[str, ChainRule]:
    """Every chain rule `verify-bundle` knows, by the name a manifest gives."""
    return {rule.name: rule for rule in (SimpleChainRule(),)}


def bundle_sources(service: CaseService, key_path: Path | str | None = None) -> BundleSources:
    """The signer, chain and attachments bundles of this installation are made from."""
    return BundleSources(signer=FileSigner(key_path or signing_key_path()),
                         chain=RecomputedChain(service), attachments=NoAttachments())
