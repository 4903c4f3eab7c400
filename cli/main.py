"""The `arrears` command group: every command registered in one place."""

from __future__ import annotations

import os

import click

from application.logs import configure_logging
from application.settings import SettingsError
from cli import readmodels
from cli.base import ArrearsGroup
from cli.commands import (
    attach,
    contact,
    debtors,
    doctor,
    escalation,
    evidence,
    evidence_bundle,
    holds,
    imports,
    insolvency,
    interest,
    letters,
    mail,
    money,
    opening,
    payments,
    reading,
    schedule,
    tool,
    transfer,
    users,
)
from cli.failures import from_settings
from cli.options import ENVIRONMENT


@click.group(cls=ArrearsGroup, epilog=ENVIRONMENT,
             context_settings={"max_content_width": 100})
def main() -> None:
    """Arrears: event-sourced case management for escalated debts.

    A case is one unpaid invoice. Name it by its id (a UUID) or by its invoice number
    (looked up for --creditor). Every command that records an event takes --actor, --on
    (when it happened, YYYY-MM-DD; default today) and --json.
    """
    if os.environ.get("ARREARS_LOG_LEVEL"):  # JSON log lines on stderr (application.logs)
        try:
            configure_logging()
        except SettingsError as error:
            raise from_settings(error) from None


for module in (opening, contact, mail, money, holds, escalation, attach, reading,
               evidence_bundle, tool, evidence, users, schedule, interest, letters,
               insolvency, imports, payments, debtors):
    for command in module.COMMANDS:
        main.add_command(command)

# -- operations: export, import, backup, doctor (issue 15) ------------------------------------
for command in (*transfer.COMMANDS, *doctor.COMMANDS):
    main.add_command(command)

# -- read models ------------------------------------------------------------------------------
# `list`, `project` and `projections` are registered by cli/readmodels.py (lead engineer).
readmodels.register(main)


if __name__ == "__main__":
    main()
