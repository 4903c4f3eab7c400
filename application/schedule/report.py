"""What a schedule run did (or a preview would do): per step, paused, tasks, errors."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from application.schedule.policy import Step
from domain.case import DebtCase
from domain.errors import DomainError


@dataclass(frozen=True)
class Action:
    """One step taken (or to be taken) on one case."""

    case_id: str
    invoice_number: str
    creditor: str
    step: str
    kind: str
    mode: str
    description: str
    skipped: tuple[str, ...] = ()
    note: str = ""
    repeated: bool = False  # taken already today: nothing new was stored

    @classmethod
    def of(cls, case: DebtCase, step: Step, skipped: tuple[str, ...], description: str,
           note: str) -> Action:
        return cls(str(case.id), case.invoice_number, case.creditor, step.name,
                   step.kind.value, step.mode.value, description, skipped, note)

    def again(self) -> Action:
        return replace(self, repeated=True)

    def as_json(self) -> dict[str, Any]:
        return {"case_id": self.case_id, "invoice_number": self.invoice_number,
                "creditor": self.creditor, "step": self.step, "kind": self.kind,
                "mode": self.mode, "description": self.description,
                "skipped": list(self.skipped), "note": self.note, "repeated": self.repeated}


@dataclass(frozen=True)
class Failure:
    case_id: str
    invoice_number: str
    step: str
    error: str

    def as_json(self) -> dict[str, str]:
        return {"case_id": self.case_id, "invoice_number": self.invoice_number,
                "step": self.step, "error": self.error}


@dataclass
class RunReport:
    today: date
    recorded: bool  # a run (True) or a preview (False)
    cases: int = 0  # open cases the schedule works, looked at
    actions: list[Action] = field(default_factory=list)
    paused: Counter[str] = field(default_factory=Counter)
    errors: list[Failure] = field(default_factory=list)

    def add(self, action: Action) -> None:
        self.actions.append(action)

    def failed(self, case: DebtCase, step: str, error: DomainError | Exception) -> None:
        """A step refused for a case: its message (a domain error's as 'field: message')."""
        self.errors.append(Failure(str(case.id), case.invoice_number, step, str(error)))

    @property
    def taken(self) -> list[Action]:
        """The steps this run stored (or a preview would store): not those repeated."""
        return [a for a in self.actions if not a.repeated]

    @property
    def steps(self) -> Counter[str]:
        return Counter(a.step for a in self.taken)

    @property
    def tasks(self) -> int:
        return sum(1 for a in self.taken if a.mode == "task")

    @property
    def repeated(self) -> int:
        return sum(1 for a in self.actions if a.repeated)

    def as_json(self) -> dict[str, Any]:
        return {"today": self.today.isoformat(), "recorded": self.recorded,
                "cases": self.cases, "steps": dict(sorted(self.steps.items())),
                "tasks_created": self.tasks, "paused": dict(sorted(self.paused.items())),
                "repeated": self.repeated, "errors": [e.as_json() for e in self.errors],
                "actions": [a.as_json() for a in self.actions]}
