"""One log line per command through `CaseService.handle` (logger `arrears.command`).

    {"message": "command", "case_id": ..., "command": "RecordPayment", "actor": "priya.shah",
     "outcome": "accepted" | "repeated" | "refused" | "conflict" | "error",
     "duration_ms": 12.3, "error": "RuleBroken", "field": "amount"}

No debtor's data: the case id names the case; a refusal is named by its error's class and
field, never its message.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar
from uuid import UUID

from application.commands import OpenCase, Recorded
from application.errors import ConcurrentWrite
from application.logs import fields
from domain.case import case_id_for
from domain.errors import DomainError

log = logging.getLogger("arrears.command")
F = TypeVar("F", bound=Callable[..., Recorded])


def logged(handle: F) -> F:
    """Wrap `CaseService.handle`: time it, log its outcome."""

    @functools.wraps(handle)
    def wrapper(service: Any, command: Any, *args: Any, **kwargs: Any) -> Recorded:
        started = time.perf_counter()
        outcome: Recorded | BaseException | None = None
        try:
            outcome = handle(service, command, *args, **kwargs)
            return outcome
        except Exception as failed:
            outcome = failed
            raise
        finally:
            log_outcome(service, command, outcome, started)

    return wrapper  # type: ignore[return-value]


def log_outcome(service: Any, command: Any, outcome: Recorded | BaseException | None,
                started: float) -> None:
    """The command's line: its Recorded or the error refusing it (`handle_many` logs each)."""
    if not log.isEnabledFor(logging.INFO):
        return
    recorded = outcome if isinstance(outcome, Recorded) else None
    error = None if recorded is not None else outcome
    if recorded is not None:
        word = "repeated" if recorded.repeated else "accepted"
    elif isinstance(error, ConcurrentWrite):
        word = "conflict"
    else:
        word = "refused" if isinstance(error, DomainError) else "error"
    log.info("command", extra=fields(
        case_id=_case_id(service, command, recorded), command=type(command).__name__,
        actor=getattr(command, "actor", None), outcome=word,
        duration_ms=round((time.perf_counter() - started) * 1000, 1), **_error(error)))


def _case_id(service: Any, command: Any, recorded: Recorded | None) -> str | None:
    if recorded is not None:
        return str(recorded.case_id)
    if isinstance(getattr(command, "case_id", None), UUID):
        return str(command.case_id)
    if isinstance(command, OpenCase):
        return str(case_id_for(command.creditor or service.default_creditor,
                               command.invoice_number))
    return None


def _error(error: BaseException | None) -> dict[str, Any]:
    if error is None:
        return {}
    field = getattr(error, "field", None)
    return {"error": type(error).__name__, **({"field": field} if field else {})}
