"""What a check finds: a level, one line saying what, one saying what to do, and details."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Level(StrEnum):
    OK = "ok"
    WARN = "warn"
    FAIL = "fail"


RANK = {Level.OK: 0, Level.WARN: 1, Level.FAIL: 2}


@dataclass(frozen=True)
class Check:
    name: str
    level: Level
    summary: str
    advice: str = ""
    details: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "status": self.level.value, "summary": self.summary,
                "advice": self.advice, "details": self.details}


def ok(name: str, summary: str, **details: Any) -> Check:
    return Check(name, Level.OK, summary, "", details)


def warn(name: str, summary: str, advice: str, **details: Any) -> Check:
    return Check(name, Level.WARN, summary, advice, details)


def fail(name: str, summary: str, advice: str, **details: Any) -> Check:
    return Check(name, Level.FAIL, summary, advice, details)


def worst(checks: list[Check]) -> Level:
    return max((c.level for c in checks), key=RANK.__getitem__, default=Level.OK)
