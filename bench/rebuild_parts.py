"""Where a rebuild by workers spends its time: one worker's range alone, or step by step.

    .venv/bin/python -m bench.rebuild_parts worker --parts 16 --index 3 [--profile]
    .venv/bin/python -m bench.rebuild_parts steps

Both run on `python -m bench.projection --events 1000000 --interleaved`'s data set (built
by it first; --folder names another). `worker`: the case ids cut in --parts ranges
(`CaseRange.cut`), range --index projected into a scratch file in this process as a worker
projects it (`parallel._project`): its events and the CPU time an event (--profile: the
cProfile of it, by own and by cumulative time). For counts that do not move with the
machine's load, run it under `valgrind --tool=callgrind` and compare the instructions
collected. `steps`: `Projector.rebuild` of the whole set (it rewrites the data set's read
models), with the wall clock and this process's CPU time of each step (emptying the old
read models, the workers, the copy, the indexes). Prints only; nothing is written to
bench/results.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from application.bootstrap import build
from application.clock import FixedClock
from application.readmodels import parallel, projector
from application.recorders.base import CaseRange
from application.service import CaseService

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "var" / "bench-projection" / "interleaved-e1000000-s7-a10000"


def worker(folder: Path, parts: int, index: int, profile: bool) -> None:
    url = f"sqlite:///{folder}/events.db"
    service = CaseService(url, create_table=False)
    through = service.recorder.max_notification_id() or 0
    service.close()
    with tempfile.TemporaryDirectory(dir=folder) as scratch:
        part = parallel.Part(partial(CaseService, url, create_table=False),
                             CaseRange.cut(parts)[index], through, scratch, 10_000)
        profiler = cProfile.Profile()
        cpu = time.process_time()
        if profile:
            profiler.enable()
        applied = parallel._project(part)[1]  # noqa: SLF001 - what a worker runs
        profiler.disable()
        cpu = time.process_time() - cpu
    print(f"range {index} of {parts}: {applied:,} events, {cpu:.2f} s of CPU, "
          f"{cpu / max(applied, 1) * 1e6:.1f} µs an event")
    for order in ("tottime", "cumtime") if profile else ():
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(40)
        print(out.getvalue())


def steps(folder: Path) -> None:
    timed: list[tuple[str, float, float]] = []

    def timer(name: str, step: Callable[..., Any]) -> Callable[..., Any]:
        def run(*args: Any, **kwargs: Any) -> Any:
            wall, cpu = time.perf_counter(), time.process_time()
            try:
                return step(*args, **kwargs)
            finally:
                timed.append((name, time.perf_counter() - wall, time.process_time() - cpu))
        return run

    parallel.build = timer("workers (emptying within)", parallel.build)  # type: ignore[assignment]
    parallel.merge = timer("copy into the read models", parallel.merge)  # type: ignore[assignment]
    projector.create_indexes = timer("indexes", projector.create_indexes)  # type: ignore[assignment]
    app = build(f"sqlite:///{folder}/events.db", clock=FixedClock())
    kind = type(app.projector)
    kind._empty = timer("emptying the old read models", kind._empty)  # type: ignore[method-assign]  # noqa: SLF001
    try:
        started = time.perf_counter()
        applied = app.projector.rebuild()
        total = time.perf_counter() - started
    finally:
        app.close()
    for name, wall, cpu in timed:
        print(f"{name}: {wall:.2f} s, {cpu:.2f} s of this process's CPU")
    print(f"rebuild: {applied:,} events in {total:.2f} s = {applied / total:,.0f} ev/s")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("what", choices=("worker", "steps"))
    parser.add_argument("--folder", type=Path, default=DATA, help="the data set's folder")
    parser.add_argument("--parts", type=int, default=16, help="worker: ranges of case ids")
    parser.add_argument("--index", type=int, default=3, help="worker: the range projected")
    parser.add_argument("--profile", action="store_true", help="worker: a cProfile too")
    args = parser.parse_args(argv)
    if not (args.folder / "events.db").exists():
        parser.error(f"--folder: no events.db in {args.folder} (run bench.projection first)")
    if args.what == "worker":
        worker(args.folder, args.parts, args.index, args.profile)
    else:
        steps(args.folder)


if __name__ == "__main__":
    main()
