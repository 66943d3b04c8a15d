"""Scaling-out settings: REDIS_URL and WEB_WORKERS reach Reflex, the pool options the engine,
and X-Served-By names the worker."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid

import httpx
import pytest
from pydantic import ValidationError
from sqlalchemy import event
from sqlalchemy.exc import OperationalError
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from nfp_app.infra import db
from nfp_app.infra.served_by import HEADER, ServedByMiddleware, worker_name
from nfp_app.infra.settings import PROJECT_DIR, Settings
from tests.support.event_loop import run_coroutine
from tests.support.overrides import Override

REDIS = "redis://redis.internal:6379/0"
# What rxconfig.py hands Reflex, printed by a fresh interpreter as `reflex run` would load it.
PROBE = (
    "import json, os, rxconfig; "
    "print(json.dumps([rxconfig.config.redis_url, os.environ.get('GRANIAN_WORKERS')]))"
)


def _reflex_sees(**env: str) -> list[str | None]:
    clean = {k: v for k, v in os.environ.items() if "REDIS_URL" not in k and "WORKERS" not in k}
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=PROJECT_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("url", ["http://redis:6379", "redis.internal:6379", "tcp://x"])
def test_a_redis_url_of_another_scheme_is_refused(
    url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REDIS_URL", url)
    with pytest.raises(ValidationError, match="REDIS_URL must start with redis://"):
        Settings()


@pytest.mark.parametrize("url", [REDIS, "rediss://r:6380/1", "unix:///run/redis.sock"])
def test_redis_schemes(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDIS_URL", url)
    assert Settings().redis_url == url


def test_reflexs_own_name_is_read_but_redis_url_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.setenv("REFLEX_REDIS_URL", REDIS)
    assert Settings().redis_url == REDIS
    monkeypatch.setenv("REDIS_URL", "redis://other:6379/0")
    assert Settings().redis_url == "redis://other:6379/0"


def test_several_workers_need_redis(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.delenv("REFLEX_REDIS_URL", raising=False)
    monkeypatch.setenv("WEB_WORKERS", "3")
    with pytest.raises(ValidationError, match="WEB_WORKERS above 1 needs REDIS_URL"):
        Settings()
    monkeypatch.setenv("REDIS_URL", REDIS)
    assert Settings().web_workers == 3


def test_rxconfig_hands_redis_and_workers_to_reflex() -> None:
    assert _reflex_sees() == [None, None]
    assert _reflex_sees(REDIS_URL=REDIS, WEB_WORKERS="4") == [REDIS, "4"]
    # Reflex's own variables keep working, and ours win over them.
    assert _reflex_sees(REFLEX_REDIS_URL=REDIS, GRANIAN_WORKERS="2") == [REDIS, "2"]
    mine = "redis://mine:6379/0"
    seen = _reflex_sees(
        REFLEX_REDIS_URL=REDIS, REDIS_URL=mine, WEB_WORKERS="3", GRANIAN_WORKERS="2"
    )
    assert seen == [mine, "3"]


def test_the_postgres_pool_follows_the_settings(override: Override) -> None:
    override(
        DB_POOL_SIZE="7",
        DB_MAX_OVERFLOW="3",
        DB_POOL_TIMEOUT_SECONDS="9",
        DB_POOL_RECYCLE_SECONDS="0",
        DB_POOL_PRE_PING="false",
        DB_CONNECT_TIMEOUT_SECONDS="4",
    )
    # A URL of its own: engines are made once per URL, and this one never connects.
    engine = db.engine_for(f"postgresql+psycopg2://nobody@127.0.0.1:1/pool_{uuid.uuid4().hex}")
    pool = engine.pool
    assert (pool.size(), pool._max_overflow, pool._timeout) == (7, 3, 9)  # type: ignore[attr-defined]
    assert (pool._recycle, pool._pre_ping) == (-1, False)
    # The options a connection is opened with, seen as it tries (nothing listens on port 1).
    tried: list[dict[str, object]] = []
    event.listen(engine, "do_connect", lambda _d, _r, _args, params: tried.append(params))
    with pytest.raises(OperationalError):
        engine.connect()
    assert tried[0]["connect_timeout"] == 4
    engine.dispose()


def _served(override: Override, on: str) -> dict[str, str]:
    override(SERVED_BY_HEADER=on)
    app = Starlette(routes=[Route("/", lambda _request: PlainTextResponse("ok"))])
    transport = httpx.ASGITransport(app=ServedByMiddleware(app))

    async def get() -> dict[str, str]:
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return dict((await client.get("/")).headers)

    return run_coroutine(get())


def test_the_served_by_header_is_off_by_default_and_names_the_worker(override: Override) -> None:
    assert HEADER.lower() not in _served(override, "false")
    assert _served(override, "true")[HEADER.lower()] == worker_name()
    assert worker_name().endswith(f":{os.getpid()}")
