"""`python -m bench`: every benchmark in turn, one summary table, docs/benchmarks.md rewritten.

`--only B3,B5` re-measures those and keeps the other sections of the last run
(docs/benchmarks/results.json). `--smoke` runs each benchmark for seconds with tiny sizes, so
that CI can check the scripts still work; its figures mean nothing and nothing is written.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
import traceback

from bench import plots, report
from bench.harness import Section, load_average, machine, now_utc, table

# Each module has `run(*, smoke: bool) -> Section`.
BENCHMARKS = {
    "B1": "bench.b1_signin",
    "B2": "bench.b2_storm",
    "B3": "bench.b3_event_cost",
    "B4": "bench.b4_million",
    "B5": "bench.b5_rest",
    "B6": "bench.b6_frontend",
    "B7": "bench.b7_startup",
    "B8": "bench.b8_memory",
}
SETTINGS = (
    "bcrypt cost 12 (`BCRYPT_ROUNDS` default) unless a section says otherwise; our backend is "
    "`reflex run --env prod --backend-only` under Granian, with Reflex state in Redis and users "
    "in PostgreSQL, each a throwaway server the run starts; worker counts per section"
)


def measure(key: str, *, smoke: bool) -> report.Taken:
    """Run one benchmark and note when, how long and under what load."""
    started, load_before, clock = now_utc(), load_average(), time.monotonic()
    section: Section = importlib.import_module(BENCHMARKS[key]).run(smoke=smoke)
    seconds = time.monotonic() - clock
    print(f"== {key} done in {seconds:.0f} s", flush=True)
    return report.Taken(section, started, seconds, load_before, load_average())


def main() -> None:
    """Parse arguments, measure, print the table; unless --smoke, rewrite the report."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--smoke", action="store_true", help="seconds, not minutes; no report")
    parser.add_argument("--only", default="", help="comma-separated keys, e.g. B3,B5")
    args = parser.parse_args()
    keys = [key.strip().upper() for key in args.only.split(",") if key.strip()] or [*BENCHMARKS]
    if unknown := [key for key in keys if key not in BENCHMARKS]:
        parser.error(f"unknown benchmark {', '.join(unknown)}; known: {', '.join(BENCHMARKS)}")
    results: dict[str, report.Taken] = {}
    failed: list[str] = []
    for key in keys:
        print(f"== {key} ({BENCHMARKS[key]})", flush=True)
        try:
            results[key] = measure(key, smoke=args.smoke)
        except Exception:
            traceback.print_exc()
            failed.append(key)
    print(table([f for taken in results.values() for f in taken.section.figures]))
    if not args.smoke and results:
        merged = {**report.load(), **results}
        report.save(merged)
        for taken in merged.values():
            for plot in taken.section.plots:
                plots.draw(plot, report.PLOTS)
        report.REPORT.write_text(report.render(merged, machine=machine(), settings=SETTINGS))
        print(f"{report.REPORT} rewritten ({', '.join(sorted(results))} measured now)")
    if failed:
        sys.exit(f"failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
