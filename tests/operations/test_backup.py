"""`arrears backup`: a consistent copy of a SQLite store taken while another process writes;
each copy opens, verifies, and holds the source's log up to its position, unchanged."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from cli.failures import WRONG_STORE
from tests.operations.conftest import export_lines, ok_json

ROOT = Path(__file__).resolve().parents[2]


def _events_up_to(path: Path, position: int) -> list[dict]:
    return [line for line in export_lines(path)
            if line["kind"] == "event" and line["id"] <= position]


def _position(path: Path) -> int:
    with sqlite3.connect(path, timeout=30) as conn:
        return int(conn.execute("SELECT MAX(rowid) FROM stored_events").fetchone()[0] or 0)


def _wait_for_writes(path: Path, past: int) -> None:
    deadline = time.monotonic() + 60
    while _position(path) <= past + 8:
        assert time.monotonic() < deadline, "the writer wrote nothing"
        time.sleep(0.1)


def test_copies_taken_while_a_process_writes_open_and_verify(tmp_path: Path, tool) -> None:
    url = f"sqlite:///{tmp_path}/live/events.db"
    ok_json(tool(url)("demo", "--json"))
    stop = tmp_path / "stop"
    writer = subprocess.Popen([sys.executable, "-m", "tests.operations.writer", url, str(stop)],
                              cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True)
    copies = []
    try:
        _wait_for_writes(tmp_path / "live" / "events.db", past=_position(tmp_path / "live"
                                                                             / "events.db"))
        for n in range(3):
            out = tmp_path / f"copy-{n}.db"
            done = ok_json(tool(url)("backup", "--out", str(out), "--json"))
            assert done["verified"] is True
            copies.append((out, done["position"]))
            time.sleep(0.5)
    finally:
        stop.touch()
        stdout, stderr = writer.communicate(timeout=60)
    assert writer.returncode == 0, stderr
    written = int(stdout)
    positions = [position for _, position in copies]
    print(f"\nbackup under load: writer stored {written} events; copies at {positions}")
    assert positions == sorted(positions) and positions[-1] > positions[0], \
        "the writer was writing while the copies were taken"
    assert written > positions[-1] - positions[0]
    ok_json(tool(url)("export", "--out", str(tmp_path / "live.jsonl"), "--json"))
    for out, position in copies:
        copy_url = f"sqlite:///{out}"
        assert ok_json(tool(copy_url)("verify", "--json"))["ok"]
        ok_json(tool(copy_url)("export", "--out", str(out) + ".jsonl", "--json"))
        assert _events_up_to(Path(str(out) + ".jsonl"), position) == \
            _events_up_to(tmp_path / "live.jsonl", position)


def test_a_postgresql_store_is_pointed_to_pg_dump(tool, tmp_path: Path) -> None:
    result = tool("postgresql://nobody@127.0.0.1:1/none")("backup", "--out",
                                                         str(tmp_path / "x.db"))
    assert result.exit_code == WRONG_STORE
    assert "pg_dump" in result.stderr and "arrears export" in result.stderr
    assert not (tmp_path / "x.db").exists()
