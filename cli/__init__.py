"""The `arrears` command-line tool: one click command per case command, plus show, timeline,
demo and serve. Entry point: `cli.main:main`.

`arrears verify` starts its workers' fork server here, before the ~0.6 s of imports of the
commands, so that the server has imported what a worker runs by the time the check begins
(`application.workers.prestart`, ADR 0049).
"""

import sys
from pathlib import Path


def verifying(argv: list[str]) -> bool:
    """Whether the process is `arrears verify ...` (its first word that is no option)."""
    words = [word for word in argv[1:] if not word.startswith("-")]
    return bool(argv) and Path(argv[0]).name == "arrears" and words[:1] == ["verify"]


if verifying(sys.argv):
    from application.workers import prestart

    prestart()
