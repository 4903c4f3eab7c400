"""Events appended per second through CaseService on a SQLite file, beside raw sqlite3.

    .venv/bin/python bench/append.py --events 5000 --cases 100 --seed 1 --repeat 3

Arrears side: open --cases cases, then commands round by round (cases in a seeded random
order each round) until --events events are stored. Each command is what real use does:
load the case, command it, save it, one commit per command.

Raw side: the very rows the Arrears side stored (same ids, versions, topics and state bytes),
inserted one row per commit with plain sqlite3 into a table of the same shape, in the same
directory, with the journal mode and synchronous setting the library's connection reported.

A third pass, on a fresh file with the same seed, times the parts of each command (load,
command, save and what is inside them); it is kept apart so its timers cannot slow the
headline figure. --profile adds a cProfile of the Arrears side.

With --writers N, the concurrent mode instead (bench/writers.py): N writer threads through
CaseService (group-committed, ADR 35) beside raw one-row-per-commit inserts from N threads;
its last line is `ratio X.XX`.
"""

from __future__ import annotations

import argparse
import cProfile
import inspect
import io
import json
import os
import pstats
import random
import sqlite3
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

import workload
from conditions import described, environment
from eventsourcing import sqlite as es_sqlite

from application.commands import Recorded
from application.service import CaseService

ROOT = Path(__file__).resolve().parent.parent
SYNCHRONOUS = {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}
ACTOR = "bench"


