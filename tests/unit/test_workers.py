"""Worker processes start without running the main module of the process that made them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = '''
import os, sys
from pathlib import Path
if __name__ == "__mp_main__":  # what multiprocessing names the main module in a child
    Path(sys.argv[1]).open("a").write("imported ")
if __name__ == "__main__":
    from application.workers import spawned
    with spawned(2) as pool:
        pids = {pool.apply(os.getpid) for _ in range(4)}
    print(os.getpid() not in pids, "__file__" in globals())
'''


def test_a_worker_does_not_import_the_main_module(tmp_path: Path):
    script, marker = tmp_path / "main.py", tmp_path / "marker.txt"
    script.write_text(SCRIPT, encoding="utf-8")
    marker.write_text("", encoding="utf-8")
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, str(script), str(marker)], cwd=root,
                          env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
                          capture_output=True, text=True, timeout=120, check=True)
    assert done.stdout.split() == ["True", "True"]  # the main module is as it was
    assert marker.read_text(encoding="utf-8") == ""
