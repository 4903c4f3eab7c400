"""The stress run at the size issue 15 names: 20 processes x 200 random commands on 5 shared
cases, through CaseService.handle (tests/faults/stress.py), then the same checks as
tests/faults/test_stress.py: events = accepted commands, every case's chain verifies.

    .venv/bin/python bench/stress.py --url sqlite:///var/bench/stress.db
    .venv/bin/python bench/stress.py --url 'postgresql://postgres@127.0.0.1:5432/test?schema=stress'

The store must be new (a fresh file, or an empty schema). Prints the figures README quotes.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from application.evidence.verify import verify_store  # noqa: E402
from application.service import CaseService  # noqa: E402
from tests.faults.stress import CREDITOR, stress  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="a new event store")
    parser.add_argument("--processes", type=int, default=20)
    parser.add_argument("--commands", type=int, default=200)
    parser.add_argument("--cases", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    tally = stress(args.url, args.processes, args.commands, args.cases, args.seed)
    service = CaseService(args.url, creditor=CREDITOR)
    try:
        report = verify_store(service.chain_recorder, service.chain_recorder.canonical,
                              snapshots=service.snapshot_check())
    finally:
        service.close()
    print(f"{args.processes} processes x {args.commands} commands on {args.cases} cases in "
          f"{tally.seconds:.0f} s: {tally.line()}")  # type: ignore[attr-defined]
    print(f"stored {report.events} events in {report.cases} cases; verify: "
          f"{'everything holds' if report.ok else report.as_dict()}")
    if report.events != tally.events or not report.ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
