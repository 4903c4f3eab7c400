"""Evidence bundles of a case: the record that one was produced (who, which events, its hash).

The bundle itself is built by `application.bundles`; the case only records the fact, and
accepts it even when closed (a lawyer may need the evidence of a paid case).
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import TYPE_CHECKING

from domain import events as ev
from domain.errors import InvalidValue
from domain.values import Stamp, choice

if TYPE_CHECKING:
    from domain.case import DebtCase

SHA256_HEX = re.compile(r"[0-9a-f]{64}")
MAX_BUNDLE_FILES = 100_000


class Interface(StrEnum):
    """Where a person asked Arrears for something: the command line, a web page, the API."""

    CLI = "cli"
    WEB = "web"
    API = "api"


def check_sha256(value: str, field: str) -> str:
    """A SHA-256 digest as 64 lower-case hexadecimal digits."""
    text = str(value or "").strip().lower()
    if not SHA256_HEX.fullmatch(text):
        raise InvalidValue("must be a SHA-256 digest: 64 hexadecimal digits", field)
    return text


class BundleCommands:
    """Mixed into `DebtCase`: recording an evidence bundle produced."""

    def record_evidence_bundle(self: DebtCase, *, sha256: str, files: int, covers_version: int,
                               interface: str, stamp: Stamp) -> None:
        """Record that a bundle of events 1..covers_version was produced (closed cases too)."""
        stamp = self._check_stamp(stamp)
        if not 1 <= files <= MAX_BUNDLE_FILES:
            raise InvalidValue(f"must be from 1 to {MAX_BUNDLE_FILES:,}, got {files}", "files")
        if not 1 <= covers_version <= self.version:
            raise InvalidValue(f"must be from 1 to the case's version {self.version}, "
                               f"got {covers_version}", "covers_version")
        self._record(ev.EvidenceBundleProduced, stamp, sha256=check_sha256(sha256, "sha256"),
                     files=files, covers_version=covers_version,
                     interface=choice(Interface, interface, "interface").value)
