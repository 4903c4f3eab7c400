"""The group and command classes: every error a user can cause ends as one reported line."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

import click

from application.availability import unavailable
from application.settings import SettingsError
from cli.failures import from_click, from_domain, from_settings, from_unavailable
from cli.options import ENVIRONMENT
from domain.errors import DomainError


class ArrearsCommand(click.Command):
    """A command whose domain and settings errors become failures naming its options."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("epilog", ENVIRONMENT)
        super().__init__(*args, **kwargs)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except DomainError as error:
            raise from_domain(error, self) from None
        except SettingsError as error:
            raise from_settings(error) from None
        except Exception as error:
            if (away := unavailable(error)) is not None:
                raise from_unavailable(away) from None
            raise


class ArrearsGroup(click.Group):
    """The `arrears` group: reports failures itself, in one line, instead of click's usage."""

    command_class = ArrearsCommand

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True,
             **extra: Any) -> Any:
        argv = list(sys.argv[1:] if args is None else args)
        try:
            result = super().main(argv, prog_name, complete_var, standalone_mode=False, **extra)
            code = result if isinstance(result, int) else 0
        except click.exceptions.NoArgsIsHelpError as error:
            error.show()
            code = error.exit_code
        except click.ClickException as error:
            failure = from_click(error)
            failure.report(as_json="--json" in argv)
            code = failure.exit_code
        except click.Abort:
            click.echo("Aborted!", err=True)
            code = 1
        if not standalone_mode:
            return code
        sys.exit(code)
