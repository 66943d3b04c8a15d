"""PNG plots of the report, drawn with matplotlib (Agg: no display needed)."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from matplotlib.axes import Axes

from bench.harness import Plot


def draw(plot: Plot, folder: Path) -> Path:
    """Draw one plot into folder/<name>.png; the path written."""
    figure, axes = plt.subplots(figsize=(7, 4), dpi=100)
    try:
        if plot.kind == "bar":
            _bars(axes, plot)
        else:
            for label, points in plot.series.items():
                xs, ys = zip(*points, strict=True) if points else ((), ())
                axes.plot(xs, ys, marker="o", label=label)
            if plot.log_x:
                axes.set_xscale("log", base=2)
        if plot.x_labels:
            axes.set_xticks(range(len(plot.x_labels)), plot.x_labels, rotation=20, ha="right")
        if plot.target is not None:
            axes.axhline(plot.target, color="grey", linestyle="--", label="target")
        axes.set_title(plot.title)
        axes.set_xlabel(plot.xlabel)
        axes.set_ylabel(plot.ylabel)
        axes.grid(True, alpha=0.3)
        if len(plot.series) > 1 or plot.target is not None:
            axes.legend()
        figure.tight_layout()
        path = folder / f"{plot.name}.png"
        # No timestamps in the file: a re-run that measures the same draws the same bytes.
        figure.savefig(path, metadata={"Software": None})
        return path
    finally:
        plt.close(figure)


def _bars(axes: Axes, plot: Plot) -> None:
    """Grouped bars: one group per x label (the x of each point is its group's index)."""
    count = max(len(plot.series), 1)
    width = 0.8 / count
    for index, (label, points) in enumerate(plot.series.items()):
        xs = [x + (index - (count - 1) / 2) * width for x, _ in points]
        axes.bar(xs, [y for _, y in points], width=width, label=label)
