"""SHUTDOWN_TIMEOUT_SECONDS: validated, and handed to the Granian server Reflex builds."""

from __future__ import annotations

import granian.server
import pydantic
import pytest

from nfp_app.infra.settings import Settings
from nfp_app.infra.shutdown import bound_worker_shutdown


@pytest.fixture
def restore_granian(monkeypatch: pytest.MonkeyPatch) -> None:
    """Put Granian's server class back after the test."""
    monkeypatch.setattr(granian.server, "Server", granian.server.Server)


@pytest.mark.usefixtures("restore_granian")
def test_the_limit_becomes_granians_default_kill_timeout() -> None:
    bound_worker_shutdown(7)
    bound_worker_shutdown(9)  # the last call wins, with no wrapper around a wrapper
    server = granian.server.Server(target="nfp_app.nfp_app:app")
    assert server.workers_kill_timeout == 9
    explicit = granian.server.Server(target="nfp_app.nfp_app:app", workers_kill_timeout=2)
    assert explicit.workers_kill_timeout == 2


@pytest.mark.parametrize("value", ["0", "-5", "3601", "soon"])
def test_a_bad_timeout_is_refused(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("SHUTDOWN_TIMEOUT_SECONDS", value)
    with pytest.raises(pydantic.ValidationError, match="shutdown_timeout_seconds"):
        Settings()
