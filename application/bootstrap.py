"""The composition root: builds the service, the projector, the views, the attachments (with
their blob store and policy), the letters (rendered before their events are saved) and the
ports (clock, mailer, SMS transport) from settings."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from application.attachments.policy import AttachmentPolicy
from application.attachments.service import Attachments
from application.attachments.store import FileBlobStore, blob_dir
from application.clock import Clock, SystemClock
from application.letters import LetterWriter, install_letters
from application.mail import (
    FileOutbox,
    FileSmsOutbox,
    Mailer,
    SmsTransport,
    mailer_from_env,
    sms_from_env,
)
from application.readmodels.database import make_engine, readmodel_url
from application.readmodels.projector import Projector
from application.readmodels.queries import CaseViews
from application.schedule.tasks import TaskViews
from application.service import CaseService
from application.settings import database_url
from domain.law import Jurisdiction


@dataclass
class Arrears:
    """Everything a process needs: the one writer, the projector, the read side, the
    attachments and the ports."""

    service: CaseService
    projector: Projector
    views: CaseViews
    attachments: Attachments
    mailer: Mailer = field(default_factory=FileOutbox)
    sms: SmsTransport = field(default_factory=FileSmsOutbox)
    letters: LetterWriter | None = None  # the letters' PDFs (application.letters)

    @property
    def clock(self) -> Clock:
        return self.service.clock

    @property
    def tasks(self) -> TaskViews:
        """The schedule's tasks (a read model beside the case summary)."""
        return TaskViews(self.projector.engine, self.clock)

    def close(self) -> None:
        """Close the event store's connections and the read models' pool."""
        self.service.close()
        self.projector.close()
        self.projector.engine.dispose()


def attachments_for(service: CaseService, blobs: str | Path | None = None,
                    policy: AttachmentPolicy | None = None,
                    environ: Mapping[str, str] | None = None) -> Attachments:
    """Attachments in a file-system blob store: `blobs`, else ARREARS_BLOB_DIR, else
    var/blobs; the policy from ARREARS_ATTACHMENT_MAX_BYTES and ARREARS_ATTACHMENT_TYPES
    unless given."""
    env = dict(environ) if environ is not None else None
    return Attachments(service, FileBlobStore(blobs or blob_dir(env)),
                       policy or AttachmentPolicy.from_env(env))


def build(url: str | None = None, *, clock: Clock | None = None, readmodels: str | None = None,
          create_table: bool = True, creditor: str = "", blobs: str | Path | None = None,
          attachment_policy: AttachmentPolicy | None = None, mailer: Mailer | None = None,
          sms: SmsTransport | None = None, jurisdiction: Jurisdiction | None = None,
          letters: str | Path | None = None) -> Arrears:
    """Mail goes by ARREARS_SMTP_* and ARREARS_MAIL_FROM unless a mailer is given; cases
    open under ARREARS_JURISDICTION unless a `jurisdiction` is given; letters are kept in
    `letters`, else ARREARS_LETTER_DIR, else `letters` beside the blob folder."""
    events_url = url or database_url()
    clock = clock or SystemClock()
    service = CaseService(events_url, clock=clock, create_table=create_table,
                          creditor=creditor, jurisdiction=jurisdiction)
    engine = make_engine(readmodels or readmodel_url(events_url))
    return Arrears(service, Projector(service, engine), CaseViews(engine, clock),
                   attachments_for(service, blobs, attachment_policy),
                   mailer or mailer_from_env(), sms or sms_from_env(),
                   install_letters(service, blobs=blobs, letters=letters))
