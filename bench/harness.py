"""What every benchmark shares: the machine, repeated timings, ratios against a baseline."""

from __future__ import annotations

import datetime as dt
import os
import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field


def machine() -> str:
    """CPU count, CPU model and RAM of this machine."""
    model = "unknown CPU"
    with open("/proc/cpuinfo") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as meminfo:
        kib = int(meminfo.readline().split()[1])
    return f"{os.cpu_count()} CPUs ({model}), {kib / 1024 / 1024:.1f} GiB RAM, {platform.system()}"


def load_average() -> str:
    """The 1-, 5- and 15-minute load averages, as `uptime` shows them."""
    return "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


def now_utc() -> str:
    """The date and minute, in UTC, for the report."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


def percentile(values: list[float], fraction: float) -> float:
    """The nearest-rank percentile (0.5 is the median, 0.95 the p95)."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def timed(action: Callable[[], object], *, repeat: int, warmup: int = 1) -> list[float]:
    """Milliseconds of `repeat` runs of `action`, after `warmup` untimed ones."""
    for _ in range(warmup):
        action()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


@dataclass(frozen=True)
class Figure:
    """One claim: a measured value against its baseline, and the target the ratio must meet.

    `higher_is_better` says which way the ratio must go: at least `target` (throughput) or at
    most `target` (time, bytes, memory).
    """

    key: str
    what: str
    value: float
    unit: str
    baseline: float | None = None
    baseline_what: str = ""
    target: float | None = None
    higher_is_better: bool = False
    note: str = ""
    extra: dict[str, float] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        """value ÷ baseline, when there is a baseline."""
        if self.baseline is None or self.baseline == 0:
            return None
        return self.value / self.baseline

    @property
    def holds(self) -> bool | None:
        """Whether the target is met; None when there is no target."""
        measured = self.ratio if self.baseline is not None else self.value
        if self.target is None or measured is None:
            return None
        return measured >= self.target if self.higher_is_better else measured <= self.target

    def row(self) -> str:
        """One Markdown table row: key, what, value, baseline, ratio, target, verdict."""
        baseline = (
            f"{self.baseline:,.3g} {self.unit} ({self.baseline_what})"
            if self.baseline is not None
            else "–"
        )
        ratio = f"{self.ratio:.2f}" if self.ratio is not None else "–"
        sign = "≥" if self.higher_is_better else "≤"
        target = f"{sign} {self.target:g}" if self.target is not None else "–"
        verdict = {True: "holds", False: "**missed**", None: "–"}[self.holds]
        return (
            f"| {self.key} | {self.what} | {self.value:,.3g} {self.unit} | {baseline} "
            f"| {ratio} | {target} | {verdict} |"
        )


TABLE_HEAD = (
    "| | measure | ours | baseline | ratio | target | verdict |\n|---|---|---|---|---|---|---|"
)


def table(figures: list[Figure]) -> str:
    """The summary table of a run."""
    return "\n".join([TABLE_HEAD, *(figure.row() for figure in figures)])


def median(values: list[float]) -> float:
    """The median of a non-empty list."""
    return statistics.median(values)


@dataclass(frozen=True)
class Plot:
    """One PNG for the report: named series of (x, y) points, drawn as lines or bars."""

    name: str  # file stem under docs/benchmarks/, e.g. "b1_latency"
    title: str
    xlabel: str
    ylabel: str
    series: dict[str, list[tuple[float, float]]]
    kind: str = "line"  # "line" or "bar"
    log_x: bool = False
    x_labels: tuple[str, ...] = ()  # bar plots: the label of x = 0, 1, 2 ...
    target: float | None = None  # drawn as a dashed line


@dataclass(frozen=True)
class Section:
    """What one benchmark contributes to the report: its claims, its method and details, plots."""

    key: str  # "B1" ... "B8"
    title: str
    figures: list[Figure]
    markdown: str  # how it was measured and the detail table; no heading, no summary table
    plots: list[Plot] = field(default_factory=list)


def run_from_command_line(run: Callable[..., Section], description: str | None) -> None:
    """`python -m bench.bN_name [--smoke]`: measure, print the table and the details."""
    import argparse  # only the command line needs it

    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--smoke", action="store_true", help="seconds, tiny sizes")
    started = time.perf_counter()
    section = run(smoke=parser.parse_args().smoke)
    print(table(section.figures))
    print()
    print(section.markdown)
    print(f"\n(took {time.perf_counter() - started:.0f} s)")
