"""Mail settings, from the environment, checked in one place (each error names its setting).

ARREARS_SMTP_HOST      the SMTP server; unset: mail is written to files under var/outbox/
ARREARS_SMTP_PORT      default 25 (none), 587 (starttls), 465 (tls)
ARREARS_SMTP_USER      sign in as this user (needs starttls or tls)
ARREARS_SMTP_PASSWORD  the user's password
ARREARS_SMTP_TLS       none | starttls | tls (default starttls)
ARREARS_MAIL_FROM      the From address, e.g. "Accounts <accounts@example.com>"
ARREARS_OUTBOX_DIR     where mail (and SMS, under sms/) is written with no SMTP host set;
                       default var/outbox
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.utils import parseaddr
from enum import StrEnum
from pathlib import Path

from email_validator import EmailNotValidError, validate_email

from application.mail.message import MAX_DOMAIN_LENGTH
from application.settings import SettingsError


class TlsMode(StrEnum):
    NONE = "none"  # plain SMTP (a relay on the same host or network)
    STARTTLS = "starttls"  # plain connection upgraded to TLS before anything is sent
    TLS = "tls"  # TLS from the first byte ("SMTPS", implicit TLS)


DEFAULT_PORTS = {TlsMode.NONE: 25, TlsMode.STARTTLS: 587, TlsMode.TLS: 465}
CONNECT_TIMEOUT = 10.0  # seconds to connect and get the server's greeting
SEND_TIMEOUT = 30.0  # seconds for each later exchange with the server
OUTBOX = Path("var/outbox")
OUTBOX_SENDER = "arrears@localhost"  # From in the outbox when ARREARS_MAIL_FROM is unset


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    tls: TlsMode = TlsMode.STARTTLS
    user: str = ""
    password: str = field(default="", repr=False)
    connect_timeout: float = CONNECT_TIMEOUT
    send_timeout: float = SEND_TIMEOUT


@dataclass(frozen=True)
class MailSettings:
    """Who mail is from, and how it goes: SMTP, or (no host) files in `outbox`."""

    sender: str = OUTBOX_SENDER
    domain: str = "localhost"  # the sender's (ASCII) domain: the right side of a Message-ID
    smtp: SmtpSettings | None = None
    outbox: Path = OUTBOX


def mail_settings(environ: Mapping[str, str] | None = None) -> MailSettings:
    env = os.environ if environ is None else environ
    host = env.get("ARREARS_SMTP_HOST", "").strip()
    sender = env.get("ARREARS_MAIL_FROM", "").strip()
    outbox = outbox_dir(env)
    if not host:
        return (MailSettings(*check_sender(sender), outbox=outbox) if sender
                else MailSettings(outbox=outbox))
    if not sender:
        raise SettingsError("ARREARS_MAIL_FROM: is required when ARREARS_SMTP_HOST is set")
    return MailSettings(*check_sender(sender), smtp=smtp_settings(host, env), outbox=outbox)


def outbox_dir(env: Mapping[str, str]) -> Path:
    """ARREARS_OUTBOX_DIR, else var/outbox."""
    return Path(env.get("ARREARS_OUTBOX_DIR", "").strip() or OUTBOX)


def smtp_settings(host: str, env: Mapping[str, str]) -> SmtpSettings:
    text = env.get("ARREARS_SMTP_TLS", "").strip().lower() or TlsMode.STARTTLS.value
    try:
        tls = TlsMode(text)
    except ValueError:
        raise SettingsError(f"ARREARS_SMTP_TLS: '{text}' is not one of: none, starttls, tls") \
            from None
    user = env.get("ARREARS_SMTP_USER", "").strip()
    password = env.get("ARREARS_SMTP_PASSWORD", "")
    if user and tls is TlsMode.NONE:
        raise SettingsError("ARREARS_SMTP_TLS: must be starttls or tls when ARREARS_SMTP_USER "
                            "is set (a password is never sent unencrypted)")
    if password and not user:
        raise SettingsError("ARREARS_SMTP_USER: is required when ARREARS_SMTP_PASSWORD is set")
    return SmtpSettings(host, check_port(env.get("ARREARS_SMTP_PORT", ""), tls), tls, user,
                        password)


def check_port(text: str, tls: TlsMode) -> int:
    if not text.strip():
        return DEFAULT_PORTS[tls]
    try:
        port = int(text.strip())
    except ValueError:
        port = 0
    if not 1 <= port <= 65535:
        raise SettingsError(f"ARREARS_SMTP_PORT: '{text}' is not a port (1 to 65535)")
    return port


def check_sender(text: str) -> tuple[str, str]:
    """The From address as given ("Name <address>" or a bare address), and its domain."""
    name, address = parseaddr(text)
    try:
        valid = validate_email(address, check_deliverability=False)
    except EmailNotValidError as error:
        raise SettingsError(f"ARREARS_MAIL_FROM: '{text}' is not an email address ({error})") \
            from None
    domain = (valid.ascii_domain or valid.domain).lower()
    if len(domain) > MAX_DOMAIN_LENGTH:
        raise SettingsError(f"ARREARS_MAIL_FROM: the domain must be at most "
                            f"{MAX_DOMAIN_LENGTH} characters (it names every Message-ID)")
    return str(Address(display_name=name, addr_spec=valid.normalized)), domain
