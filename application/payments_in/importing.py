"""One import of bank statements: read each file, match each credit, record or queue it.

Every credit ends in exactly one list of the summary: matched (recorded now), unchanged
(seen before: recorded, queued or resolved), queued (for review, with the reason) or
refused (a bad file, entry or row: file, where, field, reason). Debits and entries not
yet booked are counted as ignored. `dry_run` matches and reports, and stores nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID

from application.commands import RecordPayment
from application.payments_in.camt import NotCamt, read_camt
from application.payments_in.credits import Credit, Refusal, Statement, sha256_of
from application.payments_in.csvbank import Mapping, read_csv
from application.payments_in.matching import Match, OpenInvoice, Reason, Review, match
from application.payments_in.queue import CreditRow, Credits, Share, State, credits_of
from application.service import CaseService
from domain.errors import DomainError, InvalidValue
from domain.values import PaymentMethod


def part_key(entry: str, label: str) -> str:
    """The idempotency key of one part of a credit: its entry and the part's label."""
    return f"bank:{entry}:{label}"


def occurred_on(credit: Credit) -> date:
    """A credit is paid on its value date (the day the money is the creditor's), else the
    day it was booked."""
    return credit.value_on or credit.booked_on


@dataclass
class Summary:
    dry_run: bool = False
    matched: list[dict[str, Any]] = field(default_factory=list)
    unchanged: list[dict[str, Any]] = field(default_factory=list)
    queued: list[dict[str, Any]] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)
    ignored: int = 0

    def record(self) -> dict[str, Any]:
        return {"dry_run": self.dry_run, "matched": self.matched, "unchanged": self.unchanged,
                "queued": self.queued, "refused": [r.record() for r in self.refused],
                "ignored": self.ignored}


def _about(credit: Credit) -> dict[str, Any]:
    return {"entry": credit.entry, "entry_reference": credit.entry_reference,
            "amount": str(credit.amount), "currency": credit.currency,
            "debtor_name": credit.debtor_name, "file": credit.source_file,
            "location": credit.location}


def read_statement(path: Path, mapping: Mapping | None, today: date) -> Statement:
    """A file's credits: camt XML by its content, else a CSV read by the mapping."""
    name = str(path)
    try:
        content = path.read_bytes()
    except OSError as error:
        return Statement(name, "", refusals=[Refusal(name, "", "file", error.strerror or
                                                     str(error))])
    return read_content(name, content, mapping, today)


def read_upload(name: str, content: bytes, mapping: Mapping | None, today: date,
                limit: int) -> Statement:
    """An uploaded file's credits; an empty file or one over `limit` bytes is refused whole
    (the page reads at most `limit` + 1 bytes of it)."""
    if not content:
        return Statement(name, "", refusals=[Refusal(name, "", "file", "the file is empty")])
    if len(content) > limit:
        return Statement(name, "", refusals=[Refusal(
            name, "", "file", f"the file is larger than the {limit:,} bytes an import may be "
            "(ARREARS_IMPORT_MAX_BYTES)")])
    return read_content(name, content, mapping, today, "a mapping file")


def read_content(name: str, content: bytes, mapping: Mapping | None, today: date,
                 ask: str = "--mapping") -> Statement:
    """The credits of a file's content (a path or an upload's name, and its bytes); `ask`
    names how a CSV's mapping is given (the CLI's option, the page's field)."""
    sha = sha256_of(content)
    try:
        if content.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
            return read_camt(name, content, sha, today)
        if mapping is None:
            raise InvalidValue(f"not camt XML; a CSV bank export needs {ask}", "mapping")
        return read_csv(name, content, sha, mapping, today)
    except NotCamt as error:
        return Statement(name, sha, refusals=[Refusal(name, "", "Document", str(error))])
    except InvalidValue as error:
        return Statement(name, sha, refusals=[Refusal(name, "", error.field or "file",
                                                      error.message)])


class Book:
    """The open invoices the credits are matched against, kept up to date in the run."""

    def __init__(self, invoices: list[OpenInvoice]) -> None:
        self.invoices = {i.case_id: i for i in invoices}

    def open(self) -> list[OpenInvoice]:
        return list(self.invoices.values())

    def paid(self, case_id: UUID, amount: Decimal) -> None:
        found = self.invoices.get(case_id)
        if found is None:
            return
        left = found.outstanding - amount
        if left > 0:
            self.invoices[case_id] = replace(found, outstanding=left)
        else:
            del self.invoices[case_id]


