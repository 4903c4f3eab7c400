"""Working debtor by debtor: `hold-debtor`, `release-debtor`, `statement`."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import click

from application.debtors.holds import LiftDebtorHold, PlaceDebtorHold, holds_of
from application.debtors.statement import statement_pdf
from cli import output
from cli.base import ArrearsCommand
from cli.failures import Failure
from cli.options import actor_option, json_option
from cli.params import ISO_DATE, TextOf
from cli.readmodels import arrears

KEY_PREFIXES = ("tax:", "email:", "name:")


def find_debtor(given: str) -> dict[str, Any]:
    """The debtor DEBTOR names (their key, or their name), as the read models know them."""
    app = arrears()
    app.projector.catch_up()
    found = app.views.debtor(given)
    if found is None:
        raise Failure("DEBTOR", f"no debtor '{given}' (give a debtor key, e.g. "
                      "email:ap@acme.example, or the name on their cases)")
    return found


def _hold_key(given: str) -> str:
    """A debtor key for a hold: of a known debtor, or a key given as one (a debtor whose
    cases are still to come)."""
    if given.startswith(KEY_PREFIXES) and arrears().views.debtor(given) is None:
        return given
    return find_debtor(given)["debtor_key"]


def hold_debtor(debtor: str, reason: str, until: date | None, actor: str,
                as_json: bool) -> None:
    """Pause every case of DEBTOR: those there are and those opened while the hold lasts.

    DEBTOR is a debtor key (tax:…, email:…, name:…, as on the debtor page) or the name on
    their cases. The schedule leaves their cases alone (paused "debtor_hold") until --until
    (the last day of the hold) or until `release-debtor`; each case page shows the hold.
    """
    app = arrears()
    hold = holds_of(app.service).place(
        PlaceDebtorHold(_hold_key(debtor), reason, actor, until), app.clock.today())
    if as_json:
        output.emit_json({"debtor_key": hold.debtor_key, "reason": hold.reason,
                          "until": None if hold.until is None else hold.until.isoformat(),
                          "placed_by": hold.placed_by, "placed_on": hold.placed_on.isoformat()})
        return
    click.echo(f"Debtor {hold.debtor_key} on hold: {hold.reason} "
               f"({'until lifted' if hold.until is None else 'until ' + hold.until.isoformat()}).")


def release_debtor(debtor: str, actor: str, as_json: bool) -> None:
    """Lift the hold on DEBTOR: the schedule works their cases again from its next run.

    Refused (exit 1) when the debtor is not on hold.
    """
    app = arrears()
    hold = holds_of(app.service).lift(LiftDebtorHold(_hold_key(debtor), actor),
                                      app.clock.today())
    if as_json:
        output.emit_json({"debtor_key": hold.debtor_key, "released": True})
        return
    click.echo(f"Debtor {hold.debtor_key}: hold lifted ({hold.reason}).")


def statement(debtor: str, out: Path) -> None:
    """Write DEBTOR's statement of account as a PDF to --out.

    Every open invoice with its penalties, payments, credits and balance, totalled per
    currency (never added across currencies), as the read models hold them today.
    """
    found = find_debtor(debtor)
    out.write_bytes(statement_pdf(found, arrears().clock.today()))
    click.echo(f"Statement of account for {found['name']} written to {out}.")


def _debtor() -> click.Argument:
    return click.Argument(["debtor"], metavar="DEBTOR", type=TextOf("debtor", True))


COMMANDS = [
    ArrearsCommand("hold-debtor", callback=hold_debtor, help=hold_debtor.__doc__, params=[
        _debtor(), click.Option(["--reason"], required=True, type=TextOf("reason", True),
                                help="Why the debtor's cases are paused."),
        click.Option(["--until"], type=ISO_DATE, help="Last day of the hold; default until "
                     "released."), actor_option(), json_option()]),
    ArrearsCommand("release-debtor", callback=release_debtor, help=release_debtor.__doc__,
                   params=[_debtor(), actor_option(), json_option()]),
    ArrearsCommand("statement", callback=statement, help=statement.__doc__, params=[
        _debtor(), click.Option(["--out"], required=True, type=click.Path(path_type=Path),
                                help="The PDF file to write.")]),
]
