"""`arrears users`: who may sign in to the web app and the API, with which role (ADR 17).

The CLI is the operator's tool on the server itself: it needs no sign-in, and what it
changes is recorded with --actor (default the OS user) as who did it.
"""

from __future__ import annotations

import sys

import click

from application.users.accounts import Accounts
from application.users.directory import Account
from application.users.roles import Role
from cli import output
from cli.base import ArrearsCommand
from cli.failures import Failure
from cli.options import actor_option, json_option
from cli.runtime import service

ROLE = click.Choice([r.value for r in Role], case_sensitive=False)
ROLES_HELP = ("admin: users and settings; collector: works cases; counsel: a lawyer or "
              "mediator, reads only the cases referred to them; auditor: reads every case "
              "and the audit trail.")


def accounts() -> Accounts:
    return service().users


def read_password() -> str:
    """From a hidden prompt (asked twice) on a terminal, else the first line of stdin."""
    if sys.stdin.isatty():
        return click.prompt("Password", hide_input=True, confirmation_prompt=True)
    line = sys.stdin.readline()
    if not line.strip():
        raise Failure("password", "give the password on stdin (one line) or at the prompt")
    return line.rstrip("\r\n")


def _row(account: Account) -> dict[str, str | bool]:
    return {"name": account.name, "role": account.role.value, "disabled": account.disabled,
            "has_token": bool(account.token_hash),
            "added_at": account.added_at.isoformat() if account.added_at else ""}


def _done(account: Account, what: str) -> None:
    state = "disabled" if account.disabled else "active"
    click.echo(f"{what}: {account.name} ({account.role.value}, {state}).")


class UsersGroup(click.Group):
    command_class = ArrearsCommand


@click.group("users", cls=UsersGroup)
def users() -> None:
    """Users of the web app and the API, and their roles.

    Roles: admin (users and settings), collector (works cases), counsel (a lawyer
    or mediator: reads only the cases a referral names them on), auditor (reads
    every case and the audit trail). Passwords are read from a prompt, or from
    stdin when it is not a terminal; never from an argument.
    """


@users.command("add", params=[actor_option()])
@click.argument("name")
@click.option("--role", type=ROLE, required=True, help=ROLES_HELP)
def add(name: str, role: str, actor: str) -> None:
    """Add a user NAME with --role; the password is read from the prompt or stdin."""
    _done(accounts().add(name, role, read_password(), actor), "Added")


@users.command("list", params=[json_option()])
def list_users(as_json: bool) -> None:
    """Every user: name, role, whether disabled, whether they have an API token."""
    rows = [_row(a) for a in accounts().all()]
    if as_json:
        output.emit_json(rows)
        return
    if not rows:
        click.echo("No users yet: add one with `arrears users add NAME --role ROLE`.")
    for row in rows:
        state = "disabled" if row["disabled"] else "active"
        token = ", API token" if row["has_token"] else ""
        click.echo(f"{row['name']:<24} {row['role']:<10} {state}{token}")


@users.command("disable", params=[actor_option()])
@click.argument("name")
def disable(name: str, actor: str) -> None:
    """Disable a user: no sign-in; their sessions and API token stop working at once."""
    _done(accounts().disable(name, actor), "Disabled")


@users.command("enable", params=[actor_option()])
@click.argument("name")
def enable(name: str, actor: str) -> None:
    """Enable a disabled user again (they need a new API token)."""
    _done(accounts().enable(name, actor), "Enabled")


@users.command("set-role", params=[actor_option()])
@click.argument("name")
@click.argument("role", type=ROLE)
def set_role(name: str, role: str, actor: str) -> None:
    """Give user NAME the ROLE (from their next request on)."""
    _done(accounts().set_role(name, role, actor), "Role set")


@users.command("password", params=[actor_option()])
@click.argument("name")
def password(name: str, actor: str) -> None:
    """Set a new password (prompt or stdin); sessions signed in with the old one end."""
    _done(accounts().set_password(name, read_password(), actor), "Password set")


@users.command("token", params=[actor_option()])
@click.argument("name")
def token(name: str, actor: str) -> None:
    """Print a new API token for NAME, alone on stdout (it replaces any earlier one).

    Send it as `Authorization: Bearer TOKEN`. Only its SHA-256 is stored: it cannot be
    shown again.
    """
    click.echo(accounts().issue_token(name, actor))


COMMANDS = [users]
