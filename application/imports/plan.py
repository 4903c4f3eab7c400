"""Deciding what each imported row asks for, on working copies of the cases (nothing stored).

A row becomes commands a person could have given: `OpenCase` for an invoice Arrears does not
know, `RecordPayment` for the part of it the ledger no longer shows as due (a payment the
ledger reports, with the file as reference), `WriteOff` (reason credit_note) for a credit
note on the invoice it names, and `AttachDocument` for the file itself as evidence. Each is
run on a working copy of its case first, so a refusal is known before anything is stored;
the working copies are then the state the next row of the same case sees.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from uuid import UUID

from application.commands import AttachDocument, CaseCommand, OpenCase, RecordPayment, WriteOff
from application.errors import CaseNotFound
from application.imports.summary import Entry, Outcome
from application.imports.values import DocumentType, ImportedInvoice
from application.service import CaseService
from domain.attachments import DocumentKind
from domain.case import DebtCase, case_id_for
from domain.errors import DomainError, InvalidValue, InvalidValues
from domain.limits import REFERENCE
from domain.money import Money
from domain.values import PaymentMethod, Stamp, WriteOffReason

Command = OpenCase | CaseCommand


@dataclass(frozen=True)
class Evidence:
    """The file as the cases it changes record it."""

    name: str
    media_type: str
    size: int
    sha256: str
    kind: DocumentKind


@dataclass(frozen=True)
class Planned:
    """A row's entry, and the commands (with their idempotency keys) that would do it."""

    entry: Entry
    commands: tuple[tuple[Command, str], ...] = ()
    warnings: tuple[str, ...] = ()