def remove_db(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def open_service(path: Path) -> CaseService:
    remove_db(path)
    return CaseService(f"sqlite:///{path}", clock=workload.clock())


def library_pragmas(service: CaseService) -> dict[str, Any]:
    """What the library's SQLite connections run with (asked on one from its pool)."""
    with service.recorder.datastore.transaction(commit=False) as cursor:
        cursor.execute("PRAGMA journal_mode")
        journal = cursor.fetchone()[0]
        cursor.execute("PRAGMA synchronous")
        synchronous = cursor.fetchone()[0]
    return {"journal_mode": journal.upper(), "synchronous": SYNCHRONOUS[synchronous]}


def synchronous_source() -> str:
    """Whether the library sets PRAGMA synchronous itself, read from its source."""
    if "synchronous" in inspect.getsource(es_sqlite).lower():
        return "set by eventsourcing.sqlite"
    with closing(sqlite3.connect(":memory:")) as db:
        options = db.execute("PRAGMA compile_options").fetchall()
    defaults = [o[0] for o in options if "SYNCHRONOUS" in o[0]]
    return ("not set by eventsourcing.sqlite: the linked SQLite's compile-time default ("
            + ", ".join(defaults) + "; 2 = FULL)")


def plan(cases: int, events: int) -> int:
    """Commands per case so that cases + commands == events."""
    if events < cases * 2 or events % cases:
        raise SystemExit(f"--events must be a multiple of --cases ({cases}), at least twice it")
    return events // cases - 1


def drive(service: CaseService, cases: int, rounds: int, seed: int,
          step: Callable[..., None] | None = None,
          after_open: Callable[[], None] | None = None) -> dict[str, float]:
    """Open the cases, then run the rounds of commands; return the time of each phase."""
    rng = random.Random(seed)
    clock = service.clock
    started = time.perf_counter()
    ids = []
    for n in range(cases):
        clock.advance(seconds=1)
        ids.append(service.handle(workload.opening(ACTOR, workload.invoice(n, rng))).case_id)
    if after_open is not None:
        after_open()
    opened = time.perf_counter()
    for _ in range(rounds):
        order = list(ids)
        rng.shuffle(order)
        for case_id in order:
            clock.advance(seconds=1)
            name, fields = workload.command(rng, clock.today())
            if step is None:
                service.handle(workload.case_command(case_id, name, ACTOR, fields))
            else:
                step(case_id, name, fields)
    finished = time.perf_counter()
    return {"open_s": opened - started, "commands_s": finished - opened,
            "total_s": finished - started}


def stored_rows(path: Path) -> list[tuple[str, int, str, bytes]]:
    with closing(sqlite3.connect(path)) as db:
        return db.execute("SELECT originator_id, originator_version, topic, state "
                          "FROM stored_events ORDER BY rowid").fetchall()


def raw_inserts(path: Path, rows: list[tuple[str, int, str, bytes]],
                journal_mode: str, synchronous: str, read_first: bool = False) -> dict[str, Any]:
    """The same rows, one per commit, the way the library commits (BEGIN ... COMMIT).

    With `read_first`, each insert is preceded by the read a command needs before it writes
    (the case's rows newer than the version last seen), in its own read transaction.
    """
    remove_db(path)
    db = sqlite3.connect(path, isolation_level=None)
    mode = db.execute(f"PRAGMA journal_mode={journal_mode}").fetchone()[0].upper()
    db.execute(f"PRAGMA synchronous={synchronous}")
    sync = SYNCHRONOUS[db.execute("PRAGMA synchronous").fetchone()[0]]
    db.execute("CREATE TABLE stored_events (originator_id TEXT, originator_version INTEGER, "
               "topic TEXT, state BLOB, PRIMARY KEY (originator_id, originator_version))")
    insert = "INSERT INTO stored_events VALUES (?,?,?,?)"
    started = time.perf_counter()
    newer = ("SELECT * FROM stored_events WHERE originator_id=? AND originator_version>? "
             "ORDER BY originator_version")
    for row in rows:
        if read_first:
            db.execute("BEGIN")
            db.execute(newer, (row[0], row[1] - 1)).fetchall()
            db.execute("ROLLBACK")
        db.execute("BEGIN")
        db.execute(insert, row)
        db.execute("COMMIT")
    elapsed = time.perf_counter() - started
    db.close()
    return {"journal_mode": mode, "synchronous": sync, "total_s": elapsed}


# -- where the time goes ---------------------------------------------------------------------

class Timers:
    """Wall time spent in named calls, summed."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)

    def wrap(self, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.seconds[name] += time.perf_counter() - started
        return timed


def breakdown(path: Path, cases: int, rounds: int, seed: int) -> dict[str, Any]:
    """Time load / command / save of every command, and the library calls inside them."""
    service = open_service(path)
    timers = Timers()
    recorder, mapper = service.recorder, service.mapper
    recorder.select_events = timers.wrap("select", recorder.select_events)
    recorder.select_chain = timers.wrap("select", recorder.select_chain)  # events + hashes
    canonical = recorder.canonical
    canonical.bytes_of = timers.wrap("chain", canonical.bytes_of)
    # The save's way in: the group committer (ADR 35), which runs the batch's transaction.
    recorder.committer.submit = timers.wrap("insert", recorder.committer.submit)
    mapper.to_domain_event = timers.wrap("decode", mapper.to_domain_event)
    mapper.to_stored_event = timers.wrap("encode", mapper.to_stored_event)
    commit = es_sqlite.SQLiteConnection.commit
    es_sqlite.SQLiteConnection.commit = timers.wrap("commit", commit)

    def step(case_id: Any, name: str, fields: dict[str, Any]) -> None:
        t0 = time.perf_counter()
        case = service._cached(case_id)  # what CaseService.execute loads
        t1 = time.perf_counter()
        before = case.version
        workload.case_command(case_id, name, ACTOR, fields).run(
            case, service._stamp(ACTOR, None))
        t2 = time.perf_counter()
        service._save(case, None, Recorded(case_id, case.invoice_number, before + 1,
                                           case.version))
        t3 = time.perf_counter()
        timers.seconds["load"] += t1 - t0
        timers.seconds["command"] += t2 - t1
        timers.seconds["save"] += t3 - t2

    try:
        # Opening is left out: the breakdown is of commands on existing cases.
        phases = drive(service, cases, rounds, seed, step, after_open=timers.seconds.clear)
    finally:
        es_sqlite.SQLiteConnection.commit = commit
    s = timers.seconds
    commands = cases * rounds
    parts = {
        "load: select rows (SQL)": s["select"],
        "load: decode events (JSON, transcodings, upcast check, event objects)": s["decode"],
        "load: rest (cache, fast-forward, replay when not cached)":
            s["load"] - s["select"] - s["decode"],
        "command: validate and record the event": s["command"],
        "save: encode event (transcodings, JSON)": s["encode"],
        "save: chain the event (canonical JSON, SHA-256)": s["chain"],
        "save: insert rows (SQL: event, hash)": s["insert"] - s["commit"] - s["chain"],
        "save: commit (WAL write and fsync)": s["commit"],
        "save: rest (collect events, notify)": s["save"] - s["insert"] - s["encode"],
        "driver: clock and workload": phases["commands_s"] - s["load"] - s["command"] - s["save"],
    }
    total = phases["commands_s"]
    return {
        "commands": commands,
        "per_command_us": {k: round(v / commands * 1e6, 1) for k, v in parts.items()},
        "share": {k: round(v / total, 3) for k, v in parts.items()},
        "commands_s": round(total, 3),
    }


def profile(path: Path, cases: int, rounds: int, seed: int, top: int = 25) -> str:
    service = open_service(path)
    profiler = cProfile.Profile()
    profiler.enable()
    drive(service, cases, rounds, seed)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(top)
    return out.getvalue()


# -- main -------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=5000, help="events to store in all")
    parser.add_argument("--cases", type=int, default=100, help="cases to open first")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--dir", type=Path, default=ROOT / "var" / "bench",
                        help="where the SQLite files go (both sides in the same directory)")
    parser.add_argument("--out", type=Path, default=None,
                        help="the results file (default bench/results/append.json, or "
                             "append-writers-N[-postgres].json with --writers)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of each side, interleaved; medians are reported")
    parser.add_argument("--profile", action="store_true", help="also write a cProfile")
    parser.add_argument("--writers", type=int, default=None,
                        help="the concurrent mode (bench/writers.py): N writer threads, "
                             "beside raw one-row-per-commit inserts from N threads")
    parser.add_argument("--commands", type=int, default=4000,
                        help="with --writers: commands in all, after the cases are opened")
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite",
                        help="with --writers: the store (postgres: --url, else "
                             "ARREARS_TEST_POSTGRES_URL)")
    parser.add_argument("--url", default=None, help="with --database postgres: the server")
    args = parser.parse_args(argv)
    if args.writers is not None:
        import writers

        return writers.run(args, ROOT)
    args.out = args.out or ROOT / "bench" / "results" / "append.json"
    rounds = plan(args.cases, args.events)
    args.dir.mkdir(parents=True, exist_ok=True)
    lib_path, raw_path = args.dir / "append-arrears.db", args.dir / "append-raw.db"

    load_before = os.getloadavg()
    arrears_runs, raw_runs, read_runs = [], [], []
    for _ in range(args.repeat):  # interleaved, so a burst of load hits both sides alike
        service = open_service(lib_path)
        pragmas = library_pragmas(service)
        arrears_runs.append(drive(service, args.cases, rounds, args.seed))
        service.close()
        rows = stored_rows(lib_path)
        if len(rows) != args.events:
            raise SystemExit(f"expected {args.events} stored events, found {len(rows)}")
        raw = raw_inserts(raw_path, rows, pragmas["journal_mode"], pragmas["synchronous"])
        raw_runs.append(raw)
        read_runs.append(raw_inserts(raw_path, rows, pragmas["journal_mode"],
                                     pragmas["synchronous"], read_first=True))
    state_bytes = sum(len(r[3]) for r in rows)
    topic_bytes = sum(len(r[2]) for r in rows)

    arrears = {k: statistics.median(run[k] for run in arrears_runs) for k in arrears_runs[0]}
    arrears_eps = args.events / arrears["total_s"]
    raw_eps = args.events / statistics.median(run["total_s"] for run in raw_runs)
    read_eps = args.events / statistics.median(run["total_s"] for run in read_runs)
    parts = breakdown(args.dir / "append-breakdown.db", args.cases, rounds, args.seed)

    result = {
        "command": "bench/append.py " + " ".join(
            f"--{k} {v}" for k, v in (("events", args.events), ("cases", args.cases),
                                      ("seed", args.seed), ("repeat", args.repeat)))
                   + (" (python -O)" if sys.flags.optimize else ""),
        "events": args.events,
        "cases": args.cases,
        "commands_per_case": rounds,
        "avg_state_bytes": round(state_bytes / len(rows), 1),
        "avg_topic_bytes": round(topic_bytes / len(rows), 1),
        "arrears": {
            "events_per_s": round(arrears_eps, 1),
            "open_events_per_s": round(args.cases / arrears["open_s"], 1),
            "command_events_per_s": round(args.cases * rounds / arrears["commands_s"], 1),
            "total_s": round(arrears["total_s"], 3),
            "runs_events_per_s": [round(args.events / r["total_s"], 1) for r in arrears_runs],
            "sqlite": pragmas,
            "synchronous_source": synchronous_source(),
        },
        "raw_sqlite3": {
            "events_per_s": round(raw_eps, 1),
            "total_s": round(args.events / raw_eps, 3),
            "runs_events_per_s": [round(args.events / r["total_s"], 1) for r in raw_runs],
            "sqlite": {"journal_mode": raw["journal_mode"], "synchronous": raw["synchronous"]},
        },
        "raw_sqlite3_read_then_insert": {
            "events_per_s": round(read_eps, 1),
            "runs_events_per_s": [round(args.events / r["total_s"], 1) for r in read_runs],
        },
        "raw_over_arrears": round(raw_eps / arrears_eps, 2),
        "ratio": round(arrears_eps / raw_eps, 2),
        "ratio_to_read_then_insert": round(arrears_eps / read_eps, 2),
        "breakdown": parts,
        "environment": environment(load_before, directory=str(args.dir)),
    }
    for path in (lib_path, raw_path, args.dir / "append-breakdown.db"):
        remove_db(path)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    summary = text_summary(result)
    args.out.with_suffix(".txt").write_text(summary)
    print(summary, end="")
    if args.profile:
        report = profile(args.dir / "append-profile.db", args.cases, rounds, args.seed)
        remove_db(args.dir / "append-profile.db")
        profile_path = args.out.with_name("append-profile.txt")
        profile_path.write_text(report)
        print(f"profile: {profile_path}")
    return result


def text_summary(r: dict[str, Any]) -> str:
    a, raw = r["arrears"], r["raw_sqlite3"]
    lines = [
        f"{r['command']}",
        f"{r['events']} events: {r['cases']} cases opened, then {r['commands_per_case']} "
        f"commands each (load, command, save; one commit per command)",
        f"stored event: {r['avg_state_bytes']} bytes of state, {r['avg_topic_bytes']} of topic "
        "(average)",
        f"Arrears (CaseService): {a['events_per_s']:>9,.0f} events/s  "
        f"[{a['sqlite']['journal_mode']}, synchronous={a['sqlite']['synchronous']}]  "
        f"runs: {', '.join(f'{x:,.0f}' for x in a['runs_events_per_s'])}",
        f"raw sqlite3 inserts:   {raw['events_per_s']:>9,.0f} events/s  "
        f"[{raw['sqlite']['journal_mode']}, synchronous={raw['sqlite']['synchronous']}]  "
        f"runs: {', '.join(f'{x:,.0f}' for x in raw['runs_events_per_s'])}",
        f"raw sqlite3, read then insert: {r['raw_sqlite3_read_then_insert']['events_per_s']:>6,.0f}"
        " events/s  (the read a command needs before it writes, then the insert)",
        f"ratio Arrears / raw inserts: {r['ratio']}  (raw / Arrears: {r['raw_over_arrears']}x); "
        f"Arrears / raw read-then-insert: {r['ratio_to_read_then_insert']}",
        described(r["environment"]),
        "per command (separate timed run), microseconds:",
    ]
    for name, us in r["breakdown"]["per_command_us"].items():
        share = r["breakdown"]["share"][name]
        lines.append(f"  {us:>8.1f}  {share:>6.1%}  {name}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
