"""The `throttle_store` fixture: a test runs once on each throttling counter store."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import redis

from tests.support.overrides import Override
from tests.support.redis_dbs import THROTTLE_TESTS_DB, redis_db_url


@pytest.fixture(params=["database", pytest.param("redis", marks=pytest.mark.postgres)])
def throttle_store(request: pytest.FixtureRequest, override: Override) -> Iterator[str]:
    """Counters in the database (no REDIS_URL), then in a real Redis (REDIS_URL set)."""
    if request.param == "database":
        yield "database"
        return
    # A database of its own, emptied around each test: tests share usernames and clocks.
    url = redis_db_url(THROTTLE_TESTS_DB)
    client = redis.Redis.from_url(url)
    client.flushdb()
    override(REDIS_URL=url)
    yield "redis"
    client.flushdb()
    client.close()
