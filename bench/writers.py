"""Concurrent appends: N writer threads through CaseService, beside raw one-row-per-commit.

    .venv/bin/python bench/append.py --writers 16 --commands 4000 --cases 400
    .venv/bin/python bench/append.py --writers 16 --database postgres

Arrears side: --cases cases are opened (one thread, not timed), then N threads issue
--commands commands between them, each thread on its own share of the cases, every command
through `CaseService.handle` (lock, fast-forward, run, save). Saves arriving together are
group-committed (ADR 35); each command returns only once its save is committed.

Raw side: the very rows the Arrears side stored, inserted by the same number of threads, one
row per transaction (BEGIN, INSERT, COMMIT), with the library's journal mode and synchronous
setting on SQLite, into a table of the same shape. Two raw runs: the threads contending (on
SQLite its busy handler, on PostgreSQL the server's own grouping of concurrent commits), and
the threads taking turns under one lock (no busy-handler sleeps). The better of the two is
the per-commit figure the ratio is taken against.

The last line printed is `ratio X.XX`: Arrears commands/s over raw inserts/s.
"""

from __future__ import annotations

import os
import random
import sqlite3
import threading
import time
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any
from uuid import UUID

import workload
from conditions import described, environment, save_results

from application.service import CaseService

ACTOR = "bench"
Row = tuple[Any, int, str, bytes]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def in_threads(count: int, work: Callable[[int], list[float]]) -> tuple[float, list[float]]:
    """Run work(n) in `count` threads started together; the wall time and all latencies."""
    barrier = threading.Barrier(count + 1)
    latencies: list[list[float]] = [[] for _ in range(count)]
    errors: list[BaseException] = []

    def run(n: int) -> None:
        barrier.wait()
        try:
            latencies[n] = work(n)
        except BaseException as error:  # reported after the join
            errors.append(error)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise errors[0]
    return elapsed, [x for part in latencies for x in part]


def figures(count: int, elapsed: float, latencies: list[float]) -> dict[str, float]:
    return {"count": count, "seconds": round(elapsed, 3),
            "per_s": round(count / elapsed, 1),
            "p50_ms": round(percentile(latencies, 0.50) * 1000, 3),
            "p99_ms": round(percentile(latencies, 0.99) * 1000, 3)}


# -- Arrears ----------------------------------------------------------------------------------

