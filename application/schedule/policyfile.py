"""Reading a policy file (TOML): every refusal names the file, the line and the key.

The format is in README.md, "The escalation schedule"; `default-policy.toml` is an example
with every key.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import fields
from enum import StrEnum
from pathlib import Path
from typing import Any, NoReturn, TypeVar

from application.schedule.lines import KeyLines
from application.schedule.policy import (
    MODES,
    Anchor,
    Mode,
    Pause,
    Policy,
    Referral,
    ReminderTemplate,
    Step,
    StepKind,
)
from application.settings import SettingsError
from domain.errors import DomainError
from domain.limits import check_characters
from domain.tasks import STEP_NAME, STEP_NAME_RULE
from domain.values import Channel

E = TypeVar("E", bound=StrEnum)

DAYS = (-365, 3650)  # the days a step may be counted from its anchor
TASK_DAYS = (0, 365)
DEADLINE_DAYS = (1, 365)
TOP_KEYS = ("name", "pause", "step")
PAUSE_KEYS = tuple(f.name for f in fields(Pause))
COMMON_KEYS = ("name", "kind", "day", "after", "mode", "catch_up")
TASK_KEYS = ("what", "within_days")
KIND_KEYS = {StepKind.REMINDER: ("channel", "template"), StepKind.CALL: (),
             StepKind.CLAIM_INTEREST: (), StepKind.DEMAND: ("deadline_days", "consequences"),
             StepKind.REFERRAL: ("refer_to",)}
SYNTAX_AT = re.compile(r"\s*\(at line (?P<line>\d+), column (?P<column>\d+)\)$")


class PolicyError(SettingsError):
    """A policy file Arrears cannot use: '<file>, line N: what is wrong'."""


def load_policy(path: Path) -> Policy:
    """The policy in a file; its name defaults to the file's name without `.toml`."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise PolicyError(f"{path}: cannot be read ({error})") from None
    return parse_policy(text, str(path), path.stem)


