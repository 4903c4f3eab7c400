"""Benchmark of the read side: projection catch-up and page latency under concurrent requests.

    .venv/bin/python -m bench.views                      # 100,000 cases, about 1,000,000 events
    .venv/bin/python -m bench.views --cases 2000 --requests 50   # a quick look

1. Generates a seeded data set through CaseService (bench/dataset.py) into var/bench-views/,
   reused by later runs with the same --cases/--events-per-case/--seed.
2. Rebuilds every read model from scratch and reports events per second.
3. Serves the Flask app with waitress (a separate process, --threads), and sends requests from
   --concurrency client threads in this process: case list, filtered list, case page,
   dashboard, each interleaved with the trivial /healthz endpoint of the same server.
   Reports median and p95 latency and the ratio to /healthz.
Results go to bench/results/views.json and views.txt.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from sqlalchemy import select

from application.bootstrap import build
from application.clock import FixedClock
from application.readmodels.tables import case_summary
from bench import dataset

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"


def prepare(args: argparse.Namespace) -> tuple[Path, dict[str, Any]]:
    """Generate the data set once; later runs with the same parameters reuse it."""
    folder = ROOT / "var" / "bench-views" / f"c{args.cases}-e{args.events_per_case}-s{args.seed}"
    folder.mkdir(parents=True, exist_ok=True)
    meta_file = folder / "meta.json"
    if meta_file.exists():
        return folder, json.loads(meta_file.read_text())
    app = build(f"sqlite:///{folder}/events.db", clock=FixedClock())
    started = time.perf_counter()
    events = dataset.generate(app.service, args.cases, args.events_per_case, args.seed,
                              progress=lambda n: print(f"\r  generated {n:,} events",
                                                       end="", flush=True))
    print()
    meta = {"cases": args.cases, "events": events,
            "generate_seconds": round(time.perf_counter() - started, 1)}
    meta_file.write_text(json.dumps(meta))
    return folder, meta


def catch_up(folder: Path) -> dict[str, Any]:
    """Rebuild the read models from scratch; events per second."""
    app = build(f"sqlite:///{folder}/events.db", clock=FixedClock())
    started = time.perf_counter()
    applied = app.projector.rebuild()
    seconds = time.perf_counter() - started
    return {"events": applied, "seconds": round(seconds, 2),
            "events_per_second": round(applied / seconds)}


def sample_case_ids(folder: Path, n: int, seed: int) -> list[str]:
    app = build(f"sqlite:///{folder}/events.db", clock=FixedClock())
    with app.projector.engine.connect() as conn:
        ids = list(conn.execute(select(case_summary.c.case_id)).scalars())
    return random.Random(seed).sample(ids, min(n, len(ids)))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(folder: Path, port: int, threads: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "ARREARS_DATABASE_URL": f"sqlite:///{folder}/events.db",
           "ARREARS_TODAY": dataset.TODAY.isoformat()}
    server = subprocess.Popen(
        [sys.executable, "-m", "waitress", f"--listen=127.0.0.1:{port}", f"--threads={threads}",
         "--call", "web:create_app"], env=env, cwd=ROOT,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if get(port, "/healthz")[0] == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("the server did not start within 60 s")


def get(port: int, path: str) -> tuple[int, float]:
    """One GET on a fresh connection: status and seconds."""
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        return response.status, time.perf_counter() - started
    finally:
        conn.close()


def measure(port: int, paths: list[str], requests: int, concurrency: int) -> dict[str, Any]:
    """`requests` GETs over `paths` (cycled), each followed by a /healthz, concurrently."""
    def one(i: int) -> tuple[int, float, int, float]:
        status, seconds = get(port, paths[i % len(paths)])
        base_status, base = get(port, "/healthz")
        return status, seconds, base_status, base

    with ThreadPoolExecutor(concurrency) as pool:
        results = list(pool.map(one, range(requests)))
    bad = [r for r in results if r[0] != 200 or r[2] != 200]
    if bad:
        raise RuntimeError(f"{len(bad)} requests failed, e.g. status {bad[0][0]} on {paths[0]}")
    page = [r[1] * 1000 for r in results]
    base = [r[3] * 1000 for r in results]
    return {"requests": requests, **stats("page", page), **stats("healthz", base),
            "ratio_median": round(statistics.median(page) / statistics.median(base), 1),
            "ratio_p95": round(p95(page) / p95(base), 1)}


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, int(round(0.95 * len(values))) - 1)]


def stats(name: str, values: list[float]) -> dict[str, float]:
    return {f"{name}_median_ms": round(statistics.median(values), 2),
            f"{name}_p95_ms": round(p95(values), 2)}


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--events-per-case", type=int, default=10)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--requests", type=int, default=200, help="per view")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--threads", type=int, default=4, help="waitress worker threads")
    parser.add_argument("--out", default=str(RESULTS / "views.json"))
    args = parser.parse_args(argv)
    folder, meta = prepare(args)
    print(f"data set: {meta['cases']:,} cases, {meta['events']:,} events in {folder}")
    projection = catch_up(folder)
    print(f"projection catch-up: {projection['events_per_second']:,} events/s")
    ids = sample_case_ids(folder, 500, args.seed)
    views = {
        "case list": ["/cases"],
        "filtered list": ["/cases?bucket=31-60&currency=EUR&sort=outstanding&order=desc",
                          "/cases?stage=reminded&q=debtor+1", "/cases?on_hold=1&bucket=90%2B"],
        "case page": [f"/cases/{i}" for i in ids],
        "dashboard": ["/dashboard"],
    }
    port = free_port()
    server = serve(folder, port, args.threads)
    try:
        latency = {name: measure(port, paths, args.requests, args.concurrency)
                   for name, paths in views.items()}
    finally:
        server.terminate()
        server.wait(10)
    result = {"command": "python -m bench.views " + " ".join(argv or sys.argv[1:]),
              "data_set": meta, "projection": projection, "concurrency": args.concurrency,
              "server_threads": args.threads, "latency": latency, "machine": machine()}
    write(result, Path(args.out))
    return result


def machine() -> dict[str, Any]:
    return {"cpus": os.cpu_count(), "python": sys.version.split()[0]}


def write(result: dict[str, Any], out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    lines = [f"bench/views.py — {result['data_set']['cases']:,} cases, "
             f"{result['data_set']['events']:,} events",
             f"projection catch-up: {result['projection']['events_per_second']:,} events/s "
             f"({result['projection']['seconds']} s)",
             f"{'view':<14} {'median ms':>10} {'p95 ms':>8} {'healthz med':>12} "
             f"{'ratio med':>10} {'ratio p95':>10}"]
    for name, r in result["latency"].items():
        lines.append(f"{name:<14} {r['page_median_ms']:>10} {r['page_p95_ms']:>8} "
                     f"{r['healthz_median_ms']:>12} {r['ratio_median']:>10} {r['ratio_p95']:>10}")
    text = "\n".join(lines) + "\n"
    out.with_suffix(".txt").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
