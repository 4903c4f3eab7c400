"""Benchmark of `arrears verify` (the hash chain of every case) and `arrears export`.

    .venv/bin/python -m bench.verify --events 200000        # both, about 20,000 cases
    .venv/bin/python -m bench.verify --events 20000 --profile   # a quick look, with cProfile
    .venv/bin/python -m bench.verify --events 1000000 --jobs 1  # verify in one process

1. Generates (once, reused) the seeded data set of bench/dataset.py into var/bench-views/ (the
   folder bench.views uses for the same --cases), about 10 events per case.
2. Runs each measurement in a child process of its own, so its peak RSS is its own: `verify`
   as the CLI runs it (every case's chain, its sealed snapshots; in one worker process per
   core for a store of 100,000 events or more unless --jobs says otherwise, ADR 43) and
   `export` to a JSON Lines file in var/ (as `arrears export --out FILE.jsonl`).
3. Prints events per second and peak RSS for each, against the targets of issue 16
   (verify >= 200,000 ev/s, export >= 100,000 ev/s); with --profile, the top of cProfile's
   cumulative listing goes to bench/results/verify-profile.txt.
Results go to bench/results/verify.json and verify.txt (with the command and load average).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from application.workers import prestart

if __name__ == "__main__" and sys.argv[1:3] == ["--child", "verify"]:
    prestart()  # as `arrears verify` does, before its own imports (cli/__init__.py)

from application.bootstrap import build  # noqa: E402
from application.clock import FixedClock  # noqa: E402
from bench.conditions import described, environment  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
TARGETS = {"verify": 200_000, "export": 100_000}


def prepare(cases: int, seed: int) -> tuple[Path, dict[str, Any]]:
    from bench.views import prepare as generate  # the same folder and data set as bench.views

    return generate(argparse.Namespace(cases=cases, events_per_case=10, seed=seed))


def run_verify(url: str, jobs: int | None) -> dict[str, Any]:
    from application.evidence.verify import verify_store

    svc = build(url, clock=FixedClock()).service
    started = time.perf_counter()
    ranges = svc.verify_ranges(jobs)  # as `arrears verify [--jobs N]` chooses
    report = verify_store(svc.chain_recorder, svc.chain_recorder.canonical,
                          snapshots=svc.snapshot_check(), ranges=ranges)
    seconds = time.perf_counter() - started
    if not report.ok:
        raise RuntimeError(f"the bench store does not verify: {report.as_dict()}")
    return {"events": report.events, "cases": report.cases, "seconds": seconds,
            "jobs": ranges.jobs if ranges else 1}


def run_export(url: str, out: Path) -> dict[str, Any]:
    from application.transfer.export import export_store

    svc = build(url, clock=FixedClock()).service
    started = time.perf_counter()
    with out.open("w", encoding="utf-8") as f:
        done = export_store(svc, f)
    seconds = time.perf_counter() - started
    return {"events": done.events, "cases": done.cases, "seconds": seconds,
            "bytes": out.stat().st_size}


def child(kind: str, folder: Path, profile: bool, url: str | None, jobs: int | None) -> None:
    """One measurement in this process; prints its figures as JSON on the last line."""
    url = url or f"sqlite:///{folder}/events.db"
    build(url, clock=FixedClock()).service.close()  # the tables exist, the imports are warm
    profiler = cProfile.Profile() if profile else None
    if profiler:
        profiler.enable()
    done = run_verify(url, jobs) if kind == "verify" else run_export(url, folder / "export.jsonl")
    if profiler:
        profiler.disable()
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).sort_stats("tottime").print_stats(25)
        (RESULTS / f"{kind}-profile.txt").write_text(text.getvalue())
    done["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    # The largest of the workers', when verify ran in several processes (each has its own).
    done["peak_rss_mb_workers"] = round(
        resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)
    print(json.dumps(done))


def measure(kind: str, folder: Path, profile: bool, url: str | None, jobs: int | None
            ) -> dict[str, Any]:
    command = [sys.executable, "-m", "bench.verify", "--child", kind, "--folder", str(folder)]
    if profile:
        command.append("--profile")
    if jobs is not None:
        command += ["--jobs", str(jobs)]
    if url:
        command += ["--url", url]
    found = subprocess.run(command, cwd=ROOT, check=True, capture_output=True, text=True)
    done = json.loads(found.stdout.strip().splitlines()[-1])
    done["events_per_second"] = round(done["events"] / done["seconds"])
    done["seconds"] = round(done["seconds"], 2)
    done["target"] = TARGETS[kind]
    done["met"] = done["events_per_second"] >= TARGETS[kind]
    return done


def report(args: argparse.Namespace, meta: dict[str, Any],
           results: dict[str, dict[str, Any]], env: dict[str, Any]) -> str:
    where = f"--url {args.url}" if args.url else (
        f"--events {args.events} ({meta['cases']:,} cases, {meta['events']:,} events in the "
        "store)")
    lines = [f"bench/verify.py {where}"
             + (" with cProfile (slower)" if args.profile else ""), described(env)]
    for kind, r in results.items():
        verdict = "met" if r["met"] else "not met"
        jobs = f" in {r['jobs']} processes" if r.get("jobs", 1) > 1 else ""
        workers = f" (each worker's at most {r['peak_rss_mb_workers']} MB)" if jobs else ""
        lines.append(f"{kind}{jobs}: {r['events']:,} events of {r['cases']:,} cases in "
                     f"{r['seconds']} s = {r['events_per_second']:,} ev/s (target "
                     f"{r['target']:,}: {verdict}), peak RSS {r['peak_rss_mb']} MB{workers}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=200_000,
                        help="about how many events the data set holds (10 per case)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--only", choices=sorted(TARGETS), help="measure only one of them")
    parser.add_argument("--profile", action="store_true", help="cProfile each measurement")
    parser.add_argument("--name", default="verify", help="results file name (bench/results/)")
    parser.add_argument("--url", help="measure this store instead (e.g. a PostgreSQL schema "
                        "filled by bench.server: ...?schema=bench_server); --events is unused")
    parser.add_argument("--jobs", type=int, help="verify's processes, as `arrears verify --jobs "
                        "N` (default: as arrears verify chooses: one per core for a big store)")
    parser.add_argument("--child", choices=sorted(TARGETS), help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.folder, args.profile, args.url, args.jobs)
        return
    load = os.getloadavg()
    if args.url:
        folder, meta = ROOT / "var" / "bench-verify-url", {"cases": 0, "events": 0, "url": args.url}
        folder.mkdir(parents=True, exist_ok=True)
    else:
        folder, meta = prepare(max(1, args.events // 10), args.seed)
    results = {kind: measure(kind, folder, args.profile, args.url, args.jobs)
               for kind in ([args.only] if args.only else sorted(TARGETS, reverse=True))}
    env = environment(load, command=" ".join(["python -m bench.verify", *sys.argv[1:]]))
    text = report(args, meta, results, env)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{args.name}.json").write_text(json.dumps(
        {"conditions": env, "data_set": meta, "results": results}, indent=2) + "\n")
    (RESULTS / f"{args.name}.txt").write_text(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
