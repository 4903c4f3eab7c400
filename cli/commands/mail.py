"""Reminder emails: send one now, list the reminders an interrupted run left, resolve one."""

from __future__ import annotations

import click

from application.mail import (
    Mailer,
    ReminderLevel,
    Resolution,
    SentReminder,
    advice,
    level_for,
    mailer_from_env,
    pending_reminders,
    resolve,
    send_reminder,
)
from cli import output
from cli.casecommand import command
from cli.failures import Failure
from cli.options import actor_option, case_argument, creditor_option, json_option, text
from cli.params import words
from cli.runtime import runtime, service

SENDING = """\b
Mail settings:
  ARREARS_SMTP_HOST      the SMTP server; unset: each message is written to
                         var/outbox/ as an .eml file, and the command says so
  ARREARS_SMTP_PORT      default 25 (none), 587 (starttls), 465 (tls)
  ARREARS_SMTP_USER      sign in as this user (needs starttls or tls)
  ARREARS_SMTP_PASSWORD  the user's password
  ARREARS_SMTP_TLS       none | starttls | tls (default starttls)
  ARREARS_MAIL_FROM      the From address (required with a host)
  ARREARS_OUTBOX_DIR     the outbox with no host (default var/outbox)

\b
Exit codes: 0 sent, or already sent today; 1 refused (the case, the level
or an unresolved earlier reminder), or the mail server could not take it
(nothing recorded); 2 invalid input or settings. `arrears --help` gives
ARREARS_DATABASE_URL, ARREARS_CREDITOR, ARREARS_ACTOR and ARREARS_TODAY."""


def mailer() -> Mailer:
    return mailer_from_env(dict(runtime().environ))


def report(sent: SentReminder, as_json: bool) -> None:
    if as_json:
        output.emit_json({"case_id": str(sent.case_id), "version": sent.version,
                          "key": sent.key, "level": sent.level, "outcome": sent.outcome.value,
                          "message_id": sent.message_id, "recipient": sent.recipient,
                          "delivered": sent.delivered})
    else:
        click.echo(sent.said)


def send_now(case: str, level: ReminderLevel | None, recipient: str, actor: str,
             creditor: str, as_json: bool) -> None:
    """Send a reminder email for CASE now, and record it.

    The email (plain text and HTML) states the account and how to pay. --level
    defaults to before_due, on_due or after_due from the due date; firm and final
    give 7 days to pay. One reminder per case, level and day: sent again the same
    day, it is not sent twice. If a run was interrupted while sending, the case
    gets no new reminder until `arrears reminders resolve` settles that one.
    """
    svc = service()
    case_id = svc.resolve(case, creditor)
    today = svc.clock.today()
    chosen = level or level_for(svc.load(case_id).due_date, today)
    report(send_reminder(svc, mailer(), case_id, chosen, actor, today, recipient=recipient),
           as_json)


def list_pending(as_json: bool) -> None:
    """List reminders begun but not recorded.

    A run interrupted between the mail server and the record leaves one: `sending`
    (it may or may not have gone: check, then resolve it) or `sent` (it went; resolve
    --sent records it). None is ever sent again by itself.
    """
    rows = pending_reminders(service())
    if as_json:
        output.emit_json([{"key": r.key, "case_id": str(r.case_id),
                           "invoice_number": r.invoice_number, "level": r.level,
                           "day": r.day.isoformat(), "state": r.state.value,
                           "message_id": r.message_id, "recipient": r.recipient,
                           "advice": advice(r)} for r in rows])
    elif not rows:
        click.echo("No reminder is waiting to be resolved.")
    for row in [] if as_json else rows:
        click.echo(f"{row.key}  {row.state}\n  {advice(row)}")


def resolve_one(key: str, resolution: str | None, actor: str, as_json: bool) -> None:
    """Resolve a reminder `reminders pending` lists, by KEY, as you have checked.

    --sent: it went; record it, send nothing. --resend: it did not go, or cannot be
    known; send the very same message (same Message-ID), then record it. --drop: record
    no reminder; a note on the case says so.
    """
    if resolution is None:
        raise Failure("--sent", "give one of --sent, --resend or --drop")
    sent = resolve(service(), mailer(), key, Resolution(resolution), actor)
    if sent is not None:
        report(sent, as_json)
    elif as_json:
        output.emit_json({"key": key, "outcome": "dropped"})
    else:
        click.echo(f"Dropped {key}: no reminder recorded; a note on the case says so.")


def _how(flag: str, help: str) -> click.Option:
    return click.Option([f"--{flag}", "resolution"], flag_value=flag, help=help)


send = command(
    "send-reminder", click.option("--level", type=words(ReminderLevel), default=None,
                                  help="How firm: before_due, on_due, after_due, firm or "
                                       "final; default from the due date.")(
        text("--recipient", "Address to send to; default the debtor's email.")(send_now)),
    send_now, before=[case_argument()], after=[actor_option(), creditor_option(),
                                               json_option()])
send.epilog = SENDING
pending = command("pending", list_pending, list_pending, after=[json_option()])
settle = command("resolve", resolve_one, resolve_one,
                 before=[click.Argument(["key"], metavar="KEY")],
                 after=[_how("sent", "It went: record it."),
                        _how("resend", "Send the same message again, then record it."),
                        _how("drop", "Record no reminder."), actor_option(), json_option()])
reminders = click.Group("reminders", help="Reminders an interrupted run left unresolved.",
                        commands=[pending, settle])

COMMANDS = [send, reminders]
