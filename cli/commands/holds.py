"""Pausing collection: disputes and holds."""

from __future__ import annotations

from datetime import date

from application.commands import LiftHold, PlaceHold, RaiseDispute, ResolveDispute
from cli.casecommand import Fields, case_command
from cli.options import day, text, vocabulary
from domain.values import DisputeOutcome


@case_command("dispute", RaiseDispute)
@text("--reason", "What the debtor disputes.", required=True)
def dispute(reason: str) -> Fields:
    """Raise a dispute.

    The debtor disputes the invoice; the case goes on hold until it is resolved.
    """
    return {"reason": reason}


@case_command("resolve-dispute", ResolveDispute)
@vocabulary("--outcome", DisputeOutcome, "How the dispute ended.")
@text("--notes", "Details of the outcome.")
def resolve_dispute(outcome: str, notes: str) -> Fields:
    """Resolve the dispute.

    Record how the dispute ended; the dispute's hold is lifted.
    """
    return {"outcome": outcome, "notes": notes}


@case_command("hold", PlaceHold)
@text("--reason", "Why collection is paused.", required=True)
@day("--until", "until", "Last day of the hold; default until lifted.", required=False)
def hold(reason: str, until: date | None) -> Fields:
    """Pause collection, until a date or until lifted."""
    return {"reason": reason, "until": until}


@case_command("lift-hold", LiftHold)
@text("--reason", "Why collection resumes.")
def lift_hold(reason: str) -> Fields:
    """Lift a hold.

    Resume collection. A dispute's hold is lifted by `resolve-dispute` instead.
    """
    return {"reason": reason}


COMMANDS = [dispute, resolve_dispute, hold, lift_hold]
