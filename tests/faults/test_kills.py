"""SIGKILL a command process mid-save, many times (issue 15, "Faults"), on SQLite and
PostgreSQL: after each kill the store opens, every case's chain verifies (no half-written
event or hash), nothing a command reported stored is lost, and at most the one command in
flight is added. The number of kills survived is printed.
"""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from application.evidence.verify import verify_store
from application.service import CaseService
from domain.case import case_id_for
from tests.faults.writer import CREDITOR

ROOT = Path(__file__).resolve().parents[2]
KILLS = 8


def test_a_killed_writer_leaves_the_case_before_or_after_a_command(database_url, capsys):
    rng, survived, reported = random.Random(15), 0, 0
    case_id = case_id_for(CREDITOR, "KILL-1")
    for _ in range(KILLS):
        process = subprocess.Popen([sys.executable, "-m", "tests.faults.writer", database_url,
                                    "KILL-1"], cwd=ROOT, stdout=subprocess.PIPE, text=True)
        lines = []
        deadline = time.monotonic() + 60
        while len(lines) < rng.randint(3, 12) and time.monotonic() < deadline:
            lines.append(process.stdout.readline())  # it is saving: kill it mid-loop
        time.sleep(rng.random() * 0.05)
        process.send_signal(signal.SIGKILL)
        rest, _ = process.communicate(timeout=30)
        printed = [int(v) for v in [*lines, *rest.splitlines()] if v.strip()]
        assert printed, "the writer stored nothing before it was killed"
        reported = max(reported, *printed)
        service = CaseService(database_url, creditor=CREDITOR)  # the store opens
        try:
            stored = service.load(case_id).version
            report = verify_store(service.chain_recorder, service.chain_recorder.canonical,
                                  snapshots=service.snapshot_check())
        finally:
            service.close()
        assert report.ok, report.as_dict()
        assert reported <= stored <= reported + 1  # nothing lost; at most the one in flight
        reported = stored
        survived += 1
    assert survived == KILLS
    with capsys.disabled():
        print(f"\nkills {database_url.split(':')[0]}: {survived} SIGKILLs of a writing process "
              f"survived, {reported} events, chain verified after each")
