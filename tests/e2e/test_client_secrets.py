"""Nothing in reach of the page's JavaScript can stand in for the session."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page

from tests.support.accounts import create_user, unique_name
from tests.support.live_app import LiveApp
from tests.support.ui import COOKIE_NAME, login, session_cookie, socket_frames

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]

JWT = re.compile(r"eyJ[\w-]{5,}\.[\w-]{5,}\.[\w-]+")


def test_scripts_cannot_read_the_session(page: Page, live_app: LiveApp) -> None:
    """document.cookie, web storage and websocket messages hold no cookie secret and no JWT."""
    username = unique_name("secret")
    create_user(live_app, username)
    login(page, live_app, username, remember=True)
    cookie = session_cookie(page.context)
    assert cookie is not None
    secret = cookie.get("value", "")
    assert len(secret) >= 32

    document_cookie = page.evaluate("document.cookie")
    assert COOKIE_NAME not in document_cookie
    assert secret not in document_cookie

    storage = page.evaluate(
        """() => [localStorage, sessionStorage].flatMap((store) =>
            Object.keys(store).map((key) => [key, store.getItem(key)]))"""
    )
    for key, value in storage:
        for text in (key, value or ""):
            assert secret not in text, f"the session secret is in web storage under {key!r}"
            assert not JWT.search(text), f"a JWT is in web storage under {key!r}"

    frames = socket_frames(page)
    assert any(username in frame for frame in frames), "no websocket traffic was recorded"
    for frame in frames:
        assert secret not in frame
        assert not JWT.search(frame), f"a JWT was sent to the browser: {frame[:200]}"
