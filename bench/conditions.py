"""The conditions a benchmark ran under, recorded beside its figures."""

from __future__ import annotations

import json
import os
import platform
import sqlite3
import sys
from importlib.metadata import version
from pathlib import Path
from typing import Any


def environment(load_before: tuple[float, float, float], **extra: Any) -> dict[str, Any]:
    """Python, SQLite, library versions, CPUs and the load average before and after."""
    return {
        "python": platform.python_version(),
        "python_optimize": sys.flags.optimize,
        "python_hash_seed": os.environ.get("PYTHONHASHSEED", "random"),
        "sqlite": sqlite3.sqlite_version,
        "eventsourcing": version("eventsourcing"),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "loadavg_before": [round(x, 2) for x in load_before],
        "loadavg_after": [round(x, 2) for x in os.getloadavg()],
        **extra,
    }


def described(env: dict[str, Any]) -> str:
    """One line: what the figures were measured on."""
    return (f"Python {env['python']}{' -O' if env['python_optimize'] else ''} "
            f"(PYTHONHASHSEED={env['python_hash_seed']}), SQLite "
            f"{env['sqlite']}, eventsourcing {env['eventsourcing']}, {env['cpus']} CPUs, load "
            f"average {env['loadavg_before'][0]} before, {env['loadavg_after'][0]} after")


def save_results(out: Path, result: dict[str, Any], text: str) -> None:
    """The figures as JSON at `out`, the text beside it (`.txt`), and the text printed."""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    out.with_suffix(".txt").write_text(text)
    print(text, end="")
