"""The shared Redis of a scaled-out app (REDIS_URL), when there is one."""

from __future__ import annotations

import functools

import redis
import redis.asyncio

from nfp_app.infra.settings import get_settings

# A Redis that stops answering must not hold a sign-in or a logout for long.
TIMEOUT_SECONDS = 2.0


@functools.cache
def sync_client_for(url: str) -> redis.Redis:
    """One pooled, thread-safe client per URL."""
    return redis.Redis.from_url(
        url, socket_timeout=TIMEOUT_SECONDS, socket_connect_timeout=TIMEOUT_SECONDS
    )


def sync_client() -> redis.Redis | None:
    """The client for REDIS_URL, or None without one."""
    url = get_settings().redis_url
    return sync_client_for(url) if url else None


def async_client(url: str) -> redis.asyncio.Redis:
    """A fresh client for one event loop (a subscriber); no read timeout, it waits for messages."""
    return redis.asyncio.Redis.from_url(
        url, socket_connect_timeout=TIMEOUT_SECONDS, health_check_interval=15
    )
