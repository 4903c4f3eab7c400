"""Benchmark of the projector: a full rebuild of every read model, and live catch-up.

    .venv/bin/python -m bench.projection --events 1000000 --interleaved
    .venv/bin/python -m bench.projection --events 100000             # contiguous log

1. Builds the data set if missing (bench/dataset.py, seed 7, ~10 events a case) in
   var/bench-projection/: each case's events together, or --interleaved (--active cases
   worked side by side, so a page of 1,000 events touches ~1,000 cases). Later runs reuse it.
2. In a fresh process: rebuilds every read model from scratch (`Projector.rebuild`, by
   worker processes from 100,000 events or with --jobs 2 and up, ADR 50; --jobs 1 applies
   the log in order): E ev/s, that process's peak RSS, the workers' CPU time and largest
   peak RSS; reads the whole log with `select_notifications` in pages of the projector's
   size: S ev/s, the read a rebuild in order works under.
3. Live catch-up, on a copy of the store: a burst of 1,000 commands on 1,000 open cases,
   then one `catch_up` timed by a new projector (cases read from rm_case_state: cold), and
   five more bursts on the same cases by the same projector (cases in its cache: warm; the
   median burst is the warm figure, each run's time kept beside it).
Writes bench/results/projection-{contiguous|interleaved}-N.json and .txt; the last line
printed is `projection E ev/s, select_notifications S ev/s, ratio E/S`.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path
from typing import Any
from uuid import UUID

from sqlalchemy import select

from application.bootstrap import Arrears, build
from application.clock import FixedClock
from application.readmodels.database import readmodel_url
from application.readmodels.tables import case_summary
from bench import dataset
from bench.conditions import described, environment, save_results

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
EVENTS_PER_CASE = 10.29  # what dataset.generate averages with events_per_case=10 (seed 7)
BURST = 1000
WARM_BURSTS = 5  # the warm figure is the median burst of these (one alone moves by ~50%)


def layout(args: argparse.Namespace) -> str:
    return "interleaved" if args.interleaved else "contiguous"


def folder_of(args: argparse.Namespace) -> Path:
    name = f"{layout(args)}-e{args.events}-s{args.seed}"
    if args.interleaved:
        name += f"-a{args.active}"
    return ROOT / "var" / "bench-projection" / name


def prepare(args: argparse.Namespace) -> dict[str, Any]:
    """Generate the data set once; later runs with the same parameters reuse it."""
    folder = folder_of(args)
    meta_file = folder / "meta.json"
    if meta_file.exists():
        return json.loads(meta_file.read_text())
    folder.mkdir(parents=True, exist_ok=True)
    app = build(f"sqlite:///{folder}/events.db", clock=FixedClock())
    cases = max(1, round(args.events / EVENTS_PER_CASE))
    shown = {"progress": lambda n: print(f"\r  generated {n:,} events", end="", flush=True)}
    started = time.perf_counter()
    if args.interleaved:
        events = dataset.generate_interleaved(app.service, cases, seed=args.seed,
                                              active=args.active, **shown)
    else:
        events = dataset.generate(app.service, cases, seed=args.seed, **shown)
    print()
    app.close()
    meta = {"layout": layout(args), "cases": cases, "events": events,
            "active": args.active if args.interleaved else None,
            "generate_seconds": round(time.perf_counter() - started, 1)}
    meta_file.write_text(json.dumps(meta))
    return meta


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)  # KiB on Linux


def rebuild(folder: Path, jobs: int | None = None) -> dict[str, Any]:
    """Rebuild every read model from scratch; events per second and peak RSS (with worker
    processes, ADR 50: their CPU time added, and the peak RSS of the largest of them)."""
    app = build(f"sqlite:///{folder}/events.db", clock=FixedClock())
    try:
        started, cpu = time.perf_counter(), time.process_time()
        applied = app.projector.rebuild(jobs=jobs)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        built = app.projector.built
        workers = {"workers": len(built.files), "workers_cpu_seconds": round(built.cpu_seconds, 2),
                   "worker_peak_rss_mb": round(built.peak_rss_kib / 1024, 1)} if built else \
            {"workers": 0}
        cpu += built.cpu_seconds if built else 0.0
        return {"events": applied, "seconds": round(seconds, 2),
                "events_per_second": round(applied / seconds), "cpu_seconds": round(cpu, 2),
                "events_per_cpu_second": round(applied / cpu), "peak_rss_mb": peak_rss_mb(),
                **workers,
                "page_size": app.projector.page_size, "flush_size": app.projector.flush_size,
                "cache_size": app.projector.cache.size,
                "select": select_notifications(app, app.projector.page_size)}
    finally:
        app.close()


def select_notifications(app: Arrears, page_size: int) -> dict[str, Any]:
    """Read the whole log page by page, as the projector does, and nothing else."""
    recorder, position, count = app.service.recorder, 0, 0
    started = time.perf_counter()
    while page := recorder.select_notifications(start=position + 1, limit=page_size):
        count, position = count + len(page), page[-1].id
    seconds = time.perf_counter() - started
    return {"events": count, "seconds": round(seconds, 2),
            "events_per_second": round(count / seconds)}


def copy_store(folder: Path) -> Path:
    """A copy of the events and the read models, for the bursts (the data set stays as is)."""
    copy = folder / "burst"
    copy.mkdir(exist_ok=True)
    for name in ("events.db", Path(readmodel_url(f"sqlite:///{folder}/events.db")).name):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{copy / name}{suffix}").unlink(missing_ok=True)
        with closing(sqlite3.connect(folder / name)) as src, \
                closing(sqlite3.connect(copy / name)) as dst:
            src.backup(dst)
    return copy


def burst(app: Arrears, case_ids: list[str], rng: random.Random) -> int:
    """One note on each case, saved 100 cases a transaction; return events saved."""
    service, saved = app.service, 0
    for start in range(0, len(case_ids), 100):
        cases = [service.repository.get(UUID(i)) for i in case_ids[start:start + 100]]
        for case in cases:
            case.add_note(text="Burst: the debtor called back",
                          stamp=dataset._stamp(rng, dataset.TODAY))  # noqa: SLF001
        service.save(*cases)
        saved += len(cases)
    return saved


def live(folder: Path, seed: int) -> dict[str, Any]:
    """Catch-up time of a 1,000-event burst: a new projector (cold), then the same (warm)."""
    app = build(f"sqlite:///{copy_store(folder)}/events.db", clock=FixedClock())
    try:
        with app.projector.engine.connect() as conn:
            ids = sorted(conn.execute(select(case_summary.c.case_id)
                                      .where(case_summary.c.is_closed.is_(False))).scalars())
        rng = random.Random(seed)
        chosen = rng.sample(ids, min(BURST, len(ids)))
        cold = timed_burst(app, chosen, rng)
        warm = [timed_burst(app, chosen, rng) for _ in range(WARM_BURSTS)]
        middle = sorted(warm, key=lambda b: b["ms"])[len(warm) // 2]  # the median burst
        return {"cold": cold, "warm": {**middle, "runs_ms": [b["ms"] for b in warm]}}
    finally:
        app.close()


def timed_burst(app: Arrears, case_ids: list[str], rng: random.Random) -> dict[str, Any]:
    """One burst on the cases, then one `catch_up` timed (wall clock and CPU)."""
    events = burst(app, case_ids, rng)
    started, cpu = time.perf_counter(), time.process_time()
    applied = app.projector.catch_up()
    ms = (time.perf_counter() - started) * 1000
    cpu_ms = (time.process_time() - cpu) * 1000
    assert applied == events, (applied, events)
    return {"events": events, "ms": round(ms, 1), "cpu_ms": round(cpu_ms, 1)}


def measure(args: argparse.Namespace) -> None:
    """In the child process: the rebuild (its peak RSS is this process's), then the bursts."""
    folder = folder_of(args)
    result = {"rebuild": rebuild(folder, args.jobs)}
    if not args.no_burst:
        result["burst"] = live(folder, args.seed)
    print(json.dumps(result))


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000,
                        help="about how many events the data set holds (~10 a case)")
    parser.add_argument("--interleaved", action="store_true",
                        help="cases worked side by side, as in real use (else each case's "
                             "events together)")
    parser.add_argument("--active", type=int, default=10_000,
                        help="with --interleaved: cases worked side by side")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-burst", action="store_true", help="skip the live catch-up")
    parser.add_argument("--jobs", type=int, default=None,
                        help="worker processes of the rebuild (default: as `arrears "
                             "projections rebuild` chooses; 1: the log applied in order)")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    args = parse(argv)
    if args.measure:
        measure(args)
        return {}
    meta = prepare(args)
    load_before = os.getloadavg()
    given = sys.argv[1:] if argv is None else argv
    child = [sys.executable, "-m", "bench.projection", "--measure", *given]
    done = subprocess.run(child, cwd=ROOT, check=True, capture_output=True, text=True)
    measured = json.loads(done.stdout.strip().splitlines()[-1])
    command = "python -m bench.projection " + " ".join(given)
    result = {"command": command, "data_set": meta, **measured,
              "environment": environment(load_before)}
    save_results(RESULTS / f"projection-{layout(args)}-{args.events}.json", result,
                 text_summary(result))
    return result


