"""Opening a case for an unpaid invoice."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import click

from application.commands import OpenCase
from cli.casecommand import command, report_recorded
from cli.options import day, optional_word, recording_params, text, vocabulary
from cli.params import AMOUNT, CURRENCY, RATE, TextOf, words
from cli.runtime import service
from domain.errors import Checks
from domain.law import Jurisdiction
from domain.money import Money, check_amount
from domain.values import Debtor, DebtorKind, PaymentMethod, PaymentTerms


@click.argument("invoice_number", type=TextOf("invoice_number", required=True))
@click.option("--debtor", "debtor_name", required=True, type=TextOf("debtor.name", True),
              help="The debtor's name.")
@vocabulary("--debtor-kind", DebtorKind, "A business or an individual.", default="business")
@text("--debtor-email", "The debtor's email address.", field="debtor.email")
@text("--debtor-phone", "The debtor's phone number.", field="debtor.phone")
@text("--debtor-address", "The debtor's postal address.", field="debtor.address")
@text("--debtor-tax-id", "The debtor's tax or VAT number (recognises the debtor across "
      "cases).", field="debtor.tax_id")
@click.option("--amount", required=True, type=AMOUNT,
              help="The invoice amount, e.g. 1,200.50, in --currency.")
@click.option("--currency", default="GBP", show_default=True, type=CURRENCY,
              help="ISO 4217 currency code.")
@day("--issue-date", "issue_date", "The invoice's issue date.")
@day("--due-date", "due_date", "The invoice's due date.")
@click.option("--interest-rate", type=RATE, help="Contractual interest, percent a year.")
@click.option("--late-fee", type=AMOUNT, help="Contractual late fee, in --currency.")
@click.option("--payment-method", "payment_methods", type=words(PaymentMethod), multiple=True,
              help="A payment method the terms accept; repeat for several.")
@text("--contract-reference", "The contract the invoice is under.")
@optional_word("--jurisdiction", Jurisdiction,
               "Whose law governs the debt; default ARREARS_JURISDICTION, else england-wales.")
def invoice_fields(*, invoice_number: str, debtor_name: str, debtor_kind: str,
                   debtor_email: str, debtor_phone: str, debtor_address: str, amount: Decimal,
                   debtor_tax_id: str,
                   currency: str, issue_date: date, due_date: date,
                   interest_rate: Decimal | None, late_fee: Decimal | None,
                   payment_methods: tuple[str, ...], contract_reference: str,
                   jurisdiction: Jurisdiction | None) -> dict[str, Any]:
    """Open a case for an unpaid invoice.

    INVOICE_NUMBER is the creditor's invoice number; one case per invoice. The case is
    opened on the issue date unless --on says otherwise.
    """
    checks = Checks()
    checks.run(check_amount, amount, currency, "amount")
    if late_fee is not None:
        checks.run(check_amount, late_fee, currency, "terms.late_fee")
    checks.done()
    fee = None if late_fee is None else Money(late_fee, currency)
    return {
        "invoice_number": invoice_number,
        "debtor": Debtor(debtor_name, debtor_kind, debtor_email, debtor_phone, debtor_address,
                         debtor_tax_id),
        "amount": Money(amount, currency),
        "issue_date": issue_date,
        "due_date": due_date,
        "terms": PaymentTerms(interest_rate, fee, payment_methods),
        "contract_reference": contract_reference,
        "jurisdiction": jurisdiction,
    }


def open_case(actor: str, occurred_on: date | None, creditor: str, as_json: bool,
              **invoice: Any) -> None:
    svc = service()
    recorded = svc.handle(OpenCase(actor=actor, occurred_on=occurred_on, creditor=creditor,
                                   **invoice_fields(**invoice)))
    report_recorded(svc, recorded, as_json)


open_command = command("open", invoice_fields, open_case,
                       after=recording_params(on_help="When the case was opened; "
                                              "default the invoice's issue date."))

COMMANDS = [open_command]
