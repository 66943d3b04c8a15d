"""The sign-out channel on a real Redis: published after commit only, heard through outages."""

from __future__ import annotations

import asyncio
import logging
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import cast

import pytest
import redis
from redis.client import PubSub
from sqlmodel import Session

from nfp_app.infra import signout_bus
from nfp_app.models import User
from nfp_app.services import accounts, auth_sessions, session_ends
from nfp_app.tasks import signout_channel
from tests.support.accounts import PASSWORD
from tests.support.event_loop import run_coroutine
from tests.support.overrides import Override
from tests.support.prod_app import free_port
from tests.support.redis_dbs import redis_db_url

pytestmark = [pytest.mark.postgres]


def _open_session(session: Session, user: User) -> int:
    started = auth_sessions.start_browser_session(
        session=session,
        user=user,
        persistent=False,
        user_agent="pytest",
        ip="127.0.0.1",
        binding="a browser",
    )
    session.commit()
    return started.session_id


@pytest.fixture
def channel(override: Override) -> Iterator[PubSub]:
    """REDIS_URL set, and a subscriber on the sign-out channel."""
    url = redis_db_url(0)
    override(REDIS_URL=url)
    client = redis.Redis.from_url(url)
    pubsub = client.pubsub()
    pubsub.subscribe(signout_bus.CHANNEL)
    # The confirmation: from here on, every publication reaches this subscriber.
    confirmed = pubsub.get_message(timeout=5)
    assert confirmed is not None
    assert confirmed["type"] == "subscribe"
    yield pubsub
    pubsub.close()
    client.close()


def _next_ids(pubsub: PubSub) -> set[int] | None:
    message = pubsub.get_message(timeout=2)
    return None if message is None else signout_bus.decode(message["data"])


def test_ended_sessions_are_published_after_commit_only(session: Session, channel: PubSub) -> None:
    user = accounts.create_user(session=session, username="bus", password=PASSWORD)
    session.commit()
    assert user.id is not None
    first, second, kept = (_open_session(session, user) for _ in range(3))
    # Rolled back: nothing ended, nothing said; the next message is the next commit's.
    session_ends.revoke_all(session=session, user_id=user.id, keep=kept)
    session.rollback()
    session_ends.revoke(session=session, session_id=kept)
    session.commit()
    assert _next_ids(channel) == {kept}
    session_ends.revoke_all(session=session, user_id=user.id, keep=kept)
    session.commit()
    assert _next_ids(channel) == {first, second}


def test_messages_are_only_ids() -> None:
    assert signout_bus.decode(signout_bus.encode([3, 1, 2])) == {1, 2, 3}
    assert signout_bus.decode(b"7,x,,-1, 8") == {7, 8}


class _Redis:
    """A redis-server of this test's own, to stop and start again on the same port."""

    def __init__(self, workdir: Path) -> None:
        self.port = free_port()
        self.workdir = workdir
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
        command += ["--save", "", "--appendonly", "no", "--dir", str(self.workdir)]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while True:
            try:
                redis.Redis.from_url(self.url).ping()
                return
            except redis.ConnectionError:
                assert time.monotonic() < deadline, "redis-server did not start"
                time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


async def _until(condition: Callable[[], bool], what: str, seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.05)


def test_the_listener_survives_redis_going_away(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    server = _Redis(tmp_path)
    server.start()
    heard: list[set[int]] = []
    catch_ups: list[set[int]] = []

    async def on_ended(ids: set[int]) -> None:
        heard.append(ids)

    async def on_reconnected(ids: set[int]) -> None:
        catch_ups.append(ids)

    def subscribers() -> int:
        counts = redis.Redis.from_url(server.url).pubsub_numsub(signout_bus.CHANNEL)
        return cast(list[tuple[bytes, int]], counts)[0][1]

    async def scenario() -> None:
        listener = asyncio.create_task(
            signout_channel.listen_forever(server.url, on_ended, on_reconnected)
        )
        publisher = redis.Redis.from_url(server.url)
        await _until(lambda: subscribers() == 1, "the subscription")
        publisher.publish(signout_bus.CHANNEL, "41")
        await _until(lambda: heard == [{41}], "the first message")
        server.stop()
        await _until(lambda: "Redis unreachable" in caplog.text, "the warning")
        server.start()
        await _until(lambda: catch_ups == [set()], "the catch-up after reconnecting")
        await _until(lambda: subscribers() == 1, "the new subscription")
        redis.Redis.from_url(server.url).publish(signout_bus.CHANNEL, "42")
        await _until(lambda: heard == [{41}, {42}], "a message after the outage")
        listener.cancel()

    try:
        with caplog.at_level(logging.WARNING, logger="nfp_app.signout"):
            run_coroutine(scenario())
    finally:
        server.stop()
    # One warning for the outage and one for the return; no traceback.
    warnings = [record.getMessage() for record in caplog.records]
    assert len(warnings) == 2, warnings
    assert "Redis is back" in warnings[1]
    assert "Traceback" not in caplog.text