def parse_policy(text: str, source: str = "policy", default_name: str = "policy") -> Policy:
    """The policy a TOML text describes, or PolicyError naming the line of the first fault."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise _syntax_error(error, source, text) from None
    return _Reader(source, KeyLines(text)).policy(data, default_name)


def _syntax_error(error: tomllib.TOMLDecodeError, source: str, text: str) -> PolicyError:
    message = str(error)
    if found := SYNTAX_AT.search(message):
        where = f"line {found['line']}, column {found['column']}"
        return PolicyError(f"{source}, {where}: not valid TOML: {message[:found.start()]}")
    last = KeyLines(text).last_line
    message = message.replace(" (at end of document)", "")
    return PolicyError(f"{source}, line {last}: not valid TOML: {message} (at the end of the "
                       "file)")


class _Reader:
    """Turns parsed TOML into a Policy, failing at the first value it cannot use."""

    def __init__(self, source: str, lines: KeyLines) -> None:
        self.source = source
        self.lines = lines

    def fail(self, path: tuple[str | int, ...], message: str) -> NoReturn:
        line = self.lines.line(*path)
        where = f"{self.source}, line {line}" if line else self.source
        raise PolicyError(f"{where}: {message}")

    def policy(self, data: dict[str, Any], default_name: str) -> Policy:
        self.known_keys(data, TOP_KEYS, (), "the policy")
        name = self.text(data, ("name",), "the policy", limit="policy", default=default_name,
                         required=True)
        pause = self.pause(data.get("pause", {}))
        raw = data.get("step")
        if not isinstance(raw, list) or not raw or not all(isinstance(s, dict) for s in raw):
            self.fail(("step",), "a policy needs its steps, each a [[step]] table")
        steps = tuple(self.step(n, item) for n, item in enumerate(raw))
        self.check_order(steps)
        return Policy(name, steps, pause, self.source)

    def pause(self, data: Any) -> Pause:
        if not isinstance(data, dict):
            self.fail(("pause",), "pause must be a table: [pause]")
        self.known_keys(data, PAUSE_KEYS, ("pause",), "[pause]")
        for key, value in data.items():
            if not isinstance(value, bool):
                self.fail(("pause", key), f"pause.{key} must be true or false, got {value!r}")
        return Pause(**data)

    def step(self, n: int, data: dict[str, Any]) -> Step:
        path = ("step", n)
        name = data.get("name")
        if not isinstance(name, str) or not STEP_NAME.fullmatch(name):
            got = "nothing" if name is None else repr(name)
            self.fail((*path, "name"), f"step {n + 1}: name {STEP_NAME_RULE}, got {got}")
        label = f"step '{name}'"
        kind = self.word(data, (*path, "kind"), StepKind, label, required=True)
        mode = self.word(data, (*path, "mode"), Mode, label, default=MODES[kind][0])
        if mode not in MODES[kind]:
            allowed = " or ".join(m.value for m in MODES[kind])
            self.fail((*path, "mode"), f"{label}: a {kind.value} step is {allowed}, not {mode}")
        allowed = (*COMMON_KEYS, *KIND_KEYS[kind], *(TASK_KEYS if mode is Mode.TASK else ()))
        self.known_keys(data, allowed, path, f"{label} ({kind.value}, {mode.value})")
        anchor = self.word(data, (*path, "after"), Anchor, label, default=Anchor.DUE)
        low = 1 if anchor is Anchor.DEADLINE else DAYS[0]
        return Step(
            name=name, kind=kind, mode=mode, anchor=anchor,
            day=self.whole(data, (*path, "day"), label, (low, DAYS[1]), required=True),
            catch_up=self.flag(data, (*path, "catch_up"), label),
            what=self.text(data, (*path, "what"), label, limit="what"),
            within_days=self.whole(data, (*path, "within_days"), label, TASK_DAYS),
            channel=self.word(data, (*path, "channel"), Channel, label, default=Channel.EMAIL),
            template=self.word(data, (*path, "template"), ReminderTemplate, label),
            deadline_days=self.whole(data, (*path, "deadline_days"), label, DEADLINE_DAYS,
                                     required=kind is StepKind.DEMAND),
            consequences=self.text(data, (*path, "consequences"), label, limit="consequences",
                                   required=kind is StepKind.DEMAND),
            refer_to=self.referrals(data, (*path, "refer_to"), label))

    def check_order(self, steps: tuple[Step, ...]) -> None:
        """Names once; days in order; steps after the deadline last; one demand step."""
        seen: set[str] = set()
        previous: Step | None = None
        for n, step in enumerate(steps):
            path = ("step", n)
            if step.name in seen:
                self.fail((*path, "name"), f"step '{step.name}': the name is used twice")
            seen.add(step.name)
            if previous is not None and previous.anchor is Anchor.DEADLINE \
                    and step.anchor is Anchor.DUE:
                self.fail((*path, "after"), f"step '{step.name}': steps counted from the due "
                          "date come before the steps after the demand's deadline")
            if previous is not None and previous.anchor is step.anchor \
                    and step.day < previous.day:
                self.fail((*path, "day"), f"step '{step.name}': day {step.day} comes before "
                          f"day {previous.day} of the step above it; list steps in the order "
                          "of their days")
            previous = step
        demands = [n for n, s in enumerate(steps) if s.kind is StepKind.DEMAND]
        if len(demands) > 1:
            self.fail(("step", demands[1], "kind"), "a policy has at most one demand step")

    # -- values ----------------------------------------------------------------------------

    def known_keys(self, data: dict[str, Any], allowed: tuple[str, ...],
                   path: tuple[str | int, ...], label: str) -> None:
        for key in data:
            if key not in allowed:
                self.fail((*path, key), f"{label}: unknown key '{key}' (allowed: "
                          f"{', '.join(allowed)})")

    def whole(self, data: dict[str, Any], path: tuple[str | int, ...], label: str,
              bounds: tuple[int, int], required: bool = False) -> int:
        key = str(path[-1])
        value = data.get(key)
        if value is None:
            if required:
                self.fail(path, f"{label}: {key} is required")
            return 0
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(path, f"{label}: {key} must be a whole number of days, got {value!r}")
        if not bounds[0] <= value <= bounds[1]:
            self.fail(path, f"{label}: {key} must be from {bounds[0]} to {bounds[1]}, "
                      f"got {value}")
        return value

    def flag(self, data: dict[str, Any], path: tuple[str | int, ...], label: str) -> bool:
        value = data.get(str(path[-1]), False)
        if not isinstance(value, bool):
            self.fail(path, f"{label}: {path[-1]} must be true or false, got {value!r}")
        return value

    def text(self, data: dict[str, Any], path: tuple[str | int, ...], label: str,
             limit: str, default: str = "", required: bool = False) -> str:
        key = str(path[-1])
        value = data.get(key, default)
        if not isinstance(value, str):
            self.fail(path, f"{label}: {key} must be a text in quotes, got {value!r}")
        if required and not value.strip():
            self.fail(path, f"{label}: {key} is required")
        return self.checked(lambda: check_characters(value, limit), path, label).strip()

    def word(self, data: dict[str, Any], path: tuple[str | int, ...], vocabulary: type[E],
             label: str, default: E | None = None, required: bool = False) -> Any:
        key = str(path[-1])
        value = data.get(key)
        if value is None:
            if required:
                self.fail(path, f"{label}: {key} is required (one of: {_words(vocabulary)})")
            return default
        try:
            return vocabulary(value)
        except ValueError:
            self.fail(path, f"{label}: unknown {key} {value!r} (one of: {_words(vocabulary)})")

    def referrals(self, data: dict[str, Any], path: tuple[str | int, ...],
                  label: str) -> tuple[Referral, ...]:
        value = data.get("refer_to", [])
        if not isinstance(value, list) or len(set(map(str, value))) < len(value):
            self.fail(path, f"{label}: refer_to must be a list of different words, e.g. "
                      '["mediation", "counsel"]')
        words = []
        for item in value:
            if item not in set(Referral):
                self.fail(path, f"{label}: unknown referral {item!r} (one of: "
                          f"{_words(Referral)})")
            words.append(Referral(item))
        return tuple(words)

    def checked(self, check: Callable[[], str], path: tuple[str | int, ...],
                label: str) -> str:
        try:
            return check()
        except DomainError as error:
            self.fail(path, f"{label}: {path[-1]} {error.message}")


def _words(vocabulary: type[StrEnum]) -> str:
    return ", ".join(member.value for member in vocabulary)
