"""Time to rebuild one case of 1,000 events from a SQLite file (cold repository.get).

    .venv/bin/python bench/rebuild.py --events 1000 --runs 21 --seed 1

The case is built through CaseService with the commands of `workload` --mix (saved every
50 events), then read back --runs times after one warm-up read. The median is compared with
--target-ms. The parts of a read (select rows, decode events, replay) are timed the same way.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any
from uuid import UUID

import workload
from conditions import described, environment
from eventsourcing.application import project_aggregate

from application.service import CaseService
from domain.case import DebtCase

ROOT = Path(__file__).resolve().parent.parent
ACTOR = "bench"


def remove_db(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def build_case(service: CaseService, events: int, seed: int, mix: str,
               batch: int = 50) -> UUID:
    rng = random.Random(seed)
    clock = service.clock
    case_id = service.handle(workload.opening(ACTOR, workload.invoice(1, rng))).case_id
    case = service.load(case_id)
    for n in range(1, events):
        clock.advance(minutes=10)
        name, fields = workload.command(rng, clock.today(), mix)
        getattr(case, name)(stamp=service._stamp(ACTOR, None), **fields)
        if n % batch == 0:
            service.save(case)
    service.save(case)
    return case_id


def timings(function: Callable[[], Any], runs: int) -> list[float]:
    function()  # warm-up: statement cache, page cache, imports
    result = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        result.append((time.perf_counter() - started) * 1000)
    return result


def summary(ms: list[float]) -> dict[str, float]:
    return {"median_ms": round(statistics.median(ms), 2), "min_ms": round(min(ms), 2),
            "max_ms": round(max(ms), 2)}


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=1000, help="events in the case")
    parser.add_argument("--runs", type=int, default=21, help="timed reads (median taken)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--mix", choices=sorted(workload.MIXES), default="everyday",
                        help="commands the case is built from (see bench/workload.py)")
    parser.add_argument("--target-ms", type=float, default=50.0)
    parser.add_argument("--dir", type=Path, default=ROOT / "var" / "bench")
    parser.add_argument("--out", type=Path,
                        default=ROOT / "bench" / "results" / "rebuild.json")
    args = parser.parse_args(argv)
    args.dir.mkdir(parents=True, exist_ok=True)
    path = args.dir / "rebuild.db"
    remove_db(path)

    load_before = os.getloadavg()
    service = CaseService(f"sqlite:///{path}", clock=workload.clock())
    case_id = build_case(service, args.events, args.seed, args.mix)
    case = service.repository.get(case_id)
    if case.version != args.events:
        raise SystemExit(f"expected a case of {args.events} events, got {case.version}")
    with closing(sqlite3.connect(path)) as db:
        state_bytes = db.execute("SELECT AVG(LENGTH(state)) FROM stored_events").fetchone()[0]

    recorder, mapper = service.recorder, service.mapper
    stored = recorder.select_events(case_id)
    decoded = [mapper.to_domain_event(s) for s in stored]
    # A cold rebuild, as after a restart: without the application's cache of worked cases.
    service.repository.cache = None
    whole = timings(lambda: service.repository.get(case_id), args.runs)
    replay_all = timings(lambda: project_aggregate(
        None, [mapper.to_domain_event(s) for s in recorder.select_events(case_id)]), args.runs)
    parts = {
        "select rows (SQL)": timings(lambda: recorder.select_events(case_id), args.runs),
        "decode events (JSON, transcodings, upcast check, event objects)":
            timings(lambda: [mapper.to_domain_event(s) for s in stored], args.runs),
        "replay (apply each event)":
            timings(lambda: project_aggregate(None, decoded), args.runs),
    }
    service.close()
    remove_db(path)

    median = statistics.median(whole)
    result = {
        "command": f"bench/rebuild.py --events {args.events} --runs {args.runs} "
                   f"--seed {args.seed} --mix {args.mix}"
                   + (" (python -O)" if sys.flags.optimize else ""),
        "events": args.events,
        "mix": args.mix,
        "event_types": dict(Counter(type(e).__name__ for e in decoded).most_common()),
        "avg_state_bytes": round(state_bytes, 1),
        "runs": args.runs,
        "repository_get": summary(whole),
        "snapshot_interval": CaseService.snapshotting_intervals.get(DebtCase),
        "replay_all_events_without_snapshot": summary(replay_all),
        "parts_median_ms": {k: round(statistics.median(v), 2) for k, v in parts.items()},
        "target_ms": args.target_ms,
        "within_target": median <= args.target_ms,
        "all_runs_ms": [round(ms, 2) for ms in whole],
        "environment": environment(load_before),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    text = text_summary(result)
    args.out.with_suffix(".txt").write_text(text)
    print(text, end="")
    return result


def text_summary(r: dict[str, Any]) -> str:
    get = r["repository_get"]
    verdict = ("within" if r["within_target"] else "OVER") + f" the {r['target_ms']:g} ms target"
    lines = [
        r["command"],
        f"rebuild a case of {r['events']} events, mix '{r['mix']}' "
        f"({r['avg_state_bytes']} bytes of state each on average):",
        f"  repository.get (cold, snapshot every {r['snapshot_interval']} events) median "
        f"{get['median_ms']} ms (min {get['min_ms']}, max {get['max_ms']}, {r['runs']} runs): "
        f"{verdict}",
        f"  without snapshots (select, decode and replay all {r['events']} events): median "
        f"{r['replay_all_events_without_snapshot']['median_ms']} ms",
        "  its parts (median of each, timed separately):",
    ]
    env = r["environment"]
    lines += [f"    {ms:>7.2f} ms  {name}" for name, ms in r["parts_median_ms"].items()]
    if not r["within_target"]:
        lines.append("  -> over target: consider snapshots (see README, Performance)")
    lines.append("  " + described(env))
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
