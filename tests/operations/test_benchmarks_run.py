"""The benchmarks `make bench` runs still run, on a tiny store (their figures are not
checked here: speed is measured in bench/, never by tests)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(script: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, script, *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=300, check=False)


def test_the_rebuild_benchmark_builds_its_case_and_reads_it_back(tmp_path):
    out = tmp_path / "rebuild.json"
    done = run("bench/rebuild.py", "--events", "120", "--runs", "1", "--seed", "1",
               "--dir", str(tmp_path), "--out", str(out))
    assert done.returncode == 0, done.stderr
    figures = json.loads(out.read_text())
    assert figures["events"] == 120
    assert "repository.get" in done.stdout


def test_the_append_benchmark_stores_its_events_and_compares_them_to_raw_inserts(tmp_path):
    out = tmp_path / "append.json"
    done = run("bench/append.py", "--events", "200", "--cases", "10", "--seed", "1",
               "--repeat", "1", "--dir", str(tmp_path), "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "ratio Arrears / raw inserts" in done.stdout
    assert json.loads(out.read_text())


def test_the_concurrent_append_benchmark_ends_with_its_ratio(tmp_path):
    out = tmp_path / "writers.json"
    done = run("bench/append.py", "--writers", "2", "--commands", "60", "--cases", "6",
               "--seed", "1", "--dir", str(tmp_path), "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1].startswith("ratio ")
    assert json.loads(out.read_text())
