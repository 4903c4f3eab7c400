"""The one helper behind every recorded command: name the case, build the command, handle it,
report what it stored."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any
from uuid import UUID

import click

from application.commands import CaseCommand, Recorded
from application.service import CaseService
from cli import output
from cli.base import ArrearsCommand
from cli.options import case_argument, recording_params
from cli.runtime import service

Fields = dict[str, Any]
Builder = Callable[..., Fields]


def command(name: str, function: Callable[..., Any], callback: Callable[..., Any],
            before: Sequence[click.Parameter] = (),
            after: Sequence[click.Parameter] = ()) -> ArrearsCommand:
    """An ArrearsCommand: `function`'s click options between `before` and `after`, its
    docstring as help, `callback` as what runs."""
    own = list(reversed(getattr(function, "__click_params__", [])))
    return ArrearsCommand(name, callback=callback, help=inspect.getdoc(function),
                          params=[*before, *own, *after])


def report_recorded(svc: CaseService, recorded: Recorded, as_json: bool) -> None:
    """Print the events just recorded (--json: the id and version)."""
    case_id: UUID = recorded.case_id
    new_events = [e for e in svc.history(case_id)
                  if recorded.first_version <= e["version"] <= recorded.version]
    summary = {"case_id": str(case_id), "version": recorded.version,
               "invoice_number": recorded.invoice_number}
    output.recorded(summary, new_events, as_json)


def case_command(name: str, kind: type[CaseCommand]) -> Callable[[Builder], ArrearsCommand]:
    """A CLI command that builds a `kind` command for the case named by CASE and handles it.

    The decorated builder declares the command's own options and returns its fields (already
    parsed values); its docstring is the help. CASE comes first; --actor, --on, --creditor
    and --json follow.
    """

    def decorate(build: Builder) -> ArrearsCommand:
        def callback(case: str, actor: str, occurred_on: date | None, creditor: str,
                     as_json: bool, **options: Any) -> None:
            svc = service()
            recorded = svc.handle(kind(case_id=svc.resolve(case, creditor), actor=actor,
                                       occurred_on=occurred_on, **build(**options)))
            report_recorded(svc, recorded, as_json)

        return command(name, build, callback, before=[case_argument()],
                       after=recording_params())

    return decorate
