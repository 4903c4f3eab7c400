"""The importer: files in, commands through `CaseService.handle`, a summary out.

Each file is read whole first (a file refused whole stores nothing). Then each row is
planned on working copies (`plan.Planner`) and, unless this is a dry run, its commands are
handled with their idempotency keys, up to BATCH_ROWS rows in one transaction
(`CaseService.handle_many`: each row refused alone, a row stopping at its first refusal;
a row about a case already in the batch waits for the next batch), so importing the same
file again, a later export or the same invoice in another format never makes a second case. With
`all_or_nothing` every row of every file is planned first, and nothing is stored if any
row (or file) is refused. With `full`, the files list every open invoice of their
creditors: an open case they no longer list gets a task "no longer open in the ledger —
confirm payment" (never a silent close).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from uuid import UUID

from application.attachments.service import Attachments
from application.attachments.store import BlobCorrupt
from application.commands import AttachDocument
from application.imports.mapping import Mapping
from application.imports.plan import Evidence, Planned, Planner, _key
from application.imports.reading import read_file
from application.imports.summary import Entry, Outcome, Summary
from application.imports.values import FileFormat, ImportedInvoice, ImportRefused, RowError
from application.schedule.commands import SetTask
from application.service import CaseService
from domain.attachments import DocumentKind
from domain.case import case_id_for
from domain.errors import DomainError
from domain.tasks import TaskAction

LEDGER_STEP = "ledger-closed"
LEDGER_TASK = "no longer open in the ledger — confirm payment"
DEFAULT_MAX_BYTES = 50 * 1024 * 1024
DEFAULT_CREDIT_DAYS = 30
BATCH_ROWS = 100  # rows whose commands are saved in one transaction

# The open cases of a creditor, as (case id, invoice number): the read model's, for `full`.
OpenCases = Callable[[str], Sequence[tuple[UUID, str]]]
# Called once a row is done: (rows done now, rows in all the files).
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Source:
    """A file to import: its name (a label, never a path to read) and its bytes."""

    name: str
    content: bytes


@dataclass(frozen=True)
class ImportOptions:
    actor: str
    creditor: str
    creditors: tuple[str, ...]
    any_seller: bool = False
    dry_run: bool = False
    all_or_nothing: bool = False
    full: bool = False
    locale: str | None = None
    mapping: Mapping | None = None
    credit_days: int = DEFAULT_CREDIT_DAYS
    max_bytes: int = DEFAULT_MAX_BYTES


@dataclass
class Importer:
    attachments: Attachments
    options: ImportOptions
    open_cases: OpenCases | None = None
    progress: Progress | None = None
    summary: Summary = field(default_factory=Summary)
    _batch: list[tuple[Source, Evidence, Planned]] = field(default_factory=list)
    _batch_cases: set[UUID] = field(default_factory=set)

    @property
    def service(self) -> CaseService:
        return self.attachments.service

    def run(self, sources: Sequence[Source]) -> Summary:
        """Import every file (see the module's doc); the summary says what became of each row."""
        o = self.options
        self.summary.dry_run = o.dry_run
        deferred = o.dry_run or o.all_or_nothing
        self.planner = Planner(self.service, o.actor, o.creditor, o.creditors, o.any_seller,
                               o.credit_days, check_new=deferred)
        parsed = [self._read(source) for source in sources]
        self._total = sum(len(p[2]) for p in parsed if p is not None)
        plans: list[tuple[Source, Evidence, Planned]] = []
        for source, evidence, rows in (p for p in parsed if p is not None):
            for row in rows:
                if not deferred and not isinstance(row, RowError) and \
                        self.planner.case_of(row) in self._batch_cases:
                    self._flush()  # the row is planned on its case as stored
                planned = self._plan(row, evidence)
                if deferred:
                    plans.append((source, evidence, planned))
                else:
                    self._queue(source, evidence, planned)
                self._tick()
        self._flush()
        seen = {UUID(e.case_id) for e in self.summary.entries if e.case_id} | {
            UUID(p.entry.case_id) for _, _, p in plans if p.entry.case_id}
        tasks = self._ledger_tasks(seen) if o.full else []
        refused = any(p.entry.outcome == Outcome.REFUSED for _, _, p in plans) or \
            len(self.summary.files) < len(sources)
        if deferred:
            if o.dry_run or refused:
                self.summary.stored = False
                self.summary.entries += [p.entry for _, _, p in plans]
                self.summary.tasks += [entry for entry, _ in tasks]
                return self.summary
            for source, evidence, planned in plans:
                self._queue(source, evidence, planned)
            self._flush()
        outcomes = self.service.handle_many([c for _, c in tasks],
                                            [_task_key(entry) for entry, _ in tasks])
        self.summary.tasks += [self._refused(entry, outcome)
                               if isinstance(outcome, DomainError) else entry
                               for (entry, _), outcome in zip(tasks, outcomes, strict=True)]
        return self.summary

    # -- reading ----------------------------------------------------------------------------

    def _read(self, source: Source):  # type: ignore[no-untyped-def]
        try:
            parsed = read_file(source.name, source.content, today=self.service.clock.today(),
                               limit=self.options.max_bytes, mapping=self.options.mapping,
                               locale=self.options.locale)
        except ImportRefused as error:
            self.summary.entries.append(Entry(Outcome.REFUSED, source.name, "file",
                                              field="file", reason=error.message))
            return None
        sha = hashlib.sha256(source.content).hexdigest()
        kind = DocumentKind.STATEMENT if parsed.format in (FileFormat.CSV, FileFormat.XLSX) \
            else DocumentKind.INVOICE
        evidence = Evidence(source.name, parsed.media_type, len(source.content), sha, kind)
        self.summary.files.append({"file": source.name, "format": parsed.format.value,
                                   "sha256": sha, "rows": str(len(parsed.rows))})
        return source, evidence, parsed.rows

    def _plan(self, row: ImportedInvoice | RowError, evidence: Evidence) -> Planned:
        if isinstance(row, RowError):
            return Planned(Entry(Outcome.REFUSED, row.source, row.where, row.invoice_number,
                                 field=row.field, reason=row.reason))
        planned = self.planner.plan(row, evidence)
        self.summary.warnings += planned.warnings
        return planned

    def _tick(self) -> None:
        if self.progress is not None:
            self.progress(1, self._total)

    # -- storing ----------------------------------------------------------------------------

    def _queue(self, source: Source, evidence: Evidence, planned: Planned) -> None:
        """The row into the batch (stored with the batch: `_flush`)."""
        case_id = UUID(planned.entry.case_id) if planned.entry.case_id else None
        if case_id in self._batch_cases or len(self._batch) >= BATCH_ROWS:
            self._flush()
        self._batch.append((source, evidence, planned))
        if case_id is not None and planned.commands:
            self._batch_cases.add(case_id)

    def _flush(self) -> None:
        """Store the batch's rows in one transaction; a refusal is reported for its row
        (what came before it in the row stays stored, what follows is not stored)."""
        batch, self._batch, self._batch_cases = self._batch, [], set()
        commands, keys, rows = [], [], []
        for n, (source, evidence, planned) in enumerate(batch):
            if self.options.dry_run or not planned.commands:
                continue
            if any(isinstance(c, AttachDocument) for c, _ in planned.commands):
                self._store_blob(source, evidence)
            for command, key in planned.commands:
                commands.append(command)
                keys.append(key)
                rows.append(n)
        refusals: dict[int, DomainError] = {}
        for n, outcome in zip(rows, self.service.handle_many(commands, keys), strict=True):
            if isinstance(outcome, DomainError):
                refusals.setdefault(n, outcome)
        for n, (_, _, planned) in enumerate(batch):
            self._record(self._refused(planned.entry, refusals[n]) if n in refusals
                         else planned.entry)
        if self.planner.working and len(self.planner.working) > 50_000:
            self.planner.working.clear()  # stored: the service loads them again if needed

    def _refused(self, entry: Entry, error: DomainError) -> Entry:
        if entry.case_id:
            self.planner.working.pop(UUID(entry.case_id), None)  # reload it as stored
        return replace(entry, outcome=Outcome.REFUSED, field=error.field or "row",
                       reason=error.message)

    def _store_blob(self, source: Source, evidence: Evidence) -> None:
        if getattr(self, "_stored", None) == evidence.sha256:
            return
        if self.attachments.blobs.put(source.content) != evidence.sha256:
            raise BlobCorrupt("the blob store named the content by another hash",
                              evidence.sha256)
        self._stored = evidence.sha256

    def _record(self, entry: Entry) -> None:
        self.summary.entries.append(entry)

    # -- invoices no longer in a full export ------------------------------------------------

    def _ledger_tasks(self, seen: set[UUID]) -> list[tuple[Entry, SetTask]]:
        creditors = {e.creditor for e in self.summary.entries if e.creditor} or \
            {self.options.creditor}
        tasks = []
        for creditor in sorted(creditors):
            for case_id, number in (self.open_cases or (lambda _: []))(creditor):
                if case_id in seen or case_id != case_id_for(creditor, number):
                    continue
                planned = self._ledger_task(creditor, case_id, number)
                if planned is not None:
                    tasks.append(planned)
        return tasks

    def _ledger_task(self, creditor: str, case_id: UUID,
                     number: str) -> tuple[Entry, SetTask] | None:
        case = self.planner._case(case_id)
        if case is None or case.is_closed or any(t.step == LEDGER_STEP for t in case.tasks):
            return None
        today = self.service.clock.today()
        command = SetTask(case_id=case_id, actor=self.options.actor, step=LEDGER_STEP,
                          what=LEDGER_TASK, due_on=today,
                          actions=(TaskAction.RECORD_PAYMENT.value,))
        entry = Entry(Outcome.UPDATED, "", "not in the export", number, creditor,
                      str(case_id), LEDGER_TASK)
        return entry, command


def _task_key(entry: Entry) -> str:
    return _key("ledger-task", UUID(entry.case_id), LEDGER_STEP)
