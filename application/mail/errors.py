"""What sending mail can fail with. Each is a DomainError: the CLI and the web report it in
one line naming the setting or the reminder, like any refused command."""

from __future__ import annotations

from domain.errors import DomainError, RuleBroken


class MailNotSent(DomainError):
    """The message certainly did not leave: the server was unreachable, refused the sender,
    the recipient or the message. Nothing was recorded; sending again is safe."""


class MailInDoubt(DomainError):
    """The connection failed while the server had the message: it may have been delivered.
    It is left for a person to confirm (`arrears reminders resolve`), never sent again by
    itself."""


class ReminderPending(RuleBroken):
    """An earlier reminder of the case is unresolved (in doubt, or sent but not recorded);
    no new one is sent until a person resolves it."""
