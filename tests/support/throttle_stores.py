"""The `throttle_store` fixture: a test runs once on each throttling counter store."""

from __future__ import annotations

import os
from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit

import pytest
import redis

from tests.support.overrides import Override

# A Redis database of its own, emptied around each test: the counters of one test (fixed
# usernames, fixed clocks) must not meet another's.
THROTTLE_TEST_REDIS_DB = 13


def redis_db_url(number: int) -> str:
    """TEST_REDIS_URL with another database number."""
    url = os.environ.get("TEST_REDIS_URL")
    if not url:
        pytest.fail("TEST_REDIS_URL is not set: run the suite with scripts/test.sh")
    return urlunsplit(urlsplit(url)._replace(path=f"/{number}"))


@pytest.fixture(params=["database", pytest.param("redis", marks=pytest.mark.postgres)])
def throttle_store(request: pytest.FixtureRequest, override: Override) -> Iterator[str]:
    """Counters in the database (no REDIS_URL), then in a real Redis (REDIS_URL set)."""
    if request.param == "database":
        yield "database"
        return
    url = redis_db_url(THROTTLE_TEST_REDIS_DB)
    client = redis.Redis.from_url(url)
    client.flushdb()
    override(REDIS_URL=url)
    yield "redis"
    client.flushdb()
    client.close()
