"""The one helper behind every recorded command: name the case, build fields, run, report."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

import click

from application.service import COMMANDS, CaseService
from cli import output
from cli.base import ArrearsCommand
from cli.options import case_argument, recording_params
from cli.runtime import service
from domain.money import Money

Fields = dict[str, Any]
Builder = Callable[..., Fields]


@dataclass(frozen=True)
class CaseView:
    """The case as it stands before the command: builders read its currency from it."""

    record: dict[str, Any]

    def money(self, amount: str | None, field: str = "amount") -> Money | None:
        """Parse a typed number in the case's currency (None stays None: the default)."""
        return None if amount is None else Money.of(amount, self.record["currency"], field)


def command(name: str, function: Callable[..., Any], callback: Callable[..., Any],
            before: Sequence[click.Parameter] = (),
            after: Sequence[click.Parameter] = ()) -> ArrearsCommand:
    """An ArrearsCommand: `function`'s click options between `before` and `after`, its
    docstring as help, `callback` as what runs."""
    own = list(reversed(getattr(function, "__click_params__", [])))
    return ArrearsCommand(name, callback=callback, help=inspect.getdoc(function),
                          params=[*before, *own, *after])


def report_recorded(svc: CaseService, case_id: UUID, since_version: int, version: int,
                    as_json: bool) -> None:
    """Print the events just recorded, versions since_version+1..version (--json: the id
    and version)."""
    new_events = [e for e in svc.history(case_id) if since_version < e["version"] <= version]
    output.recorded({**svc.case(case_id), "version": version}, new_events, as_json)


def case_command(name: str, command_name: str) -> Callable[[Builder], ArrearsCommand]:
    """A CLI command running `command_name` (one of COMMANDS) on the case named by CASE.

    The decorated builder declares the command's own options and returns its fields; its
    docstring is the help. CASE comes first; --actor, --on, --creditor and --json follow.
    """
    if command_name not in COMMANDS:
        raise ValueError(f"unknown command {command_name!r}")

    def decorate(build: Builder) -> ArrearsCommand:
        def callback(case: str, actor: str, occurred_on: date | None, creditor: str,
                     as_json: bool, **options: Any) -> None:
            svc = service()
            case_id = svc.resolve(case, creditor)
            before = svc.case(case_id)
            fields = build(CaseView(before), **options)
            version = svc.execute(case_id, command_name, actor=actor, occurred_on=occurred_on,
                                  **fields)
            report_recorded(svc, case_id, before["version"], version, as_json)

        return command(name, build, callback, before=[case_argument()],
                       after=recording_params())

    return decorate
