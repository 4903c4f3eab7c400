"""What one invocation shares: the clock and the one CaseService, built on first use."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

import click

from application.attachments.service import Attachments
from application.bootstrap import Arrears, attachments_for, build
from application.clock import Clock, clock_from_env
from application.letters import LetterWriter, install_letters
from application.service import CaseService
from application.settings import database_url, default_jurisdiction
from cli.failures import from_settings


def clock_from(environ: Mapping[str, str]) -> Clock:
    """The system clock, or ARREARS_TODAY at 09:00 UTC when set (tests and demos)."""
    try:
        return clock_from_env(dict(environ))
    except ValueError as error:
        raise from_settings(error) from None


@dataclass
class Runtime:
    environ: Mapping[str, str] = field(default_factory=lambda: os.environ)
    _service: CaseService | None = None
    _arrears: Arrears | None = None
    _attachments: Attachments | None = None
    letters: LetterWriter | None = None  # the service's letters, once it is built

    @property
    def service(self) -> CaseService:
        if self._service is None:
            self._service = CaseService(database_url(dict(self.environ)),
                                        clock=clock_from(self.environ),
                                        jurisdiction=default_jurisdiction(self.environ))
            self.letters = install_letters(self._service, self.environ)
        return self._service

    @property
    def attachments(self) -> Attachments:
        """Attachments through the service (ARREARS_BLOB_DIR, ARREARS_ATTACHMENT_*)."""
        if self._attachments is None:
            self._attachments = attachments_for(self.service, environ=self.environ)
        return self._attachments

    def arrears(self, create_table: bool = True) -> Arrears:
        """Service, projector and views, for the read-model commands (built on first use)."""
        if self._arrears is None:
            env = dict(self.environ)
            self._arrears = build(database_url(env), clock=clock_from(self.environ),
                                  create_table=create_table,
                                  jurisdiction=default_jurisdiction(env))
        return self._arrears

    def close(self) -> None:
        if self._service is not None:
            self._service.close()
            self._service = None
            self._attachments = None
        if self._arrears is not None:
            self._arrears.close()
            self._arrears = None


def runtime() -> Runtime:
    """The invocation's runtime, kept on the root context and closed with it."""
    root = click.get_current_context().find_root()
    if not isinstance(root.obj, Runtime):
        root.obj = Runtime()
        root.call_on_close(root.obj.close)
    return root.obj


def service() -> CaseService:
    """The invocation's CaseService (ARREARS_DATABASE_URL, clock from ARREARS_TODAY)."""
    return runtime().service
