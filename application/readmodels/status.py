"""Where the read side stands: its position, the log's head, and the event it is stuck at.

The words people see ("views are behind: 1 event", "stuck at event #5 ...") are made here,
once, for the CLI, the pages and /healthz.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from eventsourcing.persistence import Notification
from sqlalchemy.exc import StatementError

from application.wording import plural

ERROR_LENGTH = 500


@dataclass(frozen=True)
class Fault:
    """The first event the projector could not apply, and why (the views stop before it)."""

    position: int
    case_id: str
    version: int
    event_type: str
    error: str

    @classmethod
    def of(cls, notification: Notification, error: BaseException) -> Fault:
        return cls(notification.id, str(notification.originator_id),
                   notification.originator_version, notification.topic.rpartition(":")[2][:200],
                   error_text(error))

    def describe(self) -> str:
        """`stuck at event #5 (CaseOpened of case ID, version 1): OverflowError: ...`"""
        return (f"stuck at event #{self.position} ({self.event_type} of case {self.case_id}, "
                f"version {self.version}): {self.error}")

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Status:
    projection: str
    position: int
    head: int
    fault: Fault | None = None

    @property
    def lag(self) -> int:
        return max(0, self.head - self.position)

    @property
    def behind(self) -> str:
        """`views are behind: 2 events` ('' when up to date)."""
        return behind(self.lag) if self.lag else ""

    @property
    def state(self) -> str:
        """`ok`, `behind` (events not yet applied) or `stuck` (at an event it cannot apply)."""
        return "stuck" if self.fault else "behind" if self.lag else "ok"

    def describe(self) -> str:
        """`views are behind: 2 events; stuck at event #5 (...)`, or '' when up to date."""
        if not self.lag:
            return ""
        return "; ".join([self.behind, *([self.fault.describe()] if self.fault else [])])

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.projection, "position": self.position, "head": self.head,
                "lag": self.lag, "fault": self.fault.as_dict() if self.fault else None}


def behind(lag: int) -> str:
    """`views are behind: 1 event` (`2 events`)."""
    return f"views are behind: {plural(lag, 'event')}"


def error_text(error: BaseException) -> str:
    """The error as one short line: the driver's own message, never the SQL or its data."""
    cause = error.orig if isinstance(error, StatementError) and error.orig else error
    message = " ".join(str(cause).replace("\x00", "\\x00").split())
    text = f"{type(cause).__name__}: {message}" if message else type(cause).__name__
    return text if len(text) <= ERROR_LENGTH else text[:ERROR_LENGTH - 3] + "..."