@dataclass
class Planner:
    service: CaseService
    actor: str
    creditor: str
    creditors: tuple[str, ...]
    any_seller: bool
    credit_days: int
    # False when each row is stored as soon as it is planned: `CaseService.handle` then
    # makes the same checks of a new case (and refuses it, storing nothing), so the copy
    # is not built here, and a later row of the same invoice loads the stored case.
    check_new: bool = True
    working: dict[UUID, DebtCase | None] = field(default_factory=dict)
    _keys: set[str] = field(default_factory=set)  # credit notes planned in this import

    def case_of(self, row: ImportedInvoice) -> UUID:
        """The case the row is about (its invoice's, or the credited invoice's)."""
        target = row.credited_invoice if row.kind == DocumentType.CREDIT_NOTE else \
            row.invoice_number
        return case_id_for(self._creditor(row) or "-", target or "-")

    def plan(self, row: ImportedInvoice, evidence: Evidence) -> Planned:
        creditor = self._creditor(row)
        case_id = self.case_of(row)
        entry = Entry(Outcome.REFUSED, row.source, row.where, row.invoice_number, creditor,
                      str(case_id))
        try:
            if not creditor:
                raise InvalidValue(self._seller_refusal(row), "creditor")
            if row.kind == DocumentType.CREDIT_NOTE:
                return self._credit(row, creditor, case_id, entry, evidence)
            return self._invoice(row, creditor, case_id, entry, evidence)
        except InvalidValues as error:
            name, messages = next(iter(error.errors.items()))
            return Planned(_refused(entry, name, messages[0]))
        except DomainError as error:
            return Planned(_refused(entry, error.field or "row", error.message))

    # -- whose invoice ----------------------------------------------------------------------

    def _creditor(self, row: ImportedInvoice) -> str:
        """The configured creditor the seller is ('' : not one), or the seller itself with
        --any-seller; a row naming no seller is the default creditor's."""
        seller = row.creditor.strip() or self.creditor
        if self.any_seller:
            return seller
        return next((c for c in self.creditors if c.casefold() == seller.casefold()), "")

    def _seller_refusal(self, row: ImportedInvoice) -> str:
        return (f"the seller '{row.creditor}' is not a creditor of this installation "
                f"(configured: {'; '.join(self.creditors)}; ARREARS_CREDITORS); --any-seller "
                "takes every seller as its own creditor")

    # -- invoices ---------------------------------------------------------------------------

    def _invoice(self, row: ImportedInvoice, creditor: str, case_id: UUID, entry: Entry,
                 evidence: Evidence) -> Planned:
        case = self._case(case_id)
        if case is None:
            return self._open(row, creditor, case_id, entry, evidence)
        if case.currency != row.currency:
            raise InvalidValue(f"the case is in {case.currency}; the file says {row.currency}",
                               "currency")
        ledger_open = (case.invoice_amount - case.paid - case.written_off).amount
        if row.amount_due == ledger_open:
            return Planned(_done(entry, Outcome.UNCHANGED, "unchanged"))
        if row.amount_due > ledger_open:
            raise InvalidValue(f"the file shows {row.amount_due} {row.currency} due, more than "
                               f"the {ledger_open} Arrears has open on the invoice; a larger "
                               "amount is refused", "amount_due")
        paid = ledger_open - row.amount_due
        payment = RecordPayment(case_id=case_id, actor=self.actor, amount=paid,
                                method=PaymentMethod.OTHER,
                                reference=_reference(f"ledger export {evidence.name}"))
        commands = [(payment, _key("pay", case_id, evidence.sha256))]
        self._run(case, payment)
        commands += self._attach(case, case_id, evidence)
        return Planned(_done(entry, Outcome.UPDATED, f"payment of {paid} {row.currency} "
                             "reported by the ledger"), tuple(commands))

    def _open(self, row: ImportedInvoice, creditor: str, case_id: UUID, entry: Entry,
              evidence: Evidence) -> Planned:
        warnings = list(row.warnings)
        due = row.due_date
        if due is None:
            due = row.issue_date + timedelta(days=self.credit_days)
            warnings.append(f"{row.source}, {row.where}: {row.invoice_number} has no due date; "
                            f"due {due.isoformat()}, {self.credit_days} days after issue (the "
                            "default credit period)")
        if due < row.issue_date:
            raise InvalidValue(f"the due date {due.isoformat()} is before the issue date "
                               f"{row.issue_date.isoformat()}", "due_date")
        command = OpenCase(actor=self.actor, creditor=creditor,
                           invoice_number=row.invoice_number, debtor=row.debtor,
                           amount=_money(row), issue_date=row.issue_date, due_date=due,
                           contract_reference=_reference(row.buyer_reference))
        commands: list[tuple[Command, str]] = [(command, _key("open", case_id, ""))]
        if self.check_new:
            case = self._opened(command)
            self.working[case_id] = case
            commands += self._attach(case, case_id, evidence)
        else:
            self.working.pop(case_id, None)
            commands.append((self._attachment(case_id, evidence), _key("attach", case_id,
                                                                        evidence.sha256)))
        return Planned(_done(entry, Outcome.CREATED, f"{row.amount_due} {row.currency} due "
                             f"{due.isoformat()}"), tuple(commands), tuple(warnings))

    # -- credit notes -----------------------------------------------------------------------

    def _credit(self, row: ImportedInvoice, creditor: str, case_id: UUID, entry: Entry,
                evidence: Evidence) -> Planned:
        if not row.credited_invoice:
            raise InvalidValue("the credit note names no invoice it credits (BT-25)",
                               "credited_invoice")
        case = self._case(case_id)
        if case is None:
            raise InvalidValue(f"the credit note names invoice {row.credited_invoice}, which "
                               f"has no case for {creditor}; nothing was credited",
                               "credited_invoice")
        key = _key("credit", case_id, row.invoice_number)
        if self.service.chain_recorder.find_key(key) is not None or key in self._keys:
            return Planned(_done(entry, Outcome.UNCHANGED, "credit note already applied"))
        if case.currency != row.currency:
            raise InvalidValue(f"the case is in {case.currency}; the credit note is in "
                               f"{row.currency}", "currency")
        credit = WriteOff(case_id=case_id, actor=self.actor, reason=WriteOffReason.CREDIT_NOTE,
                          amount=row.amount_due, notes=f"credit note {row.invoice_number}")
        self._run(case, credit)
        self._keys.add(key)
        commands = [(credit, key), *self._attach(case, case_id, evidence)]
        return Planned(_done(entry, Outcome.UPDATED, f"credit note {row.invoice_number} of "
                             f"{row.amount_due} {row.currency} on {row.credited_invoice}"),
                       tuple(commands))

    # -- working copies ---------------------------------------------------------------------

    def _case(self, case_id: UUID) -> DebtCase | None:
        if case_id not in self.working:
            try:
                self.working[case_id] = self.service.load(case_id)
            except CaseNotFound:
                self.working[case_id] = None
        return self.working[case_id]

    def _stamp(self, occurred_on: date | None = None) -> Stamp:
        now = self.service.clock.now()
        return Stamp(actor=self.actor, occurred_on=occurred_on or now.date(), recorded_at=now)

    def _opened(self, command: OpenCase) -> DebtCase:
        """The case `CaseService.handle` would open (the same checks), kept in memory."""
        case = DebtCase.open(
            creditor=command.creditor, invoice_number=command.invoice_number,
            debtor=command.debtor, amount=command.amount, issue_date=command.issue_date,
            due_date=command.due_date, contract_reference=command.contract_reference,
            jurisdiction=self.service.default_jurisdiction,
            stamp=self._stamp(command.issue_date))
        case.collect_events()
        return case

    def _run(self, case: DebtCase, command: CaseCommand) -> None:
        command.run(case, self._stamp(command.occurred_on))
        case.collect_events()

    def _attach(self, case: DebtCase, case_id: UUID,
                evidence: Evidence) -> list[tuple[Command, str]]:
        if evidence.sha256 in case.attachments:
            return []
        attach = self._attachment(case_id, evidence)
        self._run(case, attach)
        return [(attach, _key("attach", case_id, evidence.sha256))]

    def _attachment(self, case_id: UUID, evidence: Evidence) -> AttachDocument:
        return AttachDocument(case_id=case_id, actor=self.actor, name=evidence.name,
                              media_type=evidence.media_type, size=evidence.size,
                              sha256=evidence.sha256, kind=evidence.kind,
                              description="the imported file this case was read from")


def _key(what: str, case_id: UUID, salt: str) -> str:
    """An idempotency key: the same step of the same import on the same case, once."""
    digest = hashlib.sha256(f"{case_id}\n{salt}".encode()).hexdigest()[:40]
    return f"import:{what}:{digest}"


def _money(row: ImportedInvoice) -> Money:
    return Money(Decimal(row.amount_due), row.currency)


def _reference(text: str) -> str:
    return text if len(text) <= REFERENCE else text[:REFERENCE - 1] + "…"


def _done(entry: Entry, outcome: Outcome, what: str) -> Entry:
    return replace(entry, outcome=outcome, what=what)


def _refused(entry: Entry, field_name: str, reason: str) -> Entry:
    return replace(entry, outcome=Outcome.REFUSED, field=field_name, reason=reason)
