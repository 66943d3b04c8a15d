"""A worker's ear on the sign-out channel: Redis pub/sub, reconnecting when Redis goes away."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from redis.exceptions import RedisError

from nfp_app.infra import redis_client, signout_bus

logger = logging.getLogger("nfp_app.signout")
FIRST_RETRY_SECONDS = 0.5
LONGEST_RETRY_SECONDS = 10.0

OnEnded = Callable[[set[int]], Awaitable[None]]


async def _hand_over(on_ended: OnEnded, session_ids: set[int]) -> None:
    try:
        await on_ended(session_ids)
    except Exception:
        # The receiver's own trouble must not end the listening; the next message may work.
        logger.exception("sign-out channel: could not act on a message")


async def _listen(
    url: str, on_ended: OnEnded, on_subscribed: Callable[[], Awaitable[None]]
) -> None:
    client = redis_client.async_client(url)
    try:
        async with client.pubsub(ignore_subscribe_messages=True) as pubsub:
            await pubsub.subscribe(signout_bus.CHANNEL)
            # Messages that arrive meanwhile wait in the subscribed connection.
            await on_subscribed()
            async for message in pubsub.listen():
                if message.get("type") == "message":
                    await _hand_over(on_ended, signout_bus.decode(message["data"]))
    finally:
        await client.aclose()


async def listen_forever(url: str, on_ended: OnEnded, on_reconnected: OnEnded) -> None:
    """Call `on_ended` with the ids of every message. After an outage, once subscribed again,
    `on_reconnected` runs (with no ids) to catch what was published meanwhile."""
    retry = FIRST_RETRY_SECONDS
    lost = False

    async def subscribed() -> None:
        nonlocal lost, retry
        retry = FIRST_RETRY_SECONDS
        if lost:
            lost = False
            logger.warning("sign-out channel: Redis is back")
            await on_reconnected(set())

    while True:
        try:
            await _listen(url, on_ended, subscribed)
        except (RedisError, OSError) as error:
            if not lost:
                # Once per outage, without a traceback; the database sweep covers the gap.
                logger.warning("sign-out channel: Redis unreachable (%s); retrying", error)
                lost = True
        await asyncio.sleep(retry)
        retry = min(retry * 2, LONGEST_RETRY_SECONDS)
