"""The machine around the store: disk space under var/, and the SMTP server (when set)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from pathlib import Path

from application.doctor.checks import Check, fail, ok, warn
from application.mail.errors import MailNotSent
from application.mail.settings import mail_settings
from application.mail.smtp import SmtpMailer
from application.settings import SettingsError

GIB = 1024 ** 3
WARN_FREE, FAIL_FREE = 1 * GIB, GIB // 10  # bytes free
WARN_SHARE, FAIL_SHARE = 0.10, 0.02  # share of the disk free


def var_dir(sqlite: Path | None) -> Path:
    """Where the installation's files live: beside the SQLite file, else `var/`."""
    return sqlite.parent if sqlite is not None else Path("var")


def disk(directory: Path) -> Check:
    """Free space on the disk holding the directory, and whether it can be written."""
    existing = next((p for p in (directory, *directory.resolve().parents) if p.exists()),
                    Path("."))
    usage = shutil.disk_usage(existing)
    share = usage.free / usage.total if usage.total else 0.0
    details = {"path": str(directory), "free_bytes": usage.free, "total_bytes": usage.total,
               "writable": os.access(existing, os.W_OK)}
    text = f"{usage.free / GIB:.1f} GiB free of {usage.total / GIB:.1f} GiB ({share:.0%}) " \
           f"under {directory}"
    if not details["writable"]:
        return fail("disk", f"{existing} cannot be written", "give the app's user write access "
                    "(events, read models, attachments and the outbox live there)", **details)
    if usage.free < FAIL_FREE or share < FAIL_SHARE:
        return fail("disk", text, "free space now: a full disk stops every write", **details)
    if usage.free < WARN_FREE or share < WARN_SHARE:
        return warn("disk", text, "free some space or grow the disk soon", **details)
    return ok("disk", text, **details)


def smtp(environ: Mapping[str, str]) -> Check:
    """The SMTP server answers, secures the connection and takes the sign-in (when set)."""
    try:
        settings = mail_settings(environ)
    except SettingsError as error:
        return fail("smtp", str(error), "fix the setting (README, Sending mail)")
    if settings.smtp is None:
        return ok("smtp", f"not configured: mail is written to {settings.outbox}/",
                  configured=False)
    mailer = SmtpMailer(settings.smtp, sender=settings.sender, domain=settings.domain)
    try:
        with mailer._session():  # connect, TLS, sign in; then QUIT
            pass
    except MailNotSent as error:
        return fail("smtp", error.message, "check ARREARS_SMTP_HOST, ARREARS_SMTP_PORT, "
                    "ARREARS_SMTP_TLS and the credentials; until it answers, reminders are "
                    "not sent", configured=True, server=mailer.server)
    return ok("smtp", f"{mailer.server} answers ({settings.smtp.tls.value})", configured=True,
              server=mailer.server)