class PaymentImport:
    """Matches and records credits through the one writer, CaseService.handle."""

    def __init__(self, service: CaseService, invoices: list[OpenInvoice], actor: str,
                 dry_run: bool = False) -> None:
        self.service = service
        self.book = Book(invoices)
        self.actor = actor
        self.summary = Summary(dry_run)
        self.credits: Credits = credits_of(service)
        self.dry_run = dry_run
        self.seen: set[str] = set()

    def run_credits(self, credits: list[Credit]) -> Summary:
        for credit in credits:
            self.take(credit)
        return self.summary

    def run(self, statements: list[Statement]) -> Summary:
        for statement in statements:
            self.summary.refused.extend(statement.refusals)
            self.summary.ignored += statement.skipped
            for credit in statement.credits:
                self.take(credit)
        return self.summary

    def take(self, credit: Credit) -> None:
        earlier = self.credits.get(credit.entry)
        if credit.entry in self.seen or (earlier and earlier.state != State.PLANNED):
            state = earlier.state.value if earlier else "seen earlier in this import"
            self.summary.unchanged.append({**_about(credit), "state": state})
            return
        self.seen.add(credit.entry)
        if earlier is not None:  # planned by an import that stopped before recording it
            if self.dry_run:
                self.summary.matched.append({**_about(credit), "by": earlier.detail,
                                             "cases": [s.record() for s in earlier.plan]})
            else:
                self._record(earlier)
            return
        decision = match(credit, self.book.open())
        if isinstance(decision, Review):
            self._queue(credit, decision)
        else:
            self._plan(credit, decision)

    def _queue(self, credit: Credit, review: Review) -> None:
        self.summary.queued.append({**_about(credit), "reason": review.reason.value,
                                    "detail": review.detail})
        if not self.dry_run:
            self.credits.add(CreditRow(credit, State.QUEUED, self.service.clock.now(),
                                       review.reason.value, review.detail))

    def _plan(self, credit: Credit, found: Match) -> None:
        shares = tuple(Share(str(p.invoice.case_id), p.invoice.invoice_number, p.amount)
                       for p in found.parts)
        if self.dry_run:
            for share in shares:
                self.book.paid(UUID(share.case_id), share.amount)
            self.summary.matched.append({**_about(credit), "by": found.by,
                                         "cases": [s.record() for s in shares]})
            return
        row = CreditRow(credit, State.PLANNED, self.service.clock.now(), plan=shares,
                        detail=found.by)
        if self.credits.add(row):
            self._record(row)
        else:  # another import took it meanwhile
            self.summary.unchanged.append({**_about(credit), "state": "seen meanwhile"})

    def _record(self, row: CreditRow) -> None:
        done: list[dict[str, Any]] = []
        for n, share in enumerate(row.plan, 1):
            command = RecordPayment(case_id=UUID(share.case_id), actor=self.actor,
                                    occurred_on=occurred_on(row.credit), amount=share.amount,
                                    method=PaymentMethod.BANK_TRANSFER,
                                    reference=row.credit.entry_reference[:100])
            try:
                recorded = self.service.handle(command, part_key(row.entry, str(n)))
            except DomainError as error:
                self._refused(row, n, share, error)
                return
            self.book.paid(UUID(share.case_id), share.amount)
            done.append({**share.record(), "version": recorded.version})
        self.credits.update(row, self.service.clock.now(), state=State.RECORDED)
        self.summary.matched.append({**_about(row.credit), "by": row.detail, "cases": done})

    def _refused(self, row: CreditRow, n: int, share: Share, error: DomainError) -> None:
        """A case refused its part: the credit goes to review; parts recorded stay."""
        detail = f"{share.invoice_number} refused the payment: {error.message}"
        self.credits.update(row, self.service.clock.now(), state=State.QUEUED,
                            reason=Reason.REFUSED.value, detail=detail,
                            assigned=row.plan[:n - 1])
        self.summary.queued.append({**_about(row.credit), "reason": Reason.REFUSED.value,
                                    "detail": detail})


def open_invoices(rows: Any) -> list[OpenInvoice]:
    """Open cases from the case summary read model (CaseViews.open_cases)."""
    return [OpenInvoice(UUID(r["case_id"]), r["creditor"], r["invoice_number"],
                        r["debtor_name"], r["currency"], Decimal(r["outstanding"]),
                        r["due_date"]) for r in rows if Decimal(r["outstanding"]) > 0]


def import_payments(service: CaseService, invoices: list[OpenInvoice], paths: list[Path],
                    mapping: Mapping | None, actor: str, dry_run: bool = False) -> Summary:
    today = service.clock.today()
    statements = [read_statement(path, mapping, today) for path in paths]
    return PaymentImport(service, invoices, actor, dry_run).run(statements)
