"""Money on a case: promises, payments, penalties, waivers, plans, settlements, write-offs."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import click

from application.commands import (
    AgreePaymentPlan,
    AgreeSettlement,
    ApplyPenalty,
    PlannedInstalment,
    PromisePayment,
    RecordPayment,
    WaivePenalty,
    WriteOff,
)
from cli.casecommand import Fields, case_command
from cli.options import amount, day, text, vocabulary
from cli.params import INSTALMENT, RATE
from domain.values import PaymentMethod, PenaltyKind, WriteOffReason


@case_command("promise", PromisePayment)
@amount("The amount promised.")
@day("--by", "promised_on", "The day the debtor promised to pay by.")
def promise(amount: Decimal, promised_on: date) -> Fields:
    """Record a promise to pay.

    The debtor's word to pay an amount by a date; broken the day after if unpaid.
    """
    return {"amount": amount, "promised_on": promised_on}


@case_command("pay", RecordPayment)
@amount("The amount received.")
@vocabulary("--method", PaymentMethod, "How it was paid.", default="bank_transfer")
@text("--reference", "The payment's reference, e.g. the bank's.")
def pay(amount: Decimal, method: str, reference: str) -> Fields:
    """Record a payment received.

    Partial payments are normal; paying all that is outstanding closes the case, unless
    interest accrued to that day was neither claimed nor waived (then claim-interest or
    waive-interest first). The payment pays costs, interest, then principal, in the order
    of the case's jurisdiction; the event carries the split.
    """
    return {"amount": amount, "method": method, "reference": reference}


@case_command("penalty", ApplyPenalty)
@vocabulary("--kind", PenaltyKind, "Which penalty.")
@amount("The amount added.")
@click.option("--rate", type=RATE, help="Annual interest rate in percent, e.g. 12.75.")
@day("--from", "period_start", "First day the interest ran (after the due date).",
     required=False)
@day("--to", "period_end", "Last day the interest ran.", required=False)
@text("--basis", "How it was worked out, e.g. 'Late Payment Act s.5A, GBP 40'.")
def penalty(kind: str, amount: Decimal, rate: Decimal | None,
            period_start: date | None, period_end: date | None, basis: str) -> Fields:
    """Apply a penalty.

    Add statutory or contractual interest, compensation or a late fee, with the
    basis of the calculation. Interest runs only from the day after the due date.
    """
    return {"kind": kind, "amount": amount, "rate": rate,
            "period_start": period_start, "period_end": period_end, "basis": basis}


@case_command("waive", WaivePenalty)
@vocabulary("--kind", PenaltyKind, "Which penalty.")
@amount("The amount of that penalty given up.")
@text("--reason", "Why it is waived.", required=True)
def waive(kind: str, amount: Decimal, reason: str) -> Fields:
    """Waive (part of) a penalty already applied."""
    return {"kind": kind, "amount": amount, "reason": reason}


@case_command("plan", AgreePaymentPlan)
@click.option("--instalment", "instalments", type=INSTALMENT, multiple=True, required=True,
              help="One instalment as DATE:AMOUNT, e.g. 2026-02-01:100.00; repeat in date "
                   "order.")
def plan(instalments: tuple[tuple[date, Decimal], ...]) -> Fields:
    """Agree a payment plan.

    Give each instalment as --instalment DATE:AMOUNT, in date order. Collection
    is on hold while the plan is kept.
    """
    return {"instalments": tuple(PlannedInstalment(due_on, amount)
                                 for due_on, amount in instalments)}


@case_command("settle", AgreeSettlement)
@amount("The amount accepted, less than what is outstanding.")
@day("--pay-by", "pay_by", "The day it must be paid by.")
def settle(amount: Decimal, pay_by: date) -> Fields:
    """Agree a settlement.

    Accept less than is outstanding; paying it by --pay-by settles the case.
    """
    return {"amount": amount, "pay_by": pay_by}


@case_command("write-off", WriteOff)
@vocabulary("--reason", WriteOffReason, "Why the money is given up.")
@amount("The amount given up; default all that is outstanding.", required=False)
@text("--notes", "Anything the auditor should know.")
def write_off(reason: str, amount: Decimal | None, notes: str) -> Fields:
    """Write off what is outstanding.

    Give up all that is outstanding (closes the case) or part of it (--amount).
    """
    return {"reason": reason, "amount": amount, "notes": notes}


COMMANDS = [promise, pay, penalty, waive, plan, settle, write_off]
