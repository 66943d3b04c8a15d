"""The Redis counter store: where its hits go, that keys expire, and what they are named."""

from __future__ import annotations

from typing import cast

import pytest
import redis
from sqlmodel import Session, select

from nfp_app.infra.settings import get_settings
from nfp_app.models import ThrottleHit, utcnow
from nfp_app.services import signin, throttle, throttle_redis
from tests.support.security import try_sign_in

pytestmark = [pytest.mark.postgres]

SECRET_NAME = "redis_store_user"
ADDRESS = "198.51.100.99"


@pytest.mark.usefixtures("throttle_store")
@pytest.mark.parametrize("throttle_store", ["redis"], indirect=True)
def test_hits_live_in_redis_under_digests_and_expire(session: Session) -> None:
    result = try_sign_in(session, SECRET_NAME, "wrong password!", ip=ADDRESS, at=utcnow())
    assert isinstance(result, signin.BadCredentials)
    # Nothing in the database: the counters are in Redis...
    assert session.exec(select(ThrottleHit)).all() == []
    client = redis.Redis.from_url(get_settings().redis_url)
    names = [name.decode() for name in client.scan_iter(f"{throttle_redis.PREFIX}*")]
    # ...one sorted set per key (client, account, IP), each with this attempt...
    assert sorted(name.split(":")[2] for name in names) == ["account", "client", "ip"]
    assert all(client.zcard(name) == 1 for name in names)
    # ...named without the username or the address, and gone when the window has passed.
    assert not any(SECRET_NAME in name or ADDRESS in name for name in names)
    windows = (
        get_settings().throttle_account_window_seconds,
        get_settings().throttle_ip_window_seconds,
    )
    assert all(0 < cast(int, client.ttl(name)) <= max(windows) + 1 for name in names)
    client.close()


@pytest.mark.usefixtures("throttle_store")
@pytest.mark.parametrize("throttle_store", ["redis"], indirect=True)
def test_release_and_clear_undo_redis_hits(session: Session) -> None:
    now = utcnow()
    limit = throttle.Limit(hits=1, window=get_settings().throttle_retention)
    key = throttle.Key("test", "release-and-clear", limit)
    first = throttle.reserve(session=session, keys=[key], keep=limit.window, now=now)
    assert isinstance(first, throttle.Reservation)
    assert first.redis_hits
    assert isinstance(
        throttle.reserve(session=session, keys=[key], keep=limit.window, now=now),
        throttle.Refused,
    )
    throttle.release(session=session, reservation=first)
    assert isinstance(
        throttle.reserve(session=session, keys=[key], keep=limit.window, now=now),
        throttle.Reservation,
    )
    throttle.clear(session=session, key=key)
    assert isinstance(
        throttle.reserve(session=session, keys=[key], keep=limit.window, now=now),
        throttle.Reservation,
    )
