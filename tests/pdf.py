"""What evidence bundles need of the machine: WeasyPrint's Pango and fonts to make one, and
openssl (with sha256sum) for the test that runs the bundle README's commands.

Where they are missing, those tests are skipped loudly (the terminal summary says so), unless
$ARREARS_REQUIRE_PDF=1 (or $ARREARS_REQUIRE_OPENSSL=1), as in CI, which fails them instead.
`scripts/ensure-pdf` (run by `make test`) installs Pango and fonts with apt-get.
"""

from __future__ import annotations

import pytest

from application.bundles.chronology import render_pdf
from tests.missing import Missing

PDF = Missing("THE EVIDENCE BUNDLE TESTS DID NOT RUN", "ARREARS_REQUIRE_PDF",
              "Install Pango and fonts (bash scripts/ensure-pdf; make test does)")

OPENSSL = Missing("OPENSSL WAS NOT TESTED", "ARREARS_REQUIRE_OPENSSL",
                  "Install it (apt-get install openssl)")

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
