"""Running a coroutine to the end from a test, whatever the test's thread already runs."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


def run_coroutine(coroutine: Coroutine[Any, Any, T]) -> T:
    """`asyncio.run` in a thread of its own.

    Once a test has used Playwright's sync API, the main thread holds Playwright's running
    event loop for the rest of the session, and `asyncio.run` refuses to start there.
    """
    with ThreadPoolExecutor(1, thread_name_prefix="test-event-loop") as pool:
        return pool.submit(asyncio.run, coroutine).result()
