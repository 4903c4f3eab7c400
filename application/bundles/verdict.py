"""What checking a bundle found: each problem names a file, and the event if one."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

MAX_PROBLEMS = 1000  # a bundle changed throughout is named by its first thousand problems


@dataclass(frozen=True)
class Problem:
    """One thing that does not match: the file, and the event (its version) if one."""

    file: str
    problem: str
    event: int | None = None

    def line(self) -> str:
        where = self.file if self.event is None else f"{self.file}: event {self.event}"
        return f"{where}: {self.problem}"


@dataclass
class Verdict:
    """What the check found: no problem means the bundle is as it was signed."""

    bundle: str
    problems: list[Problem] = field(default_factory=list)
    manifest: dict[str, Any] | None = None
    signed_by: str = ""

    @property
    def verified(self) -> bool:
        return not self.problems

    def add(self, file: str, problem: str, event: int | None = None) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(file, problem, event))

    def as_dict(self) -> dict[str, Any]:
        manifest = self.manifest or {}
        return {"bundle": self.bundle, "verified": self.verified,
                "case": manifest.get("case"), "chain": manifest.get("chain"),
                "checkpoint": manifest.get("checkpoint"),
                "created_at": manifest.get("created_at"), "signed_by": self.signed_by,
                "files": len(manifest.get("files") or {}),
                "problems": [{"file": p.file, "event": p.event, "problem": p.problem}
                             for p in self.problems]}
