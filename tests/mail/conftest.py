"""A real SMTP server on loopback (aiosmtpd), whose arrivals the tests read.

`smtp_server` listens on 127.0.0.1 at a free port; `.messages` holds what arrived, parsed,
and `.envelopes` the envelopes. `Behaviour` makes it refuse a recipient or stall after the
message. `tls_files` makes a self-signed certificate for 127.0.0.1 with openssl.
"""

from __future__ import annotations

import asyncio
import shutil
import socket
import ssl
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from application.mail import MailSettings, mailer_for
from application.mail.settings import SmtpSettings, TlsMode

LOOPBACK = "127.0.0.1"
SENDER = "Accounts <accounts@creditor.example>"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        return probe.getsockname()[1]


@dataclass
class Behaviour:
    refuse_recipient: bool = False
    stall_after_data: float = 0.0  # seconds to wait before answering the message


@dataclass
class Sink:
    """The server's handler: keeps every message it accepts."""

    behaviour: Behaviour = field(default_factory=Behaviour)
    envelopes: list[Any] = field(default_factory=list)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if self.behaviour.refuse_recipient:
            return "550 5.1.1 no such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        if self.behaviour.stall_after_data:
            await asyncio.sleep(self.behaviour.stall_after_data)
        self.envelopes.append(envelope)
        return f"250 2.0.0 queued as {len(self.envelopes)}"

    @property
    def messages(self) -> list[EmailMessage]:
        return [message_from_bytes(e.original_content, policy=policy.default)  # type: ignore
                for e in self.envelopes]


@dataclass
class Server:
    controller: Controller
    sink: Sink

    @property
    def port(self) -> int:
        return self.controller.port

    @property
    def messages(self) -> list[EmailMessage]:
        return self.sink.messages

    def settings(self, **options: Any) -> SmtpSettings:
        return SmtpSettings(LOOPBACK, self.port, **{"tls": TlsMode.NONE, **options})

    def mailer(self, ssl_context: ssl.SSLContext | None = None, **options: Any) -> Any:
        return mailer_for(MailSettings(SENDER, "creditor.example", self.settings(**options)),
                          ssl_context)


class CrashAfterSending:
    """A mailer that sends, then dies before Arrears hears back (the process killed)."""

    def __init__(self, inner):
        self.inner, self.sender, self.domain = inner, inner.sender, inner.domain

    def send(self, message):
        self.inner.send(message)
        raise RuntimeError("the process died after the SMTP server took the message")


def mailer_at(port: int, **options: Any) -> Any:
    """A mailer for a port on 127.0.0.1 where no test server may be (plain SMTP)."""
    return mailer_for(MailSettings(SENDER, "creditor.example",
                                   SmtpSettings(LOOPBACK, port, TlsMode.NONE, **options)))


def start(sink: Sink, **options: Any) -> Controller:
    controller = Controller(sink, hostname=LOOPBACK, port=free_port(), **options)
    controller.start()
    return controller


@pytest.fixture
def smtp_server() -> Iterator[Server]:
    """A plain SMTP server on 127.0.0.1 that accepts everything."""
    sink = Sink()
    controller = start(sink)
    yield Server(controller, sink)
    controller.stop()


@pytest.fixture
def tls_files(tmp_path: Path) -> tuple[Path, Path]:
    """A self-signed certificate and key for 127.0.0.1 (skipped without openssl)."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed: no certificate for the TLS tests")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", f"/CN={LOOPBACK}", "-addext", f"subjectAltName=IP:{LOOPBACK}",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    return cert, key


def accept_only(user: str, password: str):  # noqa: ANN201
    def authenticate(server, session, envelope, mechanism, auth_data):  # noqa: ANN001
        ok = (isinstance(auth_data, LoginPassword) and auth_data.login == user.encode()
              and auth_data.password == password.encode())
        return AuthResult(success=ok, handled=False)  # aiosmtpd answers 535 when refused
    return authenticate


def server_context(tls_files: tuple[Path, Path]) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*tls_files)
    return context


@pytest.fixture
def tls_server(tls_files: tuple[Path, Path]) -> Iterator[tuple[Server, ssl.SSLContext]]:
    """An SMTP server speaking TLS from the first byte (implicit TLS, "SMTPS")."""
    sink = Sink()
    controller = start(sink, ssl_context=server_context(tls_files))
    yield Server(controller, sink), ssl.create_default_context(cafile=str(tls_files[0]))
    controller.stop()


@pytest.fixture
def starttls_server(tls_files: tuple[Path, Path]) -> Iterator[tuple[Server, ssl.SSLContext]]:
    """An SMTP server that requires STARTTLS, then a sign-in as ann / s3cret."""
    sink = Sink()
    controller = start(sink, tls_context=server_context(tls_files), require_starttls=True,
                       authenticator=accept_only("ann", "s3cret"), auth_required=True)
    yield Server(controller, sink), ssl.create_default_context(cafile=str(tls_files[0]))
    controller.stop()
