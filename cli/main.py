"""The `arrears` command group: every command registered in one place."""

from __future__ import annotations

import click

from cli import readmodels
from cli.base import ArrearsGroup
from cli.commands import (
    attach,
    contact,
    debtors,
    escalation,
    evidence,
    evidence_bundle,
    holds,
    interest,
    mail,
    money,
    opening,
    reading,
    schedule,
    tool,
    users,
)
from cli.options import ENVIRONMENT


@click.group(cls=ArrearsGroup, epilog=ENVIRONMENT,
             context_settings={"max_content_width": 100})
def main() -> None:
    """Arrears: event-sourced case management for escalated debts.

    A case is one unpaid invoice. Name it by its id (a UUID) or by its invoice number
    (looked up for --creditor). Every command that records an event takes --actor, --on
    (when it happened, YYYY-MM-DD; default today) and --json.
    """


for module in (opening, contact, mail, money, holds, escalation, attach, reading,
               evidence_bundle, tool, evidence, users, schedule, interest, debtors):
    for command in module.COMMANDS:
        main.add_command(command)

# -- read models ------------------------------------------------------------------------------
# `list`, `project` and `projections` are registered by cli/readmodels.py (lead engineer).
readmodels.register(main)


if __name__ == "__main__":
    main()
