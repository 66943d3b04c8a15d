"""SEC-8: no password, hash, JWT or session secret reaches the browser, a log or state storage.

tests/e2e/test_client_secrets.py checks document.cookie, web storage and websocket frames after
a sign-in; this module adds the password itself, signup, the built JavaScript, the log, the
pickled states on disk and the states in Redis.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
import jwt as pyjwt
import pytest
import redis
import reflex as rx
from playwright.sync_api import Page, expect

from nfp_app.state.admin_overview import AdminOverviewState
from tests.support.accounts import PASSWORD, unique_name
from tests.support.live_app import LiveApp, LiveAppFactory
from tests.support.prod_app import ROOT
from tests.support.reflex_socket import (
    BINDING_COOKIE,
    cookie_secret,
    handler,
    reflex_socket,
    sign_in,
)
from tests.support.security import leaks
from tests.support.ui import (
    COOKIE_NAME,
    fill_signup,
    goto_ready,
    hydrations,
    login,
    session_cookie,
    socket_frames,
    wait_hydrated,
)

pytestmark = [pytest.mark.security, pytest.mark.postgres]

# Names of server-only fields and columns, which nothing built for the browser may mention.
SERVER_ONLY = (
    "hashed_password",
    "secret_hash",
    "handoff_hash",
    "_session_id",
    "_checked_by",
    "_notes",
    "_deleted",
)
DEVICE_COOKIE = "nfp_session_device"


def _files(folder: Path) -> Iterator[Path]:
    return (path for path in folder.rglob("*") if path.is_file())


def _text(path: Path) -> str:
    return path.read_bytes().decode("utf-8", "replace")


def _states_folder(app: LiveApp) -> Path:
    # live_app.py gives every app REFLEX_STATES_WORKDIR=<workdir>/states, next to its log.
    return app.log_path.parent / "states"


def _written_states(app: LiveApp, since: float) -> list[Path]:
    """The pickled states, once the disk manager has written one after `since` (it waits 2 s)."""
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        pickles = list(_files(_states_folder(app)))
        if any(path.stat().st_mtime > since for path in pickles):
            return pickles
        time.sleep(0.25)
    raise AssertionError(f"no state was written to {_states_folder(app)}")


def _rest_token(app: LiveApp, username: str) -> str:
    answer = httpx.post(app.url("/token"), data={"username": username, "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    token = answer.json()["access_token"]
    me = httpx.get(app.url("/users/me/"), headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200
    return token


@pytest.mark.e2e
def test_sec08_browser_log_and_disk_hold_no_secret(page: Page, live_app: LiveApp) -> None:
    """Signup, sign-in and REST use leave no secret in frames, storage, cookies, log or pickles."""
    username = unique_name("sec8")
    goto_ready(page, live_app.url("/signup"))
    before = hydrations(page)
    fill_signup(page, username, PASSWORD, email=f"{username}@example.com")
    wait_hydrated(page, before, "/admin after signup")
    expect(page.locator("#account-username")).to_have_text(username)
    page.click("#logout")
    expect(page.locator("#username")).to_be_visible()
    login(page, live_app, username, PASSWORD, remember=True)
    # A page load opens a websocket whose handshake carries the cookie, as a reload does.
    reloaded_at = time.time()
    goto_ready(page, live_app.url("/admin"))
    expect(page.locator("#account-username")).to_have_text(username)
    cookie = session_cookie(page.context)
    assert cookie is not None
    secret = cookie.get("value", "")
    jwt = _rest_token(live_app, username)
    forbidden = (PASSWORD, secret, jwt)

    frames = socket_frames(page)
    assert any(username in frame for frame in frames)
    for frame in frames:
        assert not leaks(frame, *forbidden), frame[:300]
    storage = page.evaluate(
        """() => [localStorage, sessionStorage].flatMap((store) =>
            Object.keys(store).map((key) => key + "=" + store.getItem(key)))"""
    )
    assert not leaks("\n".join(storage), *forbidden)
    for browser_cookie in page.context.cookies():
        name, value = browser_cookie.get("name"), browser_cookie.get("value", "")
        if name in (COOKIE_NAME, BINDING_COOKIE, DEVICE_COOKIE):
            assert browser_cookie.get("httpOnly") is True, name
        if name == DEVICE_COOKIE:
            # A signed JWT by design (SEC-18): it names the account and a device id and grants
            # nothing; it is no access token and holds no other secret.
            claims = pyjwt.decode(value, options={"verify_signature": False})
            assert set(claims) == {"typ", "acct", "dev", "iat", "exp"}
            assert claims["typ"] == "device"
            assert not [secret for secret in forbidden if secret in value]
        elif name != COOKIE_NAME:
            assert not leaks(value, *forbidden), name
    assert COOKIE_NAME not in page.evaluate("document.cookie")

    log = live_app.log_path.read_text(errors="replace")
    assert not leaks(log, *forbidden), "the app's log holds a secret"
    for path in _written_states(live_app, reloaded_at):
        assert not leaks(_text(path), *forbidden), f"{path} holds a secret"
        assert COOKIE_NAME not in _text(path), f"{path} holds the Cookie header"


def test_sec08_built_frontend_holds_no_secret(live_app: LiveApp) -> None:
    """The compiled JavaScript and HTML hold no key, hash, token or server-only name."""
    web = Path(os.environ.get("LIVE_APP_WEB_WORKDIR") or ROOT / ".web")
    built = [path for path in _files(web / "build") if not path.name.endswith(".gz")]
    assert any(path.suffix == ".js" for path in built), f"no built JavaScript in {web / 'build'}"
    keys = (live_app.secret_key, os.environ["SECRET_KEY"])
    for path in built:
        text = _text(path)
        assert not leaks(text, *keys), f"{path} holds a secret"
        for name in SERVER_ONLY:
            # As a name of its own: "action_session_id" (a console form field) is another.
            assert not re.search(rf"(?<![A-Za-z0-9_]){name}(?![A-Za-z0-9_])", text), (
                f"{path} mentions {name}"
            )


def _redis_url() -> str:
    url = os.environ.get("TEST_REDIS_URL")
    if not url:
        pytest.fail("TEST_REDIS_URL is not set: run the suite with scripts/test.sh")
    # A database of its own, so the scan sees only this app's keys.
    return urlunsplit(urlsplit(url)._replace(path="/9"))


def _redis_dump(redis_client: redis.Redis) -> Iterator[tuple[str, str]]:
    # redis-py's annotations cover its async client too; this one is synchronous.
    client: Any = redis_client
    for raw_key in client.scan_iter(count=500):
        key = raw_key.decode("utf-8", "replace")
        kind = client.type(raw_key).decode()
        if kind == "string":
            values = [client.get(raw_key)]
        elif kind == "hash":
            values = [part for pair in client.hgetall(raw_key).items() for part in pair]
        elif kind == "list":
            values = client.lrange(raw_key, 0, -1)
        elif kind == "set":
            values = list(client.smembers(raw_key))
        elif kind == "zset":
            values = [member for member, _ in client.zrange(raw_key, 0, -1, withscores=True)]
        else:
            values = []
        for value in values:
            text = value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
            yield key, text


def test_sec08_redis_holds_no_secret(live_app_factory: LiveAppFactory) -> None:
    """With the Redis state manager, no stored key or value holds a password, hash or secret."""
    url = _redis_url()
    client = redis.Redis.from_url(url)
    client.flushdb()
    with live_app_factory(REDIS_URL=url) as app:
        username = unique_name("redis8")
        created = httpx.post(app.url("/users/"), json={"username": username, "password": PASSWORD})
        assert created.status_code == 200, created.text
        with reflex_socket(app) as tab:
            cookie = sign_in(tab, username, PASSWORD)
            token = tab.token
        with reflex_socket(app, token=token, cookie=cookie) as reloaded:
            reloaded.send(handler(rx.State, "hydrate"))
            reloaded.send(handler(AdminOverviewState, "open_page"))
            reloaded.wait_for(username)
        jwt = _rest_token(app, username)
        dump = list(_redis_dump(client))
        assert any(token in key or token in value for key, value in dump), "state not in Redis"
        for key, value in dump:
            assert not leaks(f"{key} {value}", PASSWORD, cookie_secret(cookie), jwt), key
            assert COOKIE_NAME not in value, f"{key} holds the Cookie header"
    client.flushdb()
    client.close()
