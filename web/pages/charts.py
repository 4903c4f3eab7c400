"""Charts drawn by matplotlib on the server, as SVG: no JavaScript, no CDN.

Figures use the object-oriented API on the Agg canvas, never pyplot's global state, and no
global rcParams are changed; a lock serialises drawing, as matplotlib is not thread-safe.
"""

from __future__ import annotations

import functools
import io
import re
import threading
from decimal import Decimal
from html import escape

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

# Okabe–Ito: distinguishable with the common colour-vision deficiencies.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
INK, GRID, AXIS = "#374151", "#e5e7eb", "#9ca3af"
_LOCK = threading.Lock()


Figures = tuple[tuple[str, tuple[tuple[str, Decimal], ...]], ...]


def aging_chart(buckets: dict[str, dict[str, Decimal]], currencies: list[str],
                title: str, description: str) -> str:
    """Outstanding by aging bucket: grouped bars, one series per currency, as inline SVG.

    Drawing takes matplotlib most of a second, so the SVG of the last figures drawn is kept:
    the same figures are drawn once, whoever asks.
    """
    figures = tuple((b, tuple(sorted(totals.items()))) for b, totals in buckets.items())
    return _drawn(figures, tuple(currencies), title, description)


@functools.lru_cache(maxsize=16)
def _drawn(figures: Figures, currencies: tuple[str, ...], title: str, description: str) -> str:
    buckets = {bucket: dict(totals) for bucket, totals in figures}
    with _LOCK:
        figure = Figure(figsize=(7.2, 3.0), layout="constrained")
        FigureCanvasAgg(figure)
        axes = figure.add_subplot()
        names = list(buckets)
        width = 0.8 / max(1, len(currencies))
        for n, currency in enumerate(currencies):
            heights = [float(buckets[b].get(currency, 0)) for b in names]
            offsets = [i - 0.4 + width * (n + 0.5) for i in range(len(names))]
            axes.bar(offsets, heights, width * 0.92, label=currency,
                     color=PALETTE[n % len(PALETTE)])
        axes.set_xticks(range(len(names)), names)
        axes.set_xlabel("Aging bucket (days overdue)", color=INK, fontsize=9)
        axes.set_ylabel("Outstanding", color=INK, fontsize=9)
        axes.tick_params(colors=INK, labelsize=9)
        axes.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
        axes.grid(axis="y", color=GRID, linewidth=0.8)
        axes.set_axisbelow(True)
        axes.spines[["top", "right"]].set_visible(False)
        axes.spines[["left", "bottom"]].set_color(AXIS)
        if currencies:
            axes.legend(frameon=False, loc="lower right", bbox_to_anchor=(1, 1),
                        ncols=len(currencies), borderaxespad=0.2, fontsize=9)
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Title": title})
    return accessible(buffer.getvalue(), title, description)


STYLE_ATTRIBUTE = re.compile(r'\sstyle="([^"]*)"')
STYLE_ELEMENT = re.compile(r"<style[^>]*>.*?</style>", re.S)
# matplotlib's one style rule, `*{stroke-linejoin: round; stroke-linecap: butt}`, inherited.
ROOT_PRESENTATION = 'stroke-linejoin="round" stroke-linecap="butt"'


def _presentation(match: re.Match[str]) -> str:
    """style="fill: #fff; stroke-width: 0.8" → fill="#fff" stroke-width="0.8"."""
    pairs = (part.split(":", 1) for part in match.group(1).split(";") if ":" in part)
    return "".join(f' {name.strip()}="{escape(value.strip())}"' for name, value in pairs)


def without_inline_style(svg: str) -> str:
    """The SVG with presentation attributes instead of `style`, which the pages' Content
    Security Policy (no inline style) would block when the SVG is inline."""
    return STYLE_ATTRIBUTE.sub(_presentation, STYLE_ELEMENT.sub("", svg))


def accessible(svg: str, title: str, description: str) -> str:
    """Inline-ready SVG: no XML prologue, no inline style, role="img", a <title> and <desc>
    read aloud."""
    body = without_inline_style(svg[svg.index("<svg"):])
    body = re.sub(r"<svg\b", '<svg role="img" aria-labelledby="aging-title aging-desc" '
                  f'class="chart" {ROOT_PRESENTATION}', body, count=1)
    head_end = body.index(">") + 1
    return (body[:head_end] + f'<title id="aging-title">{escape(title)}</title>'
            f'<desc id="aging-desc">{escape(description)}</desc>' + body[head_end:])
