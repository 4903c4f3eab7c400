"""WeasyPrint's native libraries (Pango) and fonts, which every evidence bundle needs.

Where they are missing, the tests that make bundles are skipped loudly (the terminal summary
says so), unless $ARREARS_REQUIRE_PDF=1, as in CI, which fails them instead.
`scripts/ensure-pdf` (run by `make test`) installs them with apt-get.
"""

from __future__ import annotations

import pytest

from application.bundles.chronology import render_pdf
from tests.missing import Missing

PDF = Missing("THE EVIDENCE BUNDLE TESTS DID NOT RUN", "ARREARS_REQUIRE_PDF",
              "Install Pango and fonts (bash scripts/ensure-pdf; make test does)")

_PROBLEM = pytest.StashKey[str]()


def pdf_problem(config: pytest.Config) -> str:
    """Why no PDF can be rendered here ('' when one can); asked once per session."""
    if _PROBLEM not in config.stash:
        try:
            render_pdf("<p>probe</p>")
            problem = ""
        except Exception as error:  # OSError from a missing library, or anything else
            problem = " ".join(str(error).split()) or type(error).__name__
        config.stash[_PROBLEM] = problem
    return config.stash[_PROBLEM]


def require_pdf(config: pytest.Config) -> None:
    """Skip (or fail, when required) a test that makes a bundle where no PDF can be made."""
    problem = pdf_problem(config)
    if problem:
        PDF.skip(config, problem, f"NO PDF: WeasyPrint cannot render here ({problem}); "
                                  "this test did NOT run")


@pytest.fixture
def pdf_ready(pytestconfig: pytest.Config) -> None:
    """Take it in a test that makes a bundle."""
    require_pdf(pytestconfig)
