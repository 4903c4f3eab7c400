"""`arrears letter`: the letter (PDF) an event rests on, written to a file, its hash checked."""

from __future__ import annotations

from pathlib import Path

import click

from application.attachments.store import BlobError
from application.letters import LetterWriter, NoLetter
from cli import output
from cli.casecommand import command
from cli.failures import CHAIN_BROKEN, INVALID_INPUT, Failure
from cli.options import reading_params
from cli.runtime import runtime


def write_letter(case: str, creditor: str, as_json: bool, version: int, out: Path) -> None:
    """Write the letter of the case's event at --version to --out.

    The PDF Arrears rendered for a formal demand, a letter of claim or a reminder sent by
    post (channel letter), as kept in the letter store (ARREARS_LETTER_DIR, else var/letters),
    checked against the letter_sha256 its event records (`arrears timeline CASE --json`).
    Exit 2 when the case has no such event or the event has no letter; exit 4 when the
    stored letter is missing or no longer matches its hash. With --json, {"case_id",
    "version", "type", "letter_sha256", "out", "bytes"}.
    """
    run = runtime()
    svc = run.service
    writer: LetterWriter | None = run.letters  # built with the service
    if writer is None:
        raise Failure("", "no letters are wired to this service")
    case_id = svc.resolve(case, creditor)
    try:
        record, pdf = writer.letter(case_id, version)
    except NoLetter as error:
        raise Failure("--version", error.message, INVALID_INPUT) from None
    except BlobError as error:
        raise Failure("", f"the letter of event {version} cannot be read: {error.message}",
                      CHAIN_BROKEN) from None
    out.write_bytes(pdf)
    sha256 = record["data"]["letter_sha256"]
    if as_json:
        output.emit_json({"case_id": str(case_id), "version": version, "type": record["type"],
                          "letter_sha256": sha256, "out": str(out), "bytes": len(pdf)})
    else:
        click.echo(f"wrote {out}: the letter of event {version} ({record['type']}), "
                   f"SHA-256 {sha256}")


letter = command("letter", write_letter, write_letter, before=reading_params(), after=[
    click.Option(["--version", "version"], type=click.IntRange(min=1), required=True,
                 help="The event's version (as in `arrears timeline CASE`)."),
    click.Option(["--out", "out"], type=click.Path(dir_okay=False, writable=True,
                                                   path_type=Path), required=True,
                 help="The file to write the PDF to, e.g. demand.pdf."),
])

COMMANDS = [letter]
