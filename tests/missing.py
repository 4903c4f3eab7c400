"""A service some tests need but this machine lacks: skipped loudly, or failed when required.

Each skip is counted, and the terminal summary ends with a red block saying what did not run.
"""

from __future__ import annotations

import os

import pytest


class Missing:
    """One needed service (PostgreSQL, a browser), its `ARREARS_REQUIRE_*` switch and advice."""

    def __init__(self, title: str, require_variable: str, advice: str) -> None:
        self.title = title
        self.require_variable = require_variable
        self.advice = advice
        self._problem = pytest.StashKey[str]()
        self._skipped = pytest.StashKey[int]()

    @property
    def required(self) -> bool:
        return os.environ.get(self.require_variable) == "1"

    def skip(self, config: pytest.Config, problem: str, message: str) -> None:
        """Skip this test with a loud reason, or fail it when the service is required."""
        if self.required:
            pytest.fail(f"{message}; {self.require_variable}=1 requires it", pytrace=False)
        config.stash[self._problem] = problem
        config.stash[self._skipped] = config.stash.get(self._skipped, 0) + 1
        pytest.skip(f"!!! {message} !!!")

    def report(self, terminalreporter, config: pytest.Config) -> None:  # noqa: ANN001
        """The red block at the end of the run, when any test was skipped for want of it."""
        skipped = config.stash.get(self._skipped, 0)
        if not skipped:
            return
        terminalreporter.write_sep("!", self.title, red=True, bold=True)
        terminalreporter.write_line(
            f"{skipped} test(s) were SKIPPED: {config.stash.get(self._problem, '?')}.",
            red=True, bold=True)
        terminalreporter.write_line(
            f"{self.advice}; CI sets {self.require_variable}=1 to fail instead.",
            red=True, bold=True)
