"""Redis databases of the test Redis, one per use, so that one use never meets another's keys."""

from __future__ import annotations

import os
from urllib.parse import urlsplit, urlunsplit

import pytest

# Pub/sub channels are shared by every database; the app re-checks what it hears there.
SCALED_APP_DB = 1
TWO_INSTANCES_DB = 2
THROTTLE_TESTS_DB = 13


def redis_db_url(number: int) -> str:
    """TEST_REDIS_URL with another database number."""
    url = os.environ.get("TEST_REDIS_URL")
    if not url:
        pytest.fail("TEST_REDIS_URL is not set: run the suite with scripts/test.sh")
    return urlunsplit(urlsplit(url)._replace(path=f"/{number}"))
