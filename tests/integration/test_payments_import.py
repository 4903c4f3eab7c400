"""Payments in on both stores: the credits table, a plan left by a crash, a refused part."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import UUID

import pytest

from application.commands import RecordPayment
from application.payments_in.credits import Credit
from application.payments_in.importing import PaymentImport, occurred_on, part_key
from application.payments_in.matching import OpenInvoice
from application.payments_in.queue import CreditRow, Share, State, credits_of
from application.payments_in.review import assign, queued
from application.service import CaseService
from domain.money import Money
from domain.values import Debtor, PaymentMethod
from tests.builders import random_ref
from tests.commands import execute, open_case

ISSUED, DUE = date(2026, 1, 1), date(2026, 1, 31)


@pytest.fixture
def today(clock) -> date:
    clock.current = datetime(2026, 3, 1, 9, tzinfo=UTC)
    return clock.today()


def opened(service: CaseService, amount: str) -> OpenInvoice:
    number = random_ref("INV")
    case_id = open_case(service, occurred_on=ISSUED, invoice_number=number,
                        debtor=Debtor("Harbour Lights Cafe Ltd"),
                        amount=Money(Decimal(amount), "GBP"), issue_date=ISSUED, due_date=DUE)
    return OpenInvoice(case_id, "c", number, "Harbour Lights Cafe Ltd", "GBP",
                       Decimal(amount), DUE)


def credit(amount: str, remittance: str, ref: str = "R1") -> Credit:
    return Credit("GB00ACC", ref, Decimal(amount), "GBP", date(2026, 2, 27), None, "Someone",
                  remittance, source_file="s.xml", source_sha256="0" * 64, location="Ntry 1")


def payments(service: CaseService, case_id: UUID) -> list[dict]:
    return [e for e in service.history(case_id) if e["type"] == "PaymentReceived"]


def test_a_plan_left_by_a_crash_is_recorded_once_on_the_next_import(service, today):
    # The first import recorded part 1 of 2, then died before part 2 and the row's update.
    a, b = opened(service, "100.00"), opened(service, "50.00")
    paid = credit("150.00", f"{a.invoice_number} {b.invoice_number}")
    plan = (Share(str(a.case_id), a.invoice_number, Decimal("100.00")),
            Share(str(b.case_id), b.invoice_number, Decimal("50.00")))
    credits_of(service).add(CreditRow(paid, State.PLANNED, service.clock.now(), plan=plan,
                                      detail="reference"))
    first = RecordPayment(case_id=a.case_id, actor="ann", occurred_on=occurred_on(paid),
                          amount=Decimal("100.00"), method=PaymentMethod.BANK_TRANSFER,
                          reference="R1")
    service.handle(first, part_key(paid.entry, "1"))
    summary = PaymentImport(service, [a, b], "ann").run_credits([paid])
    assert [c["invoice_number"] for c in summary.matched[0]["cases"]] == [
        a.invoice_number, b.invoice_number]
    assert (len(payments(service, a.case_id)), len(payments(service, b.case_id))) == (1, 1)
    assert credits_of(service).get(paid.entry).state == State.RECORDED


def test_a_part_its_case_refuses_sends_the_credit_to_review(service, today):
    a = opened(service, "100.00")
    execute(service, a.case_id, "write_off", actor="ann", occurred_on=date(2026, 2, 1),
            reason="uncollectable")
    summary = PaymentImport(service, [a], "ann").run_credits([credit("100.00",
                                                                     a.invoice_number)])
    [row] = queued(service)
    assert (summary.queued[0]["reason"], row.reason) == ("refused", "refused")
    assert row.detail.startswith(f"{a.invoice_number} refused the payment: ")
    assert payments(service, a.case_id) == []


def test_assigning_again_after_a_crash_records_once(service, today):
    # The first `payments assign` stored the payment and died before updating the row.
    a = opened(service, "100.00")
    PaymentImport(service, [], "ann").run_credits([credit("40.00", "nothing")])
    [row] = queued(service)
    crashed = RecordPayment(case_id=a.case_id, actor="ann", occurred_on=occurred_on(row.credit),
                            amount=Decimal("40.00"), reference="R1")
    service.handle(crashed, part_key(row.entry, "a1"))
    _, recorded = assign(service, row.entry, a.case_id, "ann")
    assert recorded.repeated
    [paid] = payments(service, a.case_id)
    assert paid["data"]["amount"] == {"amount": "40.00", "currency": "GBP"}
    assert credits_of(service).get(row.entry).state == State.ASSIGNED
