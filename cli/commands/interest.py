"""`arrears interest`: the late-payment interest and compensation on a case, not stored."""

from __future__ import annotations

from datetime import date

import click

from application.interest import case_interest
from cli import output
from cli.casecommand import command
from cli.options import reading_params
from cli.params import ISO_DATE
from cli.runtime import service
from domain.law import InterestCalculation
from domain.law.calculation import amount_text, percent_text


def show_interest(case: str, creditor: str, as_json: bool, until: date | None) -> None:
    """Show the interest and compensation owed on a case, without storing anything.

    Statutory interest under the case's jurisdiction (or the contractual rate of its terms,
    where they set one) from the day after the due date up to and including --until
    (default today), line by line at each change of rate or principal, and the fixed
    compensation the law adds. For now every payment counts toward the principal, in date
    order: none is taken as paying costs or interest first. With --json exactly
    {"currency", "lines": [{"from", "to", "days", "principal", "rate", "amount"}],
    "interest", "compensation", "basis"}.
    """
    svc = service()
    case_id = svc.resolve(case, creditor)
    calculation = case_interest(svc.load(case_id), svc.case_events(case_id),
                                until or svc.clock.today())
    if as_json:
        output.emit_json(calculation.as_json())
    else:
        print_calculation(calculation)


def print_calculation(calculation: InterestCalculation) -> None:
    currency = calculation.currency
    if calculation.lines:
        click.echo(f"{'from':<10}  {'to':<10}  {'days':>5}  {'principal':>14}  "
                   f"{'rate %':>7}  {'interest':>12}")
    for line in calculation.lines:
        click.echo(f"{line.from_.isoformat():<10}  {line.to.isoformat():<10}  {line.days:>5}  "
                   f"{amount_text(line.principal):>14}  {percent_text(line.rate):>7}  "
                   f"{amount_text(line.amount):>12}")
    click.echo(f"Interest:     {currency} {amount_text(calculation.interest)}")
    click.echo(f"Compensation: {currency} {amount_text(calculation.compensation)}")
    click.echo(calculation.basis)


interest = command("interest", show_interest, show_interest, before=reading_params(),
                   after=[click.Option(["--until"], type=ISO_DATE,
                                       help="The last day of interest; default today.")])

COMMANDS = [interest]