def text_summary(r: dict[str, Any]) -> str:
    built, data = r["rebuild"], r["data_set"]
    sel = built["select"]
    ratio = built["events_per_second"] / sel["events_per_second"]
    lines = [
        r["command"],
        f"data set: {data['events']:,} events, {data['cases']:,} cases, {data['layout']}"
        + (f" ({data['active']:,} cases worked side by side)" if data["active"] else ""),
        f"  rebuild of every read model: {built['events']:,} events in {built['seconds']} s"
        f" = {built['events_per_second']:,} ev/s (target 50,000 interleaved at 1M), "
        f"peak RSS {built['peak_rss_mb']} MB (target 500)",
        f"  CPU time of the rebuilding process{' and its workers' if built['workers'] else ''}:"
        f" {built['cpu_seconds']} s = {built['events_per_cpu_second']:,} events per CPU second",
        *([f"  {built['workers']} worker processes (ADR 50), {built['workers_cpu_seconds']} s of"
           f" CPU, the largest's peak RSS {built['worker_peak_rss_mb']} MB"]
          if built["workers"] else []),
        f"  page {built['page_size']} events, flush up to {built['flush_size']:,} events, "
        f"cache {built['cache_size']:,} cases",
    ]
    for name, b in r.get("burst", {}).items():
        runs = b.get("runs_ms")
        of = f", the median of {len(runs)}: {min(runs)}-{max(runs)} ms" if runs else ""
        lines.append(f"  live catch-up of a {b['events']:,}-event burst ({name} cache{of}): "
                     f"{b['ms']} ms (target 100), {b['cpu_ms']} ms of CPU")
    lines += ["  " + described(r["environment"]),
              f"projection {built['events_per_second']} ev/s, select_notifications "
              f"{sel['events_per_second']} ev/s, ratio {ratio:.2f}"]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
