"""Benchmark of the web app under a real server: concurrent clients mixing reads and writes.

    .venv/bin/python -m bench.server --server waitress --clients 16        # SQLite
    .venv/bin/python -m bench.server --server gunicorn --clients 16        # PostgreSQL
    .venv/bin/python -m bench.server --server waitress --seconds 10 --warmup 2 --cases 500  # a look

1. A store of --cases seeded cases (bench/dataset.py, about 10 events each) with its read
   models: SQLite, a fresh copy in var/bench-server/ of the bench.views data set; PostgreSQL
   (--database postgres, the default under gunicorn), a fresh schema `bench_server` in
   ARREARS_BENCH_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/test).
2. A collector user and an API token made with the CLI (`arrears users add`, `users token`).
3. The real server in its own process: waitress (`--threads`, default 16) or gunicorn with
   deploy/gunicorn.conf.py (`--workers`, default as that file: 2 x CPUs + 1, at most 8).
4. --clients threads, each signed in with its own session (the login form and its CSRF
   token), run a mix for --warmup seconds (not counted), then for --seconds: the case list,
   a case page, the dashboard, a note written through the API
   (`POST /api/v1/cases/ID/add_note`, bearer token, a new Idempotency-Key each), and
   /healthz, each client on a keep-alive connection of its own.
5. Prints, per view, requests, throughput and median / p95 / p99 in ms beside /healthz of
   the same run, and the whole run's requests per second. Any answer other than the view's
   expected status (a write may also lose a race: 409) fails the run.
Results go to bench/results/server-SERVER.json and .txt with the command and load average.
The clients run in this process (Python threads), on the same machine as the server: on 2
cores they take a share of the CPU, so the figures are the server's under that load.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from bench.conditions import described, environment
from bench.serving import Client, Store, prepare_store, start_server, stop_server

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
# view name: (weight in the mix, expected statuses)
MIX: dict[str, tuple[int, set[int]]] = {
    "case list": (3, {200}), "case page": (3, {200}), "dashboard": (1, {200}),
    "add note (API)": (2, {201, 409}), "healthz": (1, {200}),
}


def one(client: Client, view: str, case_id: str) -> int:
    if view == "case list":
        return client.get("/cases")
    if view == "case page":
        return client.get(f"/cases/{case_id}")
    if view == "dashboard":
        return client.get("/dashboard")
    if view == "healthz":
        return client.get("/healthz")
    return client.write_note(case_id)


def run_client(port: int, store: Store, warmup: float, seconds: float,
               seed: int) -> list[tuple[str, int, float]]:
    """Sign in, run the mix for `warmup` seconds (not counted), then for `seconds`."""
    rng = random.Random(seed)
    client = Client(port, store.token)
    client.sign_in(store.user, store.password)
    views = [v for v, (weight, _) in MIX.items() for _ in range(weight)]
    done: list[tuple[str, int, float]] = []
    start = time.monotonic()
    counted, deadline = start + warmup, start + warmup + seconds
    while (now := time.monotonic()) < deadline:
        view = rng.choice(views)
        started = time.perf_counter()
        status = one(client, view, rng.choice(store.case_ids))
        if now >= counted:
            done.append((view, status, time.perf_counter() - started))
    client.close()
    return done


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(round(q * len(ordered))) - 1)]


def summarise(results: list[tuple[str, int, float]], seconds: float) -> dict[str, Any]:
    bad = [(v, s) for v, s, _ in results if s not in MIX[v][1]]
    if bad:
        raise RuntimeError(f"{len(bad)} unexpected answers, e.g. {bad[0]}")
    views: dict[str, Any] = {}
    for view in MIX:
        ms = [t * 1000 for v, _, t in results if v == view]
        if ms:
            views[view] = {"requests": len(ms), "per_second": round(len(ms) / seconds, 1),
                           "median_ms": round(statistics.median(ms), 1),
                           "p95_ms": round(percentile(ms, 0.95), 1),
                           "p99_ms": round(percentile(ms, 0.99), 1),
                           "conflicts": sum(1 for v, s, _ in results if v == view and s == 409)}
    base = views.get("healthz", {}).get("p95_ms") or 0
    for figures in views.values():
        figures["p95_to_healthz"] = round(figures["p95_ms"] / base, 1) if base else None
    return {"requests": len(results), "per_second": round(len(results) / seconds, 1),
            "views": views}


def report(args: argparse.Namespace, store: Store, done: dict[str, Any],
           env: dict[str, Any]) -> str:
    lines = [f"bench/server.py --server {args.server} --clients {args.clients} on "
             f"{store.database} ({len(store.case_ids):,} cases, {store.events:,} events), "
             f"{store.processes}, {args.seconds} s counted after {args.warmup} s",
             described(env),
             f"all: {done['requests']:,} requests, {done['per_second']} per second",
             f"{'view':<16}{'requests':>9}{'per s':>8}{'median ms':>11}{'p95 ms':>9}"
             f"{'p99 ms':>9}{'p95/healthz':>13}"]
    for view, f in done["views"].items():
        lines.append(f"{view:<16}{f['requests']:>9}{f['per_second']:>8}{f['median_ms']:>11}"
                     f"{f['p95_ms']:>9}{f['p99_ms']:>9}{f['p95_to_healthz']!s:>13}")
    notes = done["views"].get("add note (API)", {}).get("conflicts")
    if notes:
        lines.append(f"writes that lost a race on their case (409, reload): {notes}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--server", choices=("waitress", "gunicorn"), default="waitress")
    parser.add_argument("--database", choices=("sqlite", "postgres"),
                        help="default: sqlite under waitress, postgres under gunicorn")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--warmup", type=float, default=10,
                        help="seconds of the mix before counting (workers start, caches fill)")
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--threads", type=int, default=16, help="waitress threads")
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: its conf)")
    parser.add_argument("--name", help="results file name (default server-SERVER)")
    args = parser.parse_args()
    args.database = args.database or ("postgres" if args.server == "gunicorn" else "sqlite")
    load = os.getloadavg()
    store = prepare_store(args.database, args.cases)
    server, port = start_server(args, store)
    try:
        with ThreadPoolExecutor(args.clients) as pool:
            runs = list(pool.map(lambda n: run_client(port, store, args.warmup, args.seconds,
                                                      n), range(args.clients)))
        seconds = args.seconds
    finally:
        stop_server(server)
    done = summarise([r for run in runs for r in run], seconds)
    env = environment(load, command=" ".join(["python -m bench.server", *sys.argv[1:]]),
                      server=store.processes, database=store.database)
    text = report(args, store, done, env)
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = args.name or f"server-{args.server}"
    (RESULTS / f"{name}.json").write_text(json.dumps(
        {"conditions": env, "cases": len(store.case_ids), "events": store.events,
         "clients": args.clients, "seconds": round(seconds, 1), "results": done},
        indent=2) + "\n")
    (RESULTS / f"{name}.txt").write_text(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
