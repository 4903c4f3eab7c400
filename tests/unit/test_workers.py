"""Worker processes: fresh processes that start without running the main module of the
process that made them, forked from a fork server that imported what they run (ADR 0049),
with the environment of the process that made the pool."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from cli import verifying

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = '''
import os, sys
from pathlib import Path
if __name__ == "__mp_main__":  # what multiprocessing names the main module in a child
    Path(sys.argv[1]).open("a").write("imported ")
if __name__ == "__main__":
    from application.workers import worker_pool
    with worker_pool(2) as pool:
        pids = {pool.apply(os.getpid) for _ in range(4)}
    print(os.getpid() not in pids, "__file__" in globals())
'''

# Each worker's parent, whether it had the worker's modules before its first task, and
# the environment it sees: set after the fork server started, before the pool was made.
FORKED = '''
import os
from application.workers import prestart, worker_pool
prestart()
os.environ["ARREARS_WORKER_PROBE"] = "set later"
with worker_pool(2) as pool:
    parents = {pool.apply(os.getppid) for _ in range(4)}
    preloaded = pool.apply(eval, ("'application.service' in __import__('sys').modules",))
    seen = pool.apply(os.getenv, ("ARREARS_WORKER_PROBE",))
print(os.getpid() in parents, len(parents), preloaded, seen)
'''


def python(*args: str) -> str:
    """What Python run with these arguments prints, in a clean environment."""
    done = subprocess.run([sys.executable, *args], cwd=ROOT,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
                          capture_output=True, text=True, timeout=120, check=True)
    return done.stdout


def test_a_worker_does_not_import_the_main_module(tmp_path: Path):
    script, marker = tmp_path / "main.py", tmp_path / "marker.txt"
    script.write_text(SCRIPT, encoding="utf-8")
    marker.write_text("", encoding="utf-8")
    out = python(str(script), str(marker))
    assert out.split() == ["True", "True"]  # the main module is as it was
    assert marker.read_text(encoding="utf-8") == ""


def test_workers_are_forked_from_one_fork_server_with_this_process_environment():
    assert python("-c", FORKED).split() == ["False", "1", "True", "set", "later"]


@pytest.mark.parametrize(("argv", "expected"), [
    (["/venv/bin/arrears", "verify"], True),
    (["/venv/bin/arrears", "verify", "--jobs", "2"], True),
    (["arrears", "--json", "verify"], True),
    (["/venv/bin/arrears", "show", "verify"], False),
    (["/venv/bin/arrears"], False),
    (["/usr/bin/pytest", "verify"], False),
    ([], False),
])
def test_the_fork_server_starts_early_for_arrears_verify_only(argv, expected):
    assert verifying(argv) is expected
