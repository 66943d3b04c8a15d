"""docs/benchmarks.md and its plots, from the sections of one or more runs."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

from bench.harness import Figure, Plot, Section, table

DOCS = Path(__file__).resolve().parent.parent / "docs"
REPORT = DOCS / "benchmarks.md"
PLOTS = DOCS / "benchmarks"
# Every section's figures as measured, so that `--only B3` re-measures one and keeps the rest.
RESULTS = PLOTS / "results.json"


@dataclasses.dataclass(frozen=True)
class Taken:
    """A section and when, where and in how long it was measured."""

    section: Section
    started: str
    seconds: float
    load_before: str
    load_after: str


def save(results: dict[str, Taken]) -> None:
    """Write every section's results to RESULTS."""
    PLOTS.mkdir(exist_ok=True)
    data = {key: dataclasses.asdict(taken) for key, taken in sorted(results.items())}
    RESULTS.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n")


def load() -> dict[str, Taken]:
    """The sections of earlier runs, or nothing."""
    if not RESULTS.exists():
        return {}
    return {key: _taken(value) for key, value in json.loads(RESULTS.read_text()).items()}


def _taken(value: dict[str, Any]) -> Taken:
    raw = value["section"]
    section = Section(
        key=raw["key"],
        title=raw["title"],
        figures=[Figure(**figure) for figure in raw["figures"]],
        markdown=raw["markdown"],
        plots=[_plot(plot) for plot in raw["plots"]],
    )
    rest = {name: value[name] for name in ("started", "seconds", "load_before", "load_after")}
    return Taken(section=section, **rest)


def _plot(raw: dict[str, Any]) -> Plot:
    series = {label: [(x, y) for x, y in points] for label, points in raw["series"].items()}
    return Plot(**{**raw, "series": series, "x_labels": tuple(raw["x_labels"])})


def render(results: dict[str, Taken], *, machine: str, settings: str) -> str:
    """The Markdown of docs/benchmarks.md."""
    ordered = [results[key] for key in sorted(results)]
    figures = [figure for taken in ordered for figure in taken.section.figures]
    lines = [
        "# Benchmarks",
        "",
        "Written by `python -m bench` (`scripts/bench.sh`); do not edit by hand. Every claim is a",
        "ratio against a baseline measured in the same run on the same machine, or an absolute",
        "limit where the target is one. Earlier single-run figures are in",
        "[benchmarks-history.md](benchmarks-history.md).",
        "",
        f"- **Machine:** {machine}.",
        f"- **Settings:** {settings}.",
        "- **Runs:** "
        + "; ".join(
            f"{t.section.key} {t.started}, {t.seconds / 60:.1f} min, "
            f"load {t.load_before} → {t.load_after}"
            for t in ordered
        )
        + ".",
        "",
        "## Summary",
        "",
        table(figures),
        "",
    ]
    for taken in ordered:
        section = taken.section
        lines += [f"## {section.key}: {section.title}", "", section.markdown.strip(), ""]
        lines += [f"![{plot.title}](benchmarks/{plot.name}.png)\n" for plot in section.plots]
    return "\n".join(lines)
