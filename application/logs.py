"""Structured logs: one JSON object a line on stderr, the level from ARREARS_LOG_LEVEL.

Two loggers carry the operator's lines: `arrears.command` (one line per command through
`CaseService.handle`: case id, command, actor, outcome, duration) and `arrears.request`
(one per web request: method, route template, status, duration, user). Neither holds
anything about a debtor beyond the case id: no names, addresses, amounts or message texts
(a refusal is logged by its error class and field, not its message). The application's
own module loggers (`application.*`, `web.*`) write through the same handler, and only
there: they do not propagate to the root logger (which waitress gives a plain handler).
"""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, TextIO

from application.settings import SettingsError

LOGGERS = ("arrears", "application", "web")
LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
FIELDS = "fields"  # the `extra` key whose dict is merged into the line


class JsonFormatter(logging.Formatter):
    """time, level, logger, message, then the record's fields; an exception as text."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(), "logger": record.name,
            "message": record.getMessage()}
        line.update(getattr(record, FIELDS, None) or {})
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str, ensure_ascii=False)


def log_level(environ: Mapping[str, str] | None = None, default: str = "INFO") -> int:
    env = os.environ if environ is None else environ
    word = (env.get("ARREARS_LOG_LEVEL") or default).strip().upper()
    if word not in LEVELS:
        raise SettingsError(f"ARREARS_LOG_LEVEL: '{word.lower()}' is not one of: "
                            + ", ".join(level.lower() for level in LEVELS))
    return logging.getLevelName(word)


def configure_logging(environ: Mapping[str, str] | None = None, default: str = "INFO",
                      stream: TextIO | None = None) -> None:
    """JSON lines on stderr for the app's loggers (again: replaces the handler it added)."""
    level = log_level(environ, default)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter())
    handler.arrears = True  # type: ignore[attr-defined]  # ours, to replace next time
    for name in LOGGERS:
        logger = logging.getLogger(name)
        for old in [h for h in logger.handlers if getattr(h, "arrears", False)]:
            logger.removeHandler(old)
        logger.addHandler(handler)
        logger.setLevel(level)
        logger.propagate = False  # a root handler (waitress adds one) would print it again


def reset_logging() -> None:
    """Remove the handler `configure_logging` added and the levels it set (tests)."""
    for name in LOGGERS:
        logger = logging.getLogger(name)
        for old in [h for h in logger.handlers if getattr(h, "arrears", False)]:
            logger.removeHandler(old)
        logger.setLevel(logging.NOTSET)
        logger.propagate = True


def fields(**values: Any) -> dict[str, Any]:
    """The `extra` of a structured line: `log.info("command", extra=fields(...))`."""
    return {FIELDS: values}
