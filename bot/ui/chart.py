"""The /statistik picture: cases per day by category, a stacked bar chart as PNG bytes.

Rendering is CPU work (a few hundred milliseconds): call `render_cases_chart` through
`asyncio.to_thread`, never on the event loop. matplotlib is imported on first use, in that
thread, so starting the bot does not pay for it. Only the object-oriented API is used (a
`Figure` with the Agg canvas, no pyplot): no global state, safe in a worker thread.
"""

from __future__ import annotations

import datetime as dt
import io
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

# matplotlib's font cache and text layout are not documented as thread-safe: one at a time.
_RENDERING = threading.Lock()
# One colour per category, in the order the categories are listed (colour-blind friendly).
_COLOURS = (
    "#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442",
    "#000000", "#999999", "#882255",
)  # fmt: skip


@dataclass(frozen=True)
class ChartText:
    """The words on the picture, already in the officers' language."""

    title: str
    y_label: str
    empty: str  # shown across the chart when the period has no cases


def render_cases_chart(
    days: Sequence[dt.date],
    counts: Mapping[str, Sequence[int]],
    words: ChartText,
) -> bytes:
    """A PNG of stacked bars: one bar per day, one colour per label (counts[label][i] ↔ days[i])."""
    with _RENDERING:
        return _render(days, counts, words)


def _render(
    days: Sequence[dt.date], counts: Mapping[str, Sequence[int]], words: ChartText
) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    figure = Figure(figsize=(9, 4.8), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    positions = list(range(len(days)))
    bottom = [0] * len(days)
    for index, (label, values) in enumerate(counts.items()):
        if not any(values):
            continue
        colour = _COLOURS[index % len(_COLOURS)]
        axes.bar(positions, values, bottom=bottom, label=label, color=colour, width=0.8)
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    axes.set_title(words.title, loc="left", fontsize=13)
    axes.set_ylabel(words.y_label)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    step = max(1, -(-len(days) // 10))  # at most ten dates under the bars
    axes.set_xticks(positions[::step], [f"{d.day}/{d.month}" for d in days[::step]])
    axes.set_xlim(-0.6, max(len(days), 1) - 0.4)
    axes.spines[["top", "right"]].set_visible(False)
    axes.grid(axis="y", alpha=0.3)
    axes.set_axisbelow(True)
    if any(bottom):
        axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=9)
    else:
        axes.set_ylim(0, 1)
        axes.text(0.5, 0.5, words.empty, transform=axes.transAxes, ha="center", va="center")
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
