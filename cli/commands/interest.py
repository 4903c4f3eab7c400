"""`arrears interest`: the late-payment interest and compensation on a case, not stored;
`arrears claim-interest`: claim it as penalties; `arrears waive-interest`: give it up."""

from __future__ import annotations

from datetime import date

import click

from application.commands import ClaimInterest, WaiveInterest
from application.interest import case_interest
from cli import output
from cli.casecommand import Fields, case_command, command, report_recorded
from cli.options import case_argument, reading_params, recording_params, text
from cli.params import ISO_DATE
from cli.runtime import service
from domain.interest_claims import NO_INTEREST
from domain.law import InterestCalculation
from domain.law.calculation import amount_text, percent_text


def show_interest(case: str, creditor: str, as_json: bool, until: date | None) -> None:
    """Show the interest and compensation owed on a case, without storing anything.

    Statutory interest under the case's jurisdiction (or the contractual rate of its terms,
    where they set one) from the day after the due date up to and including --until
    (default today), line by line at each change of rate or principal, and the fixed
    compensation the law adds. Each payment reduces the principal by its share of the
    principal (its allocation) from the day after it was paid. With --json exactly
    {"currency", "lines": [{"from", "to", "days", "principal", "rate", "amount"}],
    "interest", "compensation", "basis"}.
    """
    svc = service()
    case_id = svc.resolve(case, creditor)
    calculation = case_interest(svc.load(case_id), until or svc.clock.today())
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


def _until(help: str) -> click.Option:
    return click.Option(["--until"], type=ISO_DATE, help=help)


interest = command("interest", show_interest, show_interest, before=reading_params(),
                   after=[_until("The last day of interest; default today.")])


def claim_interest(case: str, actor: str, occurred_on: date | None, creditor: str,
                   as_json: bool, until: date | None) -> None:
    """Claim the interest not yet claimed, and the fixed compensation, as penalties.

    The same calculation as `arrears interest`, up to and including --until (default the
    day of the claim, --on or today): one penalty per line not yet claimed, carrying its
    period, days, principal, rate and basis, and the fixed compensation (and a late fee
    under the case's terms) if never applied. A period already claimed (or waived) is
    never claimed again: run twice, the second time records nothing and says "nothing to
    claim".
    """
    svc = service()
    case_id = svc.resolve(case, creditor)
    recorded = svc.handle(ClaimInterest(case_id=case_id, actor=actor,
                                        occurred_on=occurred_on, until=until))
    if recorded.version < recorded.first_version:
        _nothing_claimed(svc, recorded, until or occurred_on or svc.clock.today(), as_json)
    else:
        report_recorded(svc, recorded, as_json)


def _nothing_claimed(svc, recorded, until: date, as_json: bool) -> None:
    found = svc.load(recorded.case_id).interest_claim(until)
    if as_json:
        output.emit_json({"case_id": str(recorded.case_id), "version": recorded.version,
                          "claimed": False, "note": found.note})
        return
    why = found.note.removeprefix(NO_INTEREST).strip()  # not "nothing to claim. No interest..."
    click.echo(f"Case {recorded.invoice_number}: nothing to claim.{' ' + why if why else ''}")


claim = command("claim-interest", claim_interest, claim_interest, before=[case_argument()],
                after=[*recording_params(),
                       _until("The last day of interest claimed; default the day of the "
                              "claim.")])


@case_command("waive-interest", WaiveInterest)
@text("--reason", "Why the interest is given up.", required=True)
@click.option("--until", type=ISO_DATE,
              help="The last day of interest waived; default the day the principal was "
                   "paid in full, else the day of the waiver.")
def waive_interest(reason: str, until: date | None) -> Fields:
    """Waive interest accrued and not claimed, explicitly, with a reason.

    Interest owed when the principal is paid is never silently dropped: the case stays
    open ("interest of X to DATE not claimed: claim it or waive it") until it is claimed
    (`arrears claim-interest`) or waived here; then it closes if nothing is outstanding.
    The period waived is never claimed afterwards.
    """
    return {"reason": reason, "until": until}


COMMANDS = [interest, claim, waive_interest]
