"""The SMTP adapter (smtplib): connect, secure, sign in, then MAIL, RCPT and DATA.

Every wait is bounded: connecting and the greeting by `connect_timeout`, each later
exchange by `send_timeout`. A failure up to the end of RCPT, or a refusal of the message
with a reply code, means the message certainly did not leave (MailNotSent). A connection
lost while the server had the message may mean it was delivered: MailInDoubt, so that it is
confirmed by a person, never sent again by itself.
"""

from __future__ import annotations

import smtplib
import socket
import ssl
from collections.abc import Iterator
from contextlib import contextmanager, suppress

from application.mail.errors import MailInDoubt, MailNotSent
from application.mail.ports import Delivery, Outgoing
from application.mail.settings import SmtpSettings, TlsMode

NOTHING_DONE = "nothing was sent or recorded"


def reason(error: BaseException, timeout: float) -> str:
    """What went wrong, in a few words."""
    if isinstance(error, smtplib.SMTPServerDisconnected) and isinstance(
            error.__context__, OSError):  # smtplib's wrapping of a socket's error
        error = error.__context__
    if isinstance(error, smtplib.SMTPResponseException):
        text = error.smtp_error.decode(errors="replace") if isinstance(
            error.smtp_error, bytes) else str(error.smtp_error)
        return f"{error.smtp_code} {' '.join(text.split())}"
    if isinstance(error, TimeoutError | socket.timeout):
        return f"no answer within {timeout:g} seconds"
    if isinstance(error, ConnectionRefusedError):
        return "connection refused"
    return " ".join(str(error).split()) or type(error).__name__


class SmtpMailer:
    """The Mailer for ARREARS_SMTP_HOST; `ssl_context` defaults to the system's trust store."""

    def __init__(self, settings: SmtpSettings, *, sender: str, domain: str,
                 ssl_context: ssl.SSLContext | None = None) -> None:
        self.settings = settings
        self.sender = sender
        self.domain = domain
        self.ssl_context = ssl_context or ssl.create_default_context()

    @property
    def server(self) -> str:
        return f"{self.settings.host}:{self.settings.port}"

    def send(self, outgoing: Outgoing) -> Delivery:
        with self._session() as smtp:
            self._envelope(smtp, outgoing.sender, outgoing.recipients)
            code, reply = self._data(smtp, outgoing.data)
        answer = " ".join(reply.decode(errors="replace").split())
        return Delivery(f"smtp://{self.server}",
                        f"sent via SMTP to {self.server} ({code} {answer})")

    @contextmanager
    def _session(self) -> Iterator[smtplib.SMTP]:
        """A connected, secured and signed-in session, closed afterwards whatever happens."""
        smtp = self._open()
        try:
            yield smtp
            with suppress(OSError, smtplib.SMTPException):
                smtp.quit()
        finally:
            smtp.close()

    def _open(self) -> smtplib.SMTP:
        s = self.settings
        step, field = f"could not connect to {self.server}", "ARREARS_SMTP_HOST"
        timeout = s.connect_timeout
        smtp: smtplib.SMTP | None = None
        try:  # the host given to the constructor is the name TLS checks the certificate for
            smtp = (smtplib.SMTP_SSL(s.host, s.port, context=self.ssl_context,
                                     timeout=s.connect_timeout) if s.tls is TlsMode.TLS
                    else smtplib.SMTP(s.host, s.port, timeout=s.connect_timeout))
            if smtp.sock is not None:
                smtp.sock.settimeout(s.send_timeout)
            timeout = s.send_timeout
            smtp.ehlo()
            if s.tls is TlsMode.STARTTLS:
                step = f"{self.server} could not start TLS"
                smtp.starttls(context=self.ssl_context)
                smtp.ehlo()
            if s.user:
                step, field = f"{self.server} refused the sign-in", "ARREARS_SMTP_USER"
                smtp.login(s.user, s.password)
            return smtp
        except (OSError, smtplib.SMTPException) as error:
            if smtp is not None:
                smtp.close()
            raise MailNotSent(f"{step} ({reason(error, timeout)}); {NOTHING_DONE}",
                              field) from None

    def _envelope(self, smtp: smtplib.SMTP, sender: str, recipients: tuple[str, ...]) -> None:
        try:
            code, reply = smtp.mail(sender)
            if code != 250:
                raise MailNotSent(f"{self.server} refused the sender {sender} "
                                  f"({reason(smtplib.SMTPSenderRefused(code, reply, sender), 0)}"
                                  f"); {NOTHING_DONE}", "ARREARS_MAIL_FROM")
            for recipient in recipients:
                code, reply = smtp.rcpt(recipient)
                if code not in (250, 251):
                    error = smtplib.SMTPResponseException(code, reply)
                    raise MailNotSent(f"{self.server} refused the recipient {recipient} "
                                      f"({reason(error, 0)}); {NOTHING_DONE}", "recipient")
        except (OSError, smtplib.SMTPException) as error:
            raise MailNotSent(f"{self.server} failed before the message was sent "
                              f"({reason(error, self.settings.send_timeout)}); {NOTHING_DONE}",
                              "ARREARS_SMTP_HOST") from None

    def _data(self, smtp: smtplib.SMTP, data: bytes) -> tuple[int, bytes]:
        try:
            code, reply = smtp.data(data)
        except smtplib.SMTPDataError as error:  # refused with a reply code: not taken
            raise MailNotSent(f"{self.server} refused the message ({reason(error, 0)}); "
                              f"{NOTHING_DONE}", "smtp") from None
        except (OSError, smtplib.SMTPException) as error:
            raise MailInDoubt(f"the connection to {self.server} failed while it had the "
                              f"message ({reason(error, self.settings.send_timeout)}); it may "
                              "have been delivered", "smtp") from None
        if code != 250:
            error = smtplib.SMTPDataError(code, reply)
            raise MailNotSent(f"{self.server} refused the message ({reason(error, 0)}); "
                              f"{NOTHING_DONE}", "smtp")
        return code, reply
