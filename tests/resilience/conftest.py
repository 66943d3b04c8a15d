"""Restarts and shutdowns of real processes: the browser fixtures, a Redis of each test's own,
and the summary of the recovery times measured."""

from tests.support.browser import browser, context, dialogs, new_context, page
from tests.support.recovery import pytest_terminal_summary
from tests.support.redis_server import own_redis

__all__ = [
    "browser",
    "context",
    "dialogs",
    "new_context",
    "own_redis",
    "page",
    "pytest_terminal_summary",
]
