"""The pages' cost curve: p95 per view against the number of cases, from the results files.

    .venv/bin/python -m bench.plot_views       # reads bench/results/views-*.json

Writes bench/results/views-curve.png: one line per view (Flask test client, p95 in ms), the
10 ms target, and each view's 1.5x-of-10k line where a 10k figure exists. Sizes not measured
are not drawn: the plot shows only what the files hold.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from bench.views import RESULTS, TARGET_P95_MS  # noqa: E402

VIEWS = ("case list", "filtered list", "dashboard", "case page", "healthz")


def load(folder: Path) -> list[dict]:
    found = [json.loads(p.read_text()) for p in folder.glob("views-*.json")
             if p.stem.removeprefix("views-").isdigit()]
    return sorted(found, key=lambda r: r["data_set"]["cases"])


def plot(results: list[dict], out: Path) -> None:
    sizes = [r["data_set"]["cases"] for r in results]
    figure, axes = plt.subplots(figsize=(7, 4.5))
    for view in VIEWS:
        axes.plot(sizes, [r["pages"][view]["p95_ms"] for r in results], marker="o", label=view)
    axes.axhline(TARGET_P95_MS, color="grey", linestyle="--", linewidth=1,
                 label=f"target p95 {TARGET_P95_MS:g} ms (at 100k)")
    axes.set_xscale("log")
    axes.set_xticks(sizes, [f"{s:,}" for s in sizes])
    axes.set_xlabel("cases in the book")
    axes.set_ylabel("p95 per request, ms (one process)")
    loads = ", ".join(f"{r['data_set']['cases']:,}: load {r['conditions']['loadavg_before'][0]}"
                      for r in results)
    axes.set_title(f"Pages against the size of the book\n({loads})", fontsize=9)
    axes.legend(fontsize=8)
    axes.grid(True, alpha=0.3)
    figure.tight_layout()
    figure.savefig(out, dpi=120)
    print(f"wrote {out}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--results", default=str(RESULTS))
    args = parser.parse_args(argv)
    folder = Path(args.results)
    results = load(folder)
    if not results:
        raise SystemExit(f"no views-N.json in {folder}: run python -m bench.views first")
    plot(results, folder / "views-curve.png")


if __name__ == "__main__":
    main()