def arrears_side(url: str, writers: int, cases: int, commands: int,
                 seed: int) -> dict[str, Any]:
    service = CaseService(url, clock=workload.clock())
    try:
        rng = random.Random(seed)
        ids = [service.handle(workload.opening(ACTOR, workload.invoice(n, rng))).case_id
               for n in range(cases)]
        plans = [_plan(ids[w::writers], commands // writers, rng) for w in range(writers)]
        committer = service.chain_recorder.committer
        batches, saves = committer.batches, committer.saves

        def work(n: int) -> list[float]:
            latencies = []
            for command in plans[n]:
                started = time.perf_counter()
                service.handle(command)
                latencies.append(time.perf_counter() - started)
            return latencies

        elapsed, latencies = in_threads(writers, work)
        done = sum(len(p) for p in plans)
        result = figures(done, elapsed, latencies)
        commits = committer.batches - batches
        result.update(commits=commits,
                      saves_per_commit=round((committer.saves - saves) / max(commits, 1), 2))
        return result
    finally:
        service.close()


def _plan(ids: list[UUID], count: int, rng: random.Random) -> list[Any]:
    today = workload.clock().today()
    plan = []
    for n in range(count):
        name, fields = workload.command(rng, today)
        plan.append(workload.case_command(ids[n % len(ids)], name, ACTOR, fields))
    return plan


# -- raw, SQLite ------------------------------------------------------------------------------

def sqlite_rows(path: Path) -> list[Row]:
    with closing(sqlite3.connect(path)) as db:
        return db.execute("SELECT originator_id, originator_version, topic, state "
                          "FROM stored_events ORDER BY rowid").fetchall()


def raw_sqlite(path: Path, rows: list[Row], writers: int, journal: str, synchronous: str,
               turns: bool) -> dict[str, Any]:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    with closing(sqlite3.connect(path, isolation_level=None)) as db:
        db.execute(f"PRAGMA journal_mode={journal}")
        db.execute("CREATE TABLE stored_events (originator_id TEXT, originator_version "
                   "INTEGER, topic TEXT, state BLOB, PRIMARY KEY (originator_id, "
                   "originator_version))")
    turn = threading.Lock() if turns else None
    shares = [rows[w::writers] for w in range(writers)]

    def work(n: int) -> list[float]:
        db = sqlite3.connect(path, isolation_level=None, timeout=60, check_same_thread=False)
        db.execute(f"PRAGMA synchronous={synchronous}")
        latencies = []
        for row in shares[n]:
            started = time.perf_counter()
            if turn is not None:
                with turn:
                    _insert_sqlite(db, row)
            else:
                _insert_sqlite(db, row)
            latencies.append(time.perf_counter() - started)
        db.close()
        return latencies

    return figures(len(rows), *in_threads(writers, work))


def _insert_sqlite(db: sqlite3.Connection, row: Row) -> None:
    db.execute("BEGIN IMMEDIATE")
    db.execute("INSERT INTO stored_events VALUES (?,?,?,?)", row)
    db.execute("COMMIT")


# -- raw, PostgreSQL --------------------------------------------------------------------------

def postgres_rows(url: str, schema: str) -> list[Row]:
    import psycopg

    with psycopg.connect(url) as db:
        return db.execute(f'SELECT originator_id, originator_version, topic, state FROM '
                          f'"{schema}".arrears_events ORDER BY notification_id').fetchall()


def raw_postgres(url: str, schema: str, rows: list[Row], writers: int,
                 turns: bool) -> dict[str, Any]:
    import psycopg

    with psycopg.connect(url, autocommit=True) as db:
        db.execute(f'DROP TABLE IF EXISTS "{schema}".raw_events')
        db.execute(f'CREATE TABLE "{schema}".raw_events (notification_id bigserial, '
                   "originator_id uuid, originator_version bigint, topic text, state bytea, "
                   "PRIMARY KEY (originator_id, originator_version))")
    turn = threading.Lock() if turns else None
    shares = [rows[w::writers] for w in range(writers)]
    insert = f'INSERT INTO "{schema}".raw_events (originator_id, originator_version, ' \
             "topic, state) VALUES (%s,%s,%s,%s)"

    def work(n: int) -> list[float]:
        latencies = []
        with psycopg.connect(url) as db:
            for row in shares[n]:
                started = time.perf_counter()
                if turn is not None:
                    with turn:
                        db.execute(insert, row, prepare=True)
                        db.commit()
                else:
                    db.execute(insert, row, prepare=True)
                    db.commit()
                latencies.append(time.perf_counter() - started)
        return latencies

    return figures(len(rows), *in_threads(writers, work))


def fresh_schema(url: str, schema: str) -> str:
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    with psycopg.connect(url, autocommit=True) as db:
        db.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        db.execute(f'CREATE SCHEMA "{schema}"')
    return urlunsplit(urlsplit(url)._replace(query=f"schema={schema}"))


# -- the run ----------------------------------------------------------------------------------

def run(args: Any, root: Path) -> dict[str, Any]:
    """The concurrent mode of bench/append.py (see the module's doc)."""
    load_before = os.getloadavg()
    if args.commands % args.writers:
        raise SystemExit("--commands must be a multiple of --writers")
    if args.database == "postgres":
        sides = _postgres_sides(args)
    else:
        sides = _sqlite_sides(args)
    arrears, raws = sides
    best = max(raws.values(), key=lambda r: r["per_s"])
    result = {
        "command": f"bench/append.py --writers {args.writers} --commands {args.commands} "
                   f"--cases {args.cases} --seed {args.seed} --database {args.database}",
        "writers": args.writers, "database": args.database,
        "arrears": arrears, "raw": raws,
        "ratio": round(arrears["per_s"] / best["per_s"], 2),
        "environment": environment(load_before),
    }
    out = args.out if args.out is not None else root / "bench" / "results" / (
        f"append-writers-{args.writers}"
        + ("-postgres" if args.database == "postgres" else "") + ".json")
    save_results(out, result, text_summary(result))
    return result


def _sqlite_sides(args: Any) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    from append import library_pragmas, open_service, remove_db

    args.dir.mkdir(parents=True, exist_ok=True)
    lib, raw = args.dir / "writers-arrears.db", args.dir / "writers-raw.db"
    probe = open_service(lib)
    pragmas = library_pragmas(probe)
    probe.close()
    remove_db(lib)
    arrears = arrears_side(f"sqlite:///{lib}", args.writers, args.cases, args.commands,
                           args.seed)
    arrears["sqlite"] = pragmas
    rows = sqlite_rows(lib)[args.cases:]  # the commands' events (the openings came first)
    if len(rows) != args.commands:
        raise SystemExit(f"expected {args.commands} commands' events, found {len(rows)}")
    raws = {name: raw_sqlite(raw, rows, args.writers, pragmas["journal_mode"],
                             pragmas["synchronous"], turns)
            for name, turns in (("contending", False), ("taking_turns", True))}
    for path in (lib, raw):
        remove_db(path)
    return arrears, raws


def _postgres_sides(args: Any) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    base = args.url or os.environ.get("ARREARS_TEST_POSTGRES_URL",
                                      "postgresql://postgres@127.0.0.1:5432/test")
    schema = "arrears_bench_writers"
    url = fresh_schema(base, schema)
    arrears = arrears_side(url, args.writers, args.cases, args.commands, args.seed)
    rows = postgres_rows(base, schema)[args.cases:]
    raws = {name: raw_postgres(base, schema, rows, args.writers, turns)
            for name, turns in (("contending", False), ("taking_turns", True))}
    fresh_schema(base, schema)
    return arrears, raws


def text_summary(r: dict[str, Any]) -> str:
    a = r["arrears"]
    lines = [r["command"],
             f"{r['writers']} writer threads on {r['database']}; commands through "
             "CaseService.handle, group-committed",
             f"Arrears:   {a['per_s']:>9,.0f} commands/s  p50 {a['p50_ms']} ms  p99 "
             f"{a['p99_ms']} ms  ({a['commits']} commits, {a['saves_per_commit']} saves each)"]
    for name, raw in r["raw"].items():
        lines.append(f"raw {name + ':':<13} {raw['per_s']:>9,.0f} inserts/s   p50 "
                     f"{raw['p50_ms']} ms  p99 {raw['p99_ms']} ms  (one row per commit)")
    lines.append(described(r["environment"]))
    lines.append(f"ratio {r['ratio']:.2f}")
    return "\n".join(lines) + "\n"
