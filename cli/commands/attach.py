"""Attaching a document to a case as evidence."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from application.attachments.policy import Upload, file_name
from cli import output
from cli.casecommand import command, report_recorded
from cli.options import case_argument, recording_params, text, vocabulary
from cli.runtime import runtime
from domain.attachments import DocumentKind


@click.argument("file", type=click.Path(exists=True, dir_okay=False, readable=True,
                                        path_type=Path))
@vocabulary("--kind", DocumentKind, "What the document is.", default="other")
@text("--description", "What the document shows, for whoever reads the case.")
def attach_fields(*, file: Path, kind: str, description: str) -> None:
    """Attach FILE to a case as evidence.

    The contract, the invoice, an email (.eml), a call transcript, a letter. Its type is read
    from its content (not its name) and must be allowed (ARREARS_ATTACHMENT_TYPES), its size
    at most ARREARS_ATTACHMENT_MAX_BYTES (default 20 MiB). The bytes are stored once, named
    by their SHA-256, in ARREARS_BLOB_DIR (default var/blobs); the event records the file's
    name, media type, size and SHA-256. The same content twice on one case is refused.
    Closed cases take attachments too. Nothing is stored when the file is refused.
    """


def attach(case: str, file: Path, kind: str, description: str, actor: str,
           occurred_on: date | None, creditor: str, as_json: bool) -> None:
    attachments = runtime().attachments
    name = file_name(file.name)
    attachments.policy.check_size(name, file.stat().st_size)  # before reading a large file
    svc = attachments.service
    attached = attachments.attach(Upload(name, file.read_bytes()),
                                  case_id=svc.resolve(case, creditor), actor=actor,
                                  occurred_on=occurred_on, kind=DocumentKind(kind),
                                  description=description)
    if as_json:
        document = attached.document
        output.emit_json({"case_id": str(attached.recorded.case_id),
                          "version": attached.recorded.version,
                          "attachment": {"name": document.name,
                                         "media_type": document.media_type,
                                         "size": document.size, "sha256": document.sha256,
                                         "kind": kind}})
        return
    report_recorded(svc, attached.recorded, as_json)
    click.echo(f"  sha256 {attached.document.sha256}")


attach_command = command("attach", attach_fields, attach, before=[case_argument()],
                         after=recording_params(on_help="When the document was received or "
                                                "made; default today."))

COMMANDS = [attach_command]
