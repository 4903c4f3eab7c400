"""Tasks: steps of the escalation schedule that a person takes (a call, a referral to consider).

A task names the commands that do it (`TaskAction`, the words of the case's commands and
of their forms); recording one of their events on the case marks the task done
(`domain.schedule`). Its `prefill` is what the form opens with, decided when it was set.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from domain.errors import InvalidValue

STEP_NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,39}")
STEP_NAME_RULE = ("must be 1 to 40 characters of lower-case letters, digits and '-', "
                  "starting with a letter or digit")


class TaskAction(StrEnum):
    """What a person does for a task: the case command that does it (and its form)."""

    SEND_REMINDER = "send_reminder"
    LOG_CALL = "log_call"
    APPLY_PENALTY = "apply_penalty"
    ISSUE_DEMAND = "issue_demand"
    REFER_TO_MEDIATION = "refer_to_mediation"
    ASSIGN_AGENCY = "assign_agency"
    REFER_TO_COUNSEL = "refer_to_counsel"
    FILE_BANKRUPTCY_CLAIM = "file_bankruptcy_claim"
    RECORD_PAYMENT = "record_payment"  # e.g. an import's "confirm payment" task


@dataclass(frozen=True)
class Task:
    """A step for a person: what to do by when, and how it ended (`done_on`, `done_by`)."""

    step: str
    what: str
    due_on: date
    actions: tuple[str, ...]
    created_on: date
    prefill: dict[str, str] = field(default_factory=dict)
    done_on: date | None = None
    done_by: str = ""  # the event that did it; '' when a person marked it done

    @property
    def is_open(self) -> bool:
        return self.done_on is None


def check_step_name(value: str, field_name: str = "step") -> str:
    """A policy step's name, as it appears in idempotency keys and on the case."""
    if not isinstance(value, str) or not STEP_NAME.fullmatch(value):
        raise InvalidValue(f"'{str(value)[:50]}' {STEP_NAME_RULE}", field_name)
    return value
