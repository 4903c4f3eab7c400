"""Producing a case's evidence bundle, and recording that it was produced.

The bundle is made from the event store (never a read model): the case's events as they
are stored, each with its chain hash; the case state is those same events replayed, so the
chronology, the statement and events.jsonl describe exactly one version of the case.
"""

from __future__ import annotations

import dataclasses
import hashlib
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import IO, Any
from uuid import UUID

from application.bundles import chronology, layout
from application.bundles.ports import Attachment, BundleSources, ChainInfo
from application.commands import Recorded, RecordEvidenceBundle
from application.errors import CaseNotFound
from application.records import case_record, event_record
from application.service import CaseService
from domain.bundles import Interface
from domain.case import DebtCase
from domain.events import CaseEvent


class BundleRefused(Exception):
    """The bundle cannot be made honestly (the chain or an attachment does not match)."""


@dataclass(frozen=True)
class Produced:
    """A bundle written: which case and events it covers, the zip's hash, size and files."""

    case_id: UUID
    invoice_number: str
    covers_version: int
    sha256: str
    files: int
    size: int


def produce(service: CaseService, sources: BundleSources, case_id: UUID,
            out: IO[bytes]) -> Produced:
    """Write the case's bundle to `out` (seekable and readable: a file opened w+b, BytesIO)."""
    events = list(service.case_events(case_id))
    if not events:
        raise CaseNotFound(f"no case with id {case_id}", "case")
    version = events[-1].originator_version
    lines, hashes = _chain(sources.chain, case_id, events)
    case = _replayed(events)
    created_at = service.clock.now().astimezone(UTC)
    checkpoint = sources.chain.checkpoint(case_id, version)
    skeleton: dict[str, Any] = {
        "format": layout.FORMAT, "created_at": created_at.isoformat(),
        "key_id": sources.signer.key_id,
        "case": {"id": str(case_id), "creditor": case.creditor,
                 "invoice_number": case.invoice_number, "version": version},
        "chain": {"rule": sources.chain.rule.name, "head": hashes[version], "events": version},
        "checkpoint": None if checkpoint is None else dataclasses.asdict(checkpoint),
    }
    records = [event_record(e) for e in events]
    context = chronology.view(case_record(case, created_at.date()), records, hashes,
                              created_at=created_at, checkpoint=checkpoint,
                              key_id=sources.signer.key_id)
    html = chronology.render_html(context)
    files = {layout.README: layout.readme(skeleton), layout.PDF: chronology.render_pdf(html),
             layout.HTML: html.encode("utf-8"), layout.EVENTS: lines}
    files.update(_attachments(sources.attachments.for_case(case_id, version)))
    files[layout.PUBLIC_KEY] = sources.signer.public_key_pem()
    files[layout.SUMS] = layout.sums_text({n: layout.sha256(b) for n, b in files.items()})
    manifest = layout.manifest_bytes(
        {**skeleton, "files": {n: layout.sha256(b) for n, b in files.items()}})
    files[layout.MANIFEST] = manifest
    files[layout.SIGNATURE] = sources.signer.sign(manifest)
    size, digest = _write_zip(files, out, created_at)
    return Produced(case_id, case.invoice_number, version, digest, len(files), size)


def _chain(chain: ChainInfo, case_id: UUID,
           events: list[CaseEvent]) -> tuple[bytes, dict[int, str]]:
    """events.jsonl (one canonical line an event: version, hash, event) and the hashes,
    checked against the head the store keeps."""
    lines, hashes, previous = [], {}, None
    for event in events:
        data = chain.event_data(event)
        previous = chain.rule.link(previous, chain.rule.canonical(data))
        hashes[event.originator_version] = previous
        lines.append(layout.canonical_json({"version": event.originator_version, "hash": previous,
                                     "event": data}) + b"\n")
    version = events[-1].originator_version
    stored = chain.head(case_id, version)
    if stored != previous:
        raise BundleRefused(f"the chain of case {case_id} does not match its events: the "
                            f"store's head at version {version} is {stored}, the events "
                            f"give {previous}")
    return b"".join(lines), hashes


def _replayed(events: list[CaseEvent]) -> DebtCase:
    case = None
    for event in events:
        case = event.mutate(case)
    assert isinstance(case, DebtCase)
    return case


def _attachments(documents: Iterable[Attachment]) -> dict[str, bytes]:
    found = {}
    for document in documents:
        if layout.sha256(document.content) != document.sha256:
            raise BundleRefused(f"attachment {document.name}: its content does not match "
                                f"its SHA-256 {document.sha256}")
        found[layout.attachment_path(document.sha256, document.name)] = document.content
    return found


def _write_zip(files: dict[str, bytes], out: IO[bytes], created_at: datetime) -> tuple[int, str]:
    """Write the zip (every entry dated `created_at`); its size and SHA-256."""
    start = out.tell()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            entry = zipfile.ZipInfo(name, date_time=created_at.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o100644 << 16  # a regular file, rw-r--r--
            archive.writestr(entry, data)
    size = out.tell() - start
    out.seek(start)
    digest = hashlib.sha256()
    while chunk := out.read(1 << 20):
        digest.update(chunk)
    out.seek(start + size)
    return size, digest.hexdigest()


def deliver(service: CaseService, sources: BundleSources, case_id: UUID, out: IO[bytes], *,
            actor: str, interface: Interface) -> tuple[Produced, Recorded]:
    """Produce the bundle into `out`, then record `EvidenceBundleProduced` (who, the zip's
    hash, its files, the events it covers). A bundle whose recording fails must not be
    handed out: the caller discards `out` then."""
    produced = produce(service, sources, case_id, out)
    recorded = service.handle(RecordEvidenceBundle(
        case_id=case_id, actor=actor, sha256=produced.sha256, files=produced.files,
        covers_version=produced.covers_version, interface=interface))
    return produced, recorded
