"""The hashing pools run below the event loop's CPU priority (Linux thread nice values)."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest

from nfp_app.infra import workers


def _own_niceness() -> int:
    return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())


@pytest.mark.parametrize("pool", [workers.sign_in_pool, workers.hashing_pool])
def test_hashing_threads_yield_the_cpu_to_the_event_loop(
    pool: Callable[[], ThreadPoolExecutor],
) -> None:
    """A sign-in storm must not starve other users' events: hashing threads are niced."""
    caller = _own_niceness()
    inside = pool().submit(_own_niceness).result(timeout=10)
    assert inside == min(19, caller + workers.HASHING_NICENESS)
    # Only the pool's threads: the caller (the event loop's thread) keeps its priority.
    assert _own_niceness() == caller
