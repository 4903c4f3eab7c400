"""Options every command shares, and small factories for the ones commands declare."""

from __future__ import annotations

import getpass
from collections.abc import Callable
from enum import StrEnum
from typing import Any, TypeVar

import click

from application.settings import DEFAULT_CREDITOR, DEFAULT_DATABASE_URL
from cli.params import AMOUNT, ISO_DATE, TextOf, words

F = TypeVar("F", bound=Callable[..., Any])

ENVIRONMENT = f"""\b
Environment:
  ARREARS_DATABASE_URL  where the events live: sqlite:///PATH or
                        postgresql://USER:PASSWORD@HOST:PORT/DB[?schema=NAME]
                        (default {DEFAULT_DATABASE_URL})
  ARREARS_CREDITOR      creditor whose invoice numbers name cases
                        (default {DEFAULT_CREDITOR})
  ARREARS_CREDITORS     further creditors of this installation, separated
                        by ';' (import-invoices takes only their invoices)
  ARREARS_IMPORT_MAX_BYTES
                        largest file import-invoices reads (default
                        52428800: 50 MiB)
  ARREARS_JURISDICTION  whose law a case opened without --jurisdiction is
                        under (default england-wales)
  ARREARS_ACTOR         who records events (default: the OS user name)
  ARREARS_TODAY         fix today to YYYY-MM-DD at 09:00 UTC (tests, demos)
  ARREARS_POLICY_DIR    escalation policies: <creditor>.toml, default.toml
                        (default: the policy Arrears ships)
  ARREARS_SIGNING_KEY   the Ed25519 key file that signs evidence bundles
                        (default var/signing-key.pem, made on first use)
  ARREARS_BLOB_DIR      where attachments' bytes are kept (default var/blobs)
  ARREARS_ATTACHMENT_MAX_BYTES
                        largest attachment, in bytes (default 20971520: 20 MiB)
  ARREARS_ATTACHMENT_TYPES
                        types that may be attached, read from the content
                        (default pdf,png,jpeg,txt,eml,docx,xlsx,odt)
  ARREARS_KEY_DIR       where the signing key lives (default: beside the
                        SQLite file, else var/)
  ARREARS_TSA_URL       RFC 3161 time-stamping authority for checkpoints
  ARREARS_LETTER_DIR    where letters' PDFs are kept (default var/letters)
  ARREARS_CREDITOR_ADDRESS
                        the creditor's address on letters, lines split by |
  ARREARS_PAYMENT_DETAILS
                        how to pay, on letters, lines split by |
  ARREARS_LOG_LEVEL     JSON log lines on stderr at this level (debug, info,
                        warning, error, critical; the web app: default info)
  ARREARS_DB_CONNECT_TIMEOUT
                        seconds to wait for a database connection (SQLite:
                        for another writer's lock) (default 5)
  ARREARS_DB_STATEMENT_TIMEOUT
                        seconds one statement may run (default 10)

\b
Exit codes: 0 done; 1 refused by a collection rule; 2 invalid input
(usage, malformed date or number, negative amount, unknown case);
3 the read models are stuck at an event they cannot apply
(projections rebuild, project: everything before it is applied);
4 the evidence does not hold (a case's chain breaks: it is not
loaded; verify found a break; verify-bundle: a bundle does not
verify); 5 a case's history predates the chain and is not sealed
(arrears chain init); 6 the database cannot be used now (unreachable,
timed out, locked, read-only or full); 10 the store is not one the command
works on (import into a non-empty store, backup of a store that is not
SQLite); 11 doctor warns; 12 doctor found a failure.
Errors are one line on stderr, "error: OPTION: reason"; with --json also
{{"errors": {{OPTION: [reason]}}}} on stdout. Nothing is stored on error."""


def os_user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown"


# -- shared by every command ------------------------------------------------------------------

def case_argument() -> click.Argument:
    return click.Argument(["case"], metavar="CASE")


def json_option() -> click.Option:
    return click.Option(["--json", "as_json"], is_flag=True,
                        help="Print JSON on stdout (errors too) instead of text.")


def creditor_option() -> click.Option:
    return click.Option(["--creditor"], envvar="ARREARS_CREDITOR", default=DEFAULT_CREDITOR,
                        show_default=True, show_envvar=True,
                        help="The creditor whose invoice numbers name cases.")


def actor_option() -> click.Option:
    return click.Option(["--actor"], envvar="ARREARS_ACTOR", default=os_user,
                        type=TextOf("actor", required=True),
                        show_default="the OS user name", show_envvar=True,
                        help="Who records the event.")


def on_option(help: str = "When it happened; default today.") -> click.Option:
    return click.Option(["--on", "occurred_on"], type=ISO_DATE, help=help)


def reading_params() -> list[click.Parameter]:
    """CASE, --creditor and --json: what naming and reading a case takes."""
    return [case_argument(), creditor_option(), json_option()]


def recording_params(on_help: str | None = None) -> list[click.Parameter]:
    """--actor, --on, --creditor and --json: what every recorded command takes."""
    on = on_option(on_help) if on_help else on_option()
    return [actor_option(), on, creditor_option(), json_option()]


# -- factories for a command's own options ----------------------------------------------------

def amount(help: str, required: bool = True, name: str = "--amount") -> Callable[[F], F]:
    return click.option(name, type=AMOUNT, required=required,
                        help=f"{help} A number in the case's currency, e.g. 1,200.50.")


def day(name: str, dest: str, help: str, required: bool = True) -> Callable[[F], F]:
    return click.option(name, dest, type=ISO_DATE, required=required, help=help)


def text(name: str, help: str, required: bool = False,
         field: str | None = None) -> Callable[[F], F]:
    """A text option, within the limit of its field (`domain.limits`; default: its name)."""
    kind = TextOf(field or name.removeprefix("--").replace("-", "_"), required)
    if required:
        return click.option(name, type=kind, required=True, help=help)
    return click.option(name, type=kind, default="", help=help)


def vocabulary(name: str, words_of: type[StrEnum], help: str,
               default: str | None = None) -> Callable[[F], F]:
    if default is None:
        return click.option(name, type=words(words_of), required=True, help=help)
    return click.option(name, type=words(words_of), default=default, show_default=True,
                        help=help)


def optional_word(name: str, words_of: type[StrEnum], help: str) -> Callable[[F], F]:
    """A vocabulary word that may be left out (None)."""
    return click.option(name, type=words(words_of), default=None, help=help)
