"""`python -m bench`: every benchmark in turn, one summary table, docs/benchmarks.md rewritten.

Work in progress (issue 14): B1 and B5 so far. `--smoke` runs each for a second or two with one
worker, so that CI can check the scripts still work; its figures mean nothing.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from bench import b1_signin, b5_rest
from bench.harness import Figure, load_average, machine, now_utc, table

REPORT = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"


def measure(*, smoke: bool) -> list[Figure]:
    """Run the benchmarks; the figures of all of them."""
    seconds = 1.0 if smoke else 10.0
    figures: list[Figure] = []
    found, _ = b1_signin.run([1, 2] if smoke else [1, 2, 4, 8, 16], seconds)
    figures += found
    figures += b5_rest.run([1] if smoke else [1, 2, 4], seconds=seconds, concurrency=8)
    return figures


def report(figures: list[Figure], *, started: str, minutes: float, load_before: str) -> str:
    """The Markdown of docs/benchmarks.md for one run."""
    return "\n".join(
        [
            "# Benchmarks",
            "",
            f"Taken by `python -m bench` on {started} in {minutes:.1f} min: {machine()};",
            f"load average before {load_before}, after {load_average()}.",
            "Every claim is a ratio against a baseline measured in the same run.",
            "",
            table(figures),
            "",
        ]
    )


def main() -> None:
    """Parse arguments, measure, print the table; rewrite the report unless --smoke."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--smoke", action="store_true", help="seconds, not minutes; no report")
    args = parser.parse_args()
    started, load_before, clock = now_utc(), load_average(), time.monotonic()
    figures = measure(smoke=args.smoke)
    print(table(figures))
    if not args.smoke:
        minutes = (time.monotonic() - clock) / 60
        REPORT.write_text(
            report(figures, started=started, minutes=minutes, load_before=load_before)
        )
        print(f"{REPORT} rewritten")


if __name__ == "__main__":
    main()
