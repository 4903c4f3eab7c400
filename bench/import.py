"""Spreadsheet rows imported per second through `arrears import-invoices`' importer, beside
the raw append figure of bench/append.py.

    .venv/bin/python bench/import.py --rows 100000 --seed 1

Writes a CSV of --rows open invoices (the generic template; seeded debtors, amounts and
dates), then imports it into a fresh SQLite file with `application.imports.Importer`: each
row is read and parsed, planned on a working copy, then opened with `OpenCase` and given
the file as evidence with `AttachDocument` (two commands, two events, each with its
idempotency key; 100 rows' commands a transaction, `CaseService.handle_many`). A second
import of the same file (every row unchanged, nothing stored) is timed too. The raw figure
is read from bench/results/append.json (plain sqlite3 inserts, one row a commit, on the
same machine kind).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from conditions import described, environment

from application.bootstrap import build
from application.clock import FixedClock
from application.imports.importer import Importer, ImportOptions, Source

ROOT = Path(__file__).resolve().parent.parent
CREDITOR = "Bench Creditor Ltd"
HEADER = "invoice_number,debtor_name,debtor_email,issue_date,due_date,currency,amount_due\n"


def spreadsheet(rows: int, seed: int) -> bytes:
    rng = random.Random(seed)
    lines = [HEADER]
    for n in range(1, rows + 1):
        issued = date(2025, 10, 1) + timedelta(days=rng.randrange(120))
        due = issued + timedelta(days=rng.choice((14, 30, 60)))
        amount = f"{rng.randrange(5000, 2_500_000) / 100:.2f}"
        lines.append(f"B/{n:07d},Debtor {rng.randrange(rows // 3 + 1):06d} Ltd,"
                     f"ap{n}@debtor.example,{issued},{due},EUR,\"{float(amount):,.2f}\"\n")
    return "".join(lines).encode()


def timed_import(app, source: Source) -> tuple[float, dict[str, int]]:  # type: ignore[no-untyped-def]
    options = ImportOptions(actor="bench", creditor=CREDITOR, creditors=(CREDITOR,),
                            max_bytes=1024 ** 3)
    start = time.perf_counter()
    summary = Importer(app.attachments, options).run([source])
    return time.perf_counter() - start, summary.counts()


def raw_appends(folder: str, count: int) -> float:
    """Events per second of plain sqlite3: `count` rows of about an event's size, one a
    commit, WAL, in the same folder (the raw side of bench/append.py, on this medium)."""
    import sqlite3
    import uuid

    db = sqlite3.connect(f"{folder}/raw.db", isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("CREATE TABLE events (originator_id TEXT, originator_version INTEGER, "
               "topic TEXT, state BLOB, PRIMARY KEY (originator_id, originator_version))")
    state = b"x" * 400
    start = time.perf_counter()
    for n in range(count):
        db.execute("BEGIN")
        db.execute("INSERT INTO events VALUES (?, ?, ?, ?)",
                   (str(uuid.uuid4()), n % 2 + 1, "domain.events:CaseOpened", state))
        db.execute("COMMIT")
    elapsed = time.perf_counter() - start
    db.close()
    return count / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--dir", type=Path, default=None,
                        help="where the SQLite files go (default: a temporary folder)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench/results/import.json")
    args = parser.parse_args()
    load = os.getloadavg()
    content = spreadsheet(args.rows, args.seed)
    with tempfile.TemporaryDirectory(dir=args.dir) as folder:
        app = build(f"sqlite:///{folder}/events.db", clock=FixedClock.on(date(2026, 3, 2)),
                    creditor=CREDITOR, blobs=Path(folder) / "blobs")
        source = Source("open-invoices.csv", content)
        first, counts = timed_import(app, source)
        again, repeat = timed_import(app, source)
        app.close()
        raw = raw_appends(folder, 2 * args.rows)
    assert counts["created"] == args.rows and repeat["unchanged"] == args.rows, (counts, repeat)
    append = json.loads((ROOT / "bench/results/append.json").read_text())
    result = {
        "command": "bench/import.py " + " ".join(sys.argv[1:]),
        "rows": args.rows, "file_bytes": len(content),
        "import_seconds": round(first, 1), "rows_per_second": round(args.rows / first),
        "events_per_second": round(2 * args.rows / first),
        "reimport_seconds": round(again, 1), "reimport_rows_per_second": round(args.rows / again),
        "raw_sqlite3_events_per_second_here": round(raw),
        "append_json_arrears_events_per_second": append["arrears"]["events_per_s"],
        "append_json_raw_events_per_second": append["raw_sqlite3"]["events_per_s"],
        "environment": environment(load),
    }
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    text = (f"{result['command']}\n{args.rows:,} rows ({len(content):,} bytes of CSV), 2 events "
            f"a row (CaseOpened, AttachmentAdded)\n"
            f"import:    {result['rows_per_second']:,} rows/s ({result['events_per_second']:,} "
            f"events/s), {first:,.0f} s\n"
            f"re-import: {result['reimport_rows_per_second']:,} rows/s (all unchanged), "
            f"{again:,.0f} s\n"
            f"raw sqlite3, one insert a commit, same folder: {round(raw):,} events/s\n"
            f"bench/results/append.json: Arrears "
            f"{result['append_json_arrears_events_per_second']:,} events/s, raw sqlite3 "
            f"{result['append_json_raw_events_per_second']:,} events/s\n"
            f"{described(result['environment'])}\n")
    args.out.with_suffix(".txt").write_text(text)
    print(text, end="")


if __name__ == "__main__":
    main()
