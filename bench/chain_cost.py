"""CPU time of a command and of a fast-forward load, for comparing two trees of Arrears.

    PYTHONPATH=TREE .venv/bin/python bench/chain_cost.py [--rounds 7]

Uses process time (CPU of this process only), best of --rounds, on a SQLite file in
/dev/shm when there is one (no fsync cost): what the chain adds to each command is CPU,
and process time is what a loaded machine disturbs least. Run it with PYTHONPATH set to
another checkout (e.g. the commit before the chain, from `git archive`) to compare.
"""

from __future__ import annotations

import argparse
import random
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import workload

from application.service import CaseService


def best(step: Callable[[int], Any], n: int, rounds: int) -> float:
    """The best of `rounds` of n steps, in microseconds of process time per step."""
    fastest = float("inf")
    for _ in range(rounds):
        started = time.process_time()
        for i in range(n):
            step(i)
        fastest = min(fastest, (time.process_time() - started) / n)
    return round(fastest * 1e6, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    base = Path("/dev/shm") if Path("/dev/shm").is_dir() else None
    directory = Path(tempfile.mkdtemp(dir=base))
    try:
        service = CaseService(f"sqlite:///{directory}/events.db", clock=workload.clock())
        rng = random.Random(1)
        ids = [service.handle(workload.opening("bench", workload.invoice(n, rng))).case_id
               for n in range(100)]

        def command(i: int) -> None:
            name, fields = workload.command(rng, service.clock.today())
            service.handle(workload.case_command(ids[i % 100], name, "bench", fields))

        best(command, 300, 1)  # every case cached and a few events long
        load = best(lambda i: service._cached(ids[i % 100]), 1000, args.rounds)
        whole = best(command, 100, args.rounds)
        print(f"fast-forward load: {load} us CPU; whole command: {whole} us CPU")
        service.close()
    finally:
        shutil.rmtree(directory)


if __name__ == "__main__":
    main()
