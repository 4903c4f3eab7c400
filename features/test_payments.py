"""Payments in from the bank (features/payments/bank_statement.feature).

The statement is a camt.053 file the scenario writes; the import matches its credits
against the scenario's read models, as `arrears import-payments` does.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pytest_bdd import given, scenarios, then, when

from application.clock import FixedClock
from application.payments_in.importing import Summary, import_payments, open_invoices
from application.payments_in.review import queued
from application.readmodels.database import make_engine, readmodel_url
from application.readmodels.projector import Projector
from application.readmodels.queries import CaseViews
from application.service import CaseService
from domain.money import Money
from features.conftest import ACTOR, step
from tests.bank_files import Entry, Tx, camt, write

scenarios("payments/bank_statement.feature")


class Bank:
    """The statement's entries, and the imports of it, in order."""

    def __init__(self, service: CaseService, clock: FixedClock, path: Path) -> None:
        self.service, self.clock, self.path = service, clock, path
        self.engine = make_engine(readmodel_url(service.url))
        self.entries: list[Entry] = []
        self.booked = date(2026, 1, 1)
        self.imports: list[Summary] = []

    def run(self) -> Summary:
        write(self.path, camt(self.entries))
        Projector(self.service, self.engine).catch_up()
        views = CaseViews(self.engine, self.clock)
        invoices = open_invoices(views.open_cases(self.clock.today()))
        self.imports.append(import_payments(self.service, invoices, [self.path], None, ACTOR))
        return self.imports[-1]


@pytest.fixture
def bank(service: CaseService, clock: FixedClock, tmp_path: Path) -> Iterator[Bank]:
    found = Bank(service, clock, tmp_path / "statement.xml")
    yield found
    found.engine.dispose()


def _credit(bank: Bank, amount: Money, payer: str, words: str) -> None:
    day = bank.booked.isoformat()
    bank.entries.append(Entry(str(amount.amount), ref=f"BANK-{len(bank.entries) + 1}",
                              currency=amount.currency, booked=day, value=day,
                              txs=[Tx(debtor=payer, ustrd=(words,))]))


# -- Given ---------------------------------------------------------------------------------

@given(step('the bank statement of {day:Date} shows a credit of {amount:Money} from {payer} '
            'saying "{words}"'))
def the_statement_shows_a_credit(bank: Bank, day: date, amount: Money, payer: str,
                                 words: str) -> None:
    """A booked credit on our account, with the payer's name and remittance text."""
    bank.booked = day
    _credit(bank, amount, payer, words)


@given(step('it shows a credit of {amount:Money} from {payer} saying "{words}"'))
def it_shows_another_credit(bank: Bank, amount: Money, payer: str, words: str) -> None:
    """Another credit on the same statement."""
    _credit(bank, amount, payer, words)


# -- When ----------------------------------------------------------------------------------

@when(step("I import the bank statement on {day:Date}"))
def import_the_statement(bank: Bank, clock: FixedClock, day: date) -> None:
    """`arrears import-payments statement.xml` on that day."""
    clock.current = datetime(day.year, day.month, day.day, 9, tzinfo=UTC)
    bank.run()


@when("I import the bank statement again")
def import_it_again(bank: Bank) -> None:
    """The same file once more."""
    bank.run()


# -- Then ----------------------------------------------------------------------------------

@then(step("invoice {number} is paid in full, by a bank transfer of {amount:Money} on "
            "{day:Date}"))
def the_invoice_is_paid(service: CaseService, number: str, amount: Money, day: date) -> None:
    """Nothing is outstanding after the payment the import recorded. Paid late, the case
    stays open for the interest accrued, to be claimed or waived (never silently dropped)."""
    case_id = service.resolve(number)
    history = service.history(case_id)
    [paid] = [e for e in history if e["type"] == "PaymentReceived"]
    assert (paid["data"]["amount"], paid["data"]["method"], paid["occurred_on"]) == (
        {"amount": str(amount.amount), "currency": amount.currency}, "bank_transfer",
        day.isoformat())
    case = service.load(case_id)
    assert case.outstanding.is_zero
    assert case.is_closed or case.unclaimed_interest() is not None


@then(step("the credit of {amount:Money} from {payer} waits for review as {reason}"))
def the_credit_waits(service: CaseService, amount: Money, payer: str, reason: str) -> None:
    """The review queue holds it, with its reason and the statement it came from."""
    [row] = queued(service)
    assert (row.credit.amount, row.credit.currency, row.credit.debtor_name, row.reason) == (
        amount.amount, amount.currency, payer, reason)
    assert row.credit.source_file.endswith("statement.xml")


@then(step("the second import recorded nothing and found {count:d} credit unchanged"))
def nothing_twice(bank: Bank, count: int) -> None:
    second = bank.imports[-1]
    assert (second.matched, second.queued, len(second.unchanged)) == ([], [], count)


@then(step("invoice {number} has {count:d} payment"))
def payments_of(service: CaseService, number: str, count: int) -> None:
    history = service.history(service.resolve(number))
    assert len([e for e in history if e["type"] == "PaymentReceived"]) == count
