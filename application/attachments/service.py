"""Attaching a document to a case, and reading its content back.

The order makes "nothing is stored" true for every refusal: the upload is checked first
(name, size, type from the content; `AttachmentPolicy.check`), then the case decides (the
same content twice, a date before the invoice, a blank actor...), and only once the case
has accepted it are the bytes stored, just before the event is saved. A save that fails
after that (someone else changed the case meanwhile) leaves a blob no event names: harmless,
as blobs are named by their content and the next attempt finds it there.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from application.attachments.policy import AttachmentPolicy, Document, Upload
from application.attachments.store import BlobCorrupt, BlobStore
from application.commands import AttachDocument, Recorded
from application.service import CaseService
from domain.attachments import DocumentKind
from domain.events import AttachmentAdded


@dataclass(frozen=True)
class Attached:
    """What `attach` stored: the event's versions and the document it records."""

    recorded: Recorded
    document: Document


class Attachments:
    """Attaches uploads to cases through the one CaseService; reads blobs back, checked."""

    def __init__(self, service: CaseService, blobs: BlobStore,
                 policy: AttachmentPolicy | None = None) -> None:
        self.service = service
        self.blobs = blobs
        self.policy = policy or AttachmentPolicy()

    def attach(self, upload: Upload, *, case_id: UUID, actor: str,
               occurred_on: date | None = None, kind: DocumentKind = DocumentKind.OTHER,
               description: str = "") -> Attached:
        """Check the upload, let the case decide, store the bytes, record AttachmentAdded."""
        document = self.policy.check(upload)
        command = AttachDocument(
            case_id=case_id, actor=actor, occurred_on=occurred_on, name=document.name,
            media_type=document.media_type, size=document.size, sha256=document.sha256,
            kind=kind, description=description)

        def store() -> None:
            if self.blobs.put(upload.content) != document.sha256:
                raise BlobCorrupt("the blob store named the content by another hash",
                                  document.sha256)

        return Attached(self.service.handle(command, before_save=store), document)

    def content(self, sha256: str) -> bytes:
        """The stored bytes, checked against their hash (BlobMissing, BlobCorrupt)."""
        return self.blobs.get(sha256)

    def event(self, case_id: UUID, version: int) -> AttachmentAdded:
        """The AttachmentAdded event stored at that version of the case (from the store)."""
        stored = self.service.recorder.select_events(case_id, gt=version - 1, lte=version)
        events = [self.service.mapper.to_domain_event(s) for s in stored]
        if len(events) != 1 or not isinstance(events[0], AttachmentAdded):
            raise LookupError(f"version {version} of case {case_id} is no attachment")
        return events[0]
