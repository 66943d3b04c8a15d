"""NFP_FORBID_SKIPS=1 (CI) turns every kind of skip into a failure; without it skips stay."""

from __future__ import annotations

import pytest

from tests.support.forbid_skips import ENV_VARIABLE

SKIPPING_TESTS = """
import pytest

@pytest.fixture
def skipping_fixture():
    pytest.skip("a fixture skipped")

@pytest.mark.skip(reason="a skip mark")
def test_mark(): pass

@pytest.mark.skipif(True, reason="a skipif mark")
def test_skipif(): pass

def test_body():
    pytest.skip("the body skipped")

def test_fixture(skipping_fixture): pass

@pytest.mark.xfail(reason="runs, expected to fail", strict=True)
def test_xfail():
    assert False

def test_runs(): pass
"""

SKIPPING_MODULE = """
import pytest
pytest.importorskip("no_such_module_anywhere")

def test_never_collected(): pass
"""


def _run(pytester: pytest.Pytester, source: str) -> pytest.RunResult:
    pytester.makepyfile(source)
    return pytester.runpytest("-p", "tests.support.forbid_skips", "-p", "no:cacheprovider")


def test_every_skip_fails_when_forbidden(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_VARIABLE, "1")
    result = _run(pytester, SKIPPING_TESTS)
    # Marks and fixtures skip during setup, so those three report as errors; all fail the run.
    result.assert_outcomes(passed=1, failed=1, errors=3, xfailed=1)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    for reason in ("a skip mark", "a skipif mark", "the body skipped", "a fixture skipped"):
        result.stdout.fnmatch_lines([f"*forbids skips*{reason}*"])


def test_a_module_skipping_itself_fails_collection_when_forbidden(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_VARIABLE, "1")
    result = _run(pytester, SKIPPING_MODULE)
    result.assert_outcomes(errors=1)
    assert result.ret == pytest.ExitCode.INTERRUPTED
    result.stdout.fnmatch_lines(["*was skipped*forbids skips*no_such_module_anywhere*"])


def test_skips_stay_skips_locally(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(ENV_VARIABLE, raising=False)
    result = _run(pytester, SKIPPING_TESTS)
    result.assert_outcomes(passed=1, skipped=4, xfailed=1)
    assert result.ret == pytest.ExitCode.OK
    assert _run(pytester, SKIPPING_MODULE).ret == pytest.ExitCode.NO_TESTS_COLLECTED
