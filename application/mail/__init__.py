"""Reminders by email (and the SMS port): templates, the Mailer port and its adapters, and
sending at least once, never twice by itself (docs/adr/0021-reminder-email.md).

The composition root builds the adapters with `mailer_from_env` and `sms_from_env`; the web
page, the CLI and the schedule send with `send_reminder`.
"""

from __future__ import annotations

import os
import ssl
from collections.abc import Mapping

from application.mail.errors import MailInDoubt, MailNotSent, ReminderPending
from application.mail.levels import ReminderLevel, level_for
from application.mail.outbox import FileOutbox, FileSmsOutbox
from application.mail.ports import Delivery, Mailer, Outgoing, SmsTransport, TextMessage
from application.mail.resolving import Resolution, advice, pending_reminders, resolve
from application.mail.sending import SendOutcome, SentReminder, dispatch, send_reminder
from application.mail.settings import MailSettings, mail_settings, outbox_dir
from application.mail.smtp import SmtpMailer


def mailer_for(settings: MailSettings, ssl_context: ssl.SSLContext | None = None) -> Mailer:
    """SMTP when a host is set, otherwise the file outbox."""
    if settings.smtp is None:
        return FileOutbox(settings.outbox, settings.sender, settings.domain)
    return SmtpMailer(settings.smtp, sender=settings.sender, domain=settings.domain,
                      ssl_context=ssl_context)


def mailer_from_env(environ: Mapping[str, str] | None = None) -> Mailer:
    """The Mailer the ARREARS_SMTP_* and ARREARS_MAIL_FROM settings describe."""
    return mailer_for(mail_settings(os.environ if environ is None else environ))


def sms_from_env(environ: Mapping[str, str] | None = None) -> SmsTransport:
    """The SMS transport: files under the outbox's sms/ (ARREARS_OUTBOX_DIR, else
    var/outbox); no provider is configurable yet."""
    env = os.environ if environ is None else environ
    return FileSmsOutbox(outbox_dir(env) / "sms")


__all__ = [
    "Delivery", "FileOutbox", "FileSmsOutbox", "MailInDoubt", "MailNotSent", "MailSettings",
    "Mailer", "Outgoing", "ReminderLevel", "ReminderPending", "Resolution", "SendOutcome",
    "SentReminder", "SmsTransport", "SmtpMailer", "TextMessage", "advice", "dispatch",
    "level_for",
    "mail_settings", "mailer_for", "mailer_from_env", "pending_reminders", "resolve",
    "send_reminder", "sms_from_env",
]
