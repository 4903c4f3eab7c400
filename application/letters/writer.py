"""Letters rendered and kept before their event is saved, and read back by the event.

`LetterWriter.prepare` is the case service's hook (`CaseService.prepare`): run under the
case's lock, just before a command runs on the case, it renders the letter a command needs,
keeps the PDF in the letter store (content-addressed, `FileBlobStore`) and returns the
command with the PDF's SHA-256, which the event records:

- `IssueDemand`: a formal demand, or a letter of claim for an individual debtor in England
  and Wales (`demand_letter`, as the schedule decides); a letter of claim must give at
  least 30 days to reply.
- `SendReminder` by post (channel `letter`): a reminder letter.
- `TakeStep` (the schedule): the same for each command the step runs.

A command that already carries a letter (the schedule's `LetterRenderer`, which is this
writer's `render`) is left as it is. If the case then refuses the command, the kept PDF
stays in the store unreferenced (harmless: it is content-addressed).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

from application.attachments.store import FileBlobStore
from application.commands import CaseCommand, IssueDemand, SendReminder
from application.letters.render import letter_pdf
from application.letters.settings import LetterSettings, letter_dir
from application.letters.view import LetterFacts, letter_view, reference
from application.schedule.commands import TakeStep
from application.schedule.demands import (
    LETTER_OF_CLAIM_CONSEQUENCES,
    LETTER_OF_CLAIM_DAYS,
    demand_letter,
)
from application.schedule.hooks import LetterKind
from application.service import CaseService
from domain.case import DebtCase
from domain.errors import DomainError, InvalidValue
from domain.law import Jurisdiction
from domain.values import Channel


class NoLetter(DomainError):
    """The event named has no letter (or the case has no such event)."""


class LetterNotRendered(DomainError):
    """WeasyPrint could not make the letter here (Pango missing...); nothing is recorded."""


class LetterWriter:
    """Renders, keeps and reads back the letters of one installation."""

    def __init__(self, service: CaseService, store: FileBlobStore,
                 settings: LetterSettings | None = None) -> None:
        self.service = service
        self.store = store
        self.settings = settings or LetterSettings()

    # -- before an event is saved ------------------------------------------------------------

    def prepare(self, case: DebtCase, command: CaseCommand) -> CaseCommand:
        """The command with the letter it needs rendered and kept (or as it is)."""
        if isinstance(command, TakeStep) and command.then:
            return replace(command, then=tuple(self.prepare(case, c) for c in command.then))
        if isinstance(command, IssueDemand) and not command.letter_sha256:
            kind = demand_letter(case.debtor.kind, Jurisdiction(case.jurisdiction))
            return self.render(case, command, kind, "")
        if (isinstance(command, SendReminder) and command.channel == Channel.LETTER
                and not command.letter_sha256):
            sha256 = self.keep(case, LetterFacts(LetterKind.REMINDER, self._day(command)))
            return replace(command, letter_sha256=sha256)
        return command

    def render(self, case: DebtCase, demand: IssueDemand, letter: LetterKind,
               key: str) -> IssueDemand:
        """The schedule's `LetterRenderer`: the demand's letter rendered and kept; the
        demand with its letter_sha256 (and the letter's reference if it had none)."""
        on = self._day(demand)
        if letter is LetterKind.LETTER_OF_CLAIM:
            check_reply_time(demand.deadline, on)
        ref = demand.letter_reference or reference(case, letter, on)
        consequences = ("" if letter is LetterKind.LETTER_OF_CLAIM
                        and demand.consequences == LETTER_OF_CLAIM_CONSEQUENCES
                        else demand.consequences)
        facts = LetterFacts(letter, on, ref, demand.amount, demand.deadline, consequences)
        return replace(demand, letter_reference=ref, letter_sha256=self.keep(case, facts))

    def keep(self, case: DebtCase, facts: LetterFacts) -> str:
        """Render the letter, store its PDF; its SHA-256."""
        events = list(self.service.case_events(case.id))
        context = letter_view(case, events, facts, self.settings)
        try:
            pdf = letter_pdf(facts.kind, context, facts.on)
        except (OSError, ImportError) as error:  # a library or font missing
            raise LetterNotRendered(
                f"the {facts.kind.value.replace('_', ' ')} could not be rendered as PDF "
                f"({' '.join(str(error).split())[:200]}); nothing was recorded: install "
                "Pango and fonts (scripts/ensure-pdf)", "letter") from None
        return self.store.put(pdf)

    def _day(self, command: CaseCommand) -> date:
        return command.occurred_on or self.service.clock.today()

    # -- reading back ------------------------------------------------------------------------

    def letter(self, case_id: UUID, version: int) -> tuple[dict[str, Any], bytes]:
        """The event at `version` and its letter's bytes, checked against the hash the event
        records (BlobMissing, BlobCorrupt if the store no longer has them)."""
        found = [e for e in self.service.history(case_id) if e["version"] == version]
        if not found:
            raise NoLetter(f"the case has no event {version}", "version")
        record = found[0]
        sha256 = record["data"].get("letter_sha256", "")
        if not sha256:
            raise NoLetter(f"event {version} ({record['type']}) has no letter", "version")
        return record, self.store.get(sha256)


def check_reply_time(deadline: date, on: date) -> None:
    """A letter of claim gives the debtor 30 days from its date to reply."""
    earliest = on + timedelta(days=LETTER_OF_CLAIM_DAYS)
    if deadline < earliest:
        raise InvalidValue(
            f"a letter of claim (an individual debtor in England and Wales) gives "
            f"{LETTER_OF_CLAIM_DAYS} days to reply: the deadline must be on or after "
            f"{earliest.isoformat()}", "deadline")


def install_letters(service: CaseService, environ: Mapping[str, str] | None = None,
                    blobs: str | Path | None = None,
                    letters: str | Path | None = None) -> LetterWriter:
    """A writer on the service's store of letters (`letters`, else ARREARS_LETTER_DIR, else
    beside the blob folder), hooked into the service: every command it runs from now on
    gets its letter."""
    writer = LetterWriter(service, FileBlobStore(letters or letter_dir(environ, blobs)),
                          LetterSettings.from_env(environ))
    service.prepare = writer.prepare
    return writer

