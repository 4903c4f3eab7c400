"""Opening a case for an unpaid invoice."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import click

from cli.casecommand import Fields, command, report_recorded
from cli.options import day, recording_params, text, vocabulary
from cli.params import DECIMAL, words
from cli.runtime import service
from domain.money import Money
from domain.values import Debtor, DebtorKind, PaymentMethod, PaymentTerms


@click.argument("invoice_number")
@click.option("--debtor", "debtor_name", required=True, help="The debtor's name.")
@vocabulary("--debtor-kind", DebtorKind, "A business or an individual.", default="business")
@text("--debtor-email", "The debtor's email address.")
@text("--debtor-phone", "The debtor's phone number.")
@text("--debtor-address", "The debtor's postal address.")
@click.option("--amount", required=True, metavar="AMOUNT", help="The invoice amount, e.g. 1200.")
@click.option("--currency", default="GBP", show_default=True, help="ISO 4217 currency code.")
@day("--issue-date", "issue_date", "The invoice's issue date.")
@day("--due-date", "due_date", "The invoice's due date.")
@click.option("--interest-rate", type=DECIMAL, help="Contractual interest, percent a year.")
@click.option("--late-fee", metavar="AMOUNT", help="Contractual late fee, in --currency.")
@click.option("--payment-method", "payment_methods", type=words(PaymentMethod), multiple=True,
              help="A payment method the terms accept; repeat for several.")
@text("--contract-reference", "The contract the invoice is under.")
def invoice_fields(*, invoice_number: str, debtor_name: str, debtor_kind: str,
                   debtor_email: str, debtor_phone: str, debtor_address: str, amount: str,
                   currency: str, issue_date: date, due_date: date,
                   interest_rate: Decimal | None, late_fee: str | None,
                   payment_methods: tuple[str, ...], contract_reference: str) -> Fields:
    """Open a case for an unpaid invoice.

    INVOICE_NUMBER is the creditor's invoice number; one case per invoice.
    """
    fee = None if late_fee is None else Money.of(late_fee, currency, "terms.late_fee")
    return {
        "invoice_number": invoice_number,
        "debtor": Debtor(debtor_name, debtor_kind, debtor_email, debtor_phone, debtor_address),
        "amount": Money.of(amount, currency),
        "issue_date": issue_date,
        "due_date": due_date,
        "terms": PaymentTerms(interest_rate, fee, payment_methods),
        "contract_reference": contract_reference,
    }


def open_case(actor: str, occurred_on: date | None, creditor: str, as_json: bool,
              **invoice: Any) -> None:
    svc = service()
    case_id = svc.open_case(actor=actor, occurred_on=occurred_on, creditor=creditor,
                            **invoice_fields(**invoice))
    report_recorded(svc, case_id, 0, 1, as_json)


open_command = command("open", invoice_fields, open_case, after=recording_params())

COMMANDS = [open_command]
