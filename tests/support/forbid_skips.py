"""In CI a skipped test fails: a test that does not run is a test that cannot fail.

scripts/test.sh sets NFP_FORBID_SKIPS=1; then every skip (skip and skipif marks, `pytest.skip`,
`importorskip`, a module skipping itself) is reported as a failure that names the reason. A plain
local `pytest` may still skip. An xfail still runs its test, so it is left alone.
"""

from __future__ import annotations

import os
from collections.abc import Generator

import pytest

ENV_VARIABLE = "NFP_FORBID_SKIPS"


def _forbidden() -> bool:
    return os.environ.get(ENV_VARIABLE) == "1"


def _skip_reason(report: pytest.CollectReport | pytest.TestReport) -> str:
    # A skip's report is (path, 0-based line, "Skipped: reason").
    longrepr = report.longrepr
    if isinstance(longrepr, tuple):
        path, line, reason = longrepr
        return f"{reason} ({path}:{line + 1})"
    return str(longrepr)


def _fail_instead(report: pytest.CollectReport | pytest.TestReport) -> None:
    reason = _skip_reason(report)
    report.outcome = "failed"
    report.longrepr = (
        f"{report.nodeid} was skipped, but {ENV_VARIABLE}=1 (scripts/test.sh, CI) forbids "
        f"skips: every test must run here. {reason}"
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport() -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """A skip in setup, call or teardown fails the test."""
    report = yield
    if _forbidden() and report.skipped and not hasattr(report, "wasxfail"):
        _fail_instead(report)
    return report


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report() -> Generator[None, pytest.CollectReport, pytest.CollectReport]:
    """A module that skips itself while being collected fails collection."""
    report = yield
    if _forbidden() and report.skipped:
        _fail_instead(report)
    return report
