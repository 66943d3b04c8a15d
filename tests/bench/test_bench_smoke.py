"""`python -m bench --smoke`: the benchmark scripts still run end to end (their figures are not
judged here; benchmarks are not timed tests)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.bench]

ROOT = Path(__file__).resolve().parents[2]
REPORT = ROOT / "docs" / "benchmarks.md"


# Eight benchmarks, each starting its own servers and apps (B6 builds two frontends): minutes,
# not the 300 s of a test body; the subprocess below bounds itself at 900 s.
@pytest.mark.timeout(960)
def test_every_benchmark_runs_and_reports_its_ratio() -> None:
    """Each benchmark prints a row with a baseline and a ratio; the smoke pass writes no report."""
    report_before = REPORT.read_bytes() if REPORT.exists() else b""
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--smoke"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    keys = {f"B{number}" for number in range(1, 9)}
    rows = [line for line in done.stdout.splitlines() if line.startswith("| B")]
    assert {row.split("|")[1].strip() for row in rows} == keys, done.stdout
    # Every row with a baseline has its ratio; every benchmark has at least one judged row.
    cells = [[cell.strip() for cell in row.split("|")] for row in rows]
    assert all(row[5] != "–" for row in cells if row[4] != "–"), done.stdout
    judged = {row[1] for row in cells if row[5] != "–" or row[6] != "–"}
    assert judged == keys, done.stdout
    assert (REPORT.read_bytes() if REPORT.exists() else b"") == report_before
