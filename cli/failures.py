"""How the CLI fails: one line on stderr naming the option, JSON errors with --json.

Exit codes: 0 done; 1 refused (the input is well formed but a collection rule forbids the
command in the case's present state); 2 invalid input (usage, malformed date or number,
unknown word, negative amount, unknown case, bad setting); 3 the read models are stuck at an
event they cannot apply (`projections rebuild`, `project`; they hold every event before it);
4 the evidence does not hold: a case's chain breaks (the case is not loaded), `verify` found
a break or a checkpoint that does not hold, or an evidence bundle does not verify
(`verify-bundle`: a file, event, key or signature does not match); 5 a case's history
predates the chain and is not sealed (`arrears chain init`); 6 the database cannot be used
now (unreachable, timed out, locked, read-only or full: ARREARS_DB_CONNECT_TIMEOUT and
ARREARS_DB_STATEMENT_TIMEOUT bound the wait), nothing was stored; 10 the store is not one
the command works on (`import` into a store that is not empty, `backup` of a store that is
not a SQLite file); 11 `doctor` found a problem it warns about, 12 one that fails.
"""

from __future__ import annotations

import json

import click

from application.availability import DatabaseUnavailable
from application.errors import CaseNotFound, ChainBroken, ChainUnsealed
from application.readmodels.status import Fault
from application.settings import SettingsError
from domain.errors import CurrencyMismatch, DomainError, InvalidValue

REFUSED = 1
INVALID_INPUT = 2
VIEWS_STUCK = 3
CHAIN_BROKEN = 4
NOT_VERIFIED = 4  # an evidence bundle: the same meaning as a broken chain
NOT_SEALED = 5
DATABASE_UNAVAILABLE = 6
WRONG_STORE = 10  # import into a non-empty store; backup of a store that is not SQLite
DOCTOR_WARNS = 11
DOCTOR_FAILS = 12

_INVALID = (InvalidValue, CurrencyMismatch, CaseNotFound)


class Failure(click.ClickException):
    """A user error, reported as `error: FIELD: REASON`; never a traceback."""

    def __init__(self, field: str, reason: str, exit_code: int = INVALID_INPUT) -> None:
        super().__init__(reason)
        self.field = field
        self.reason = " ".join(reason.split())
        self.exit_code = exit_code  # type: ignore[misc]  # per instance, not per class

    def line(self) -> str:
        return f"error: {self.field}: {self.reason}" if self.field else f"error: {self.reason}"

    def report(self, as_json: bool) -> None:
        click.echo(self.line(), err=True)
        if as_json:
            click.echo(json.dumps({"errors": {self.field or "command": [self.reason]}}))


def views_stuck(fault: Fault) -> Failure:
    """`error: projections: stuck at event #N (...): ERROR; ...` with exit code 3."""
    return Failure("projections", f"{fault.describe()}; the views hold every event before it",
                   VIEWS_STUCK)


def param_label(param: click.Parameter) -> str:
    """What the user typed for a parameter: its long option, or the argument's name."""
    if isinstance(param, click.Option):
        return max(param.opts, key=len)
    return param.name or ""


def field_label(field: str | None, params: list[click.Parameter]) -> str:
    """The option a domain field came from (`period_start` -> `--from`), else the field."""
    if not field:
        return ""
    base, _, rest = field.partition("[")
    number = rest.split("]", 1)[0]
    by_name = {param.name: param for param in params}
    for name in (base, base.replace(".", "_"), base.rsplit(".", 1)[-1]):
        if name in by_name:
            label = param_label(by_name[name])
            return f"{label} #{number}" if number else label
    return field


def from_domain(error: DomainError, command: click.Command) -> Failure:
    if isinstance(error, ChainBroken | ChainUnsealed):
        return Failure("", error.message,
                       CHAIN_BROKEN if isinstance(error, ChainBroken) else NOT_SEALED)
    code = INVALID_INPUT if isinstance(error, _INVALID) else REFUSED
    return Failure(field_label(error.field, command.params), error.message, code)


def from_settings(error: SettingsError | ValueError) -> Failure:
    """A setting refused with 'SETTING: reason' (ARREARS_DATABASE_URL, ARREARS_TODAY)."""
    setting, _, reason = str(error).partition(": ")
    return Failure(setting, reason, INVALID_INPUT) if reason else Failure("", setting)


def from_click(error: click.ClickException) -> Failure:
    """A click usage error as a one-line failure naming the option."""
    if isinstance(error, Failure):
        return error
    if isinstance(error, click.BadParameter) and error.param is not None:
        missing = isinstance(error, click.MissingParameter)
        reason = "is required" if missing else error.message
        return Failure(param_label(error.param), reason, error.exit_code)
    return Failure("", error.format_message(), error.exit_code)


def from_unavailable(error: DatabaseUnavailable) -> Failure:
    """`error: database: REASON` with exit code 6."""
    return Failure("database", error.reason, DATABASE_UNAVAILABLE)
