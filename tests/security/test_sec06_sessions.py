"""SEC-6: sessions: a random secret apart from Reflex's client token; revocation and timeouts.

The client token (sessionStorage "token", ?token= on the websocket) is no credential: Reflex hands
the stored state to anyone who connects with it, so account data is bound to the connection that
proved the session with the HttpOnly cookie, and a new connection must bring the cookie again.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable

import httpx
import pytest
import reflex as rx
import sqlalchemy as sa
from playwright.sync_api import Page, expect
from sqlmodel import Session, col, select

from nfp_app.infra import db
from nfp_app.models import AuthSession, User, utcnow
from nfp_app.security import tokens
from nfp_app.services import account_changes, accounts
from nfp_app.state.admin_overview import AdminOverviewState
from nfp_app.state.auth import AuthState
from nfp_app.state.login import LoginState
from tests.support.accounts import PASSWORD, create_user, unique_name
from tests.support.live_app import LiveApp
from tests.support.reflex_socket import ReflexSocket, cookie_secret, handler, reflex_socket, sign_in
from tests.support.ui import (
    ContextFactory,
    goto_ready,
    login,
    login_page_ready,
    new_page,
    sample_frames,
    sampled,
    session_cookie,
    socket_frames,
)

pytestmark = [pytest.mark.security, pytest.mark.postgres]

LOGIN_NEXT = re.compile(r"/login/?\?next=(/|%2F)admin")
NEW_PASSWORD = "a different quiet river"


def _engine(app: LiveApp) -> sa.Engine:
    return db.engine_for(app.database_url)


def _user_id(app: LiveApp, username: str) -> int:
    with Session(_engine(app)) as session:
        user = accounts.find_by_username(session=session, username=username)
        assert user is not None
        assert user.id is not None
        return user.id


def _sessions_of(app: LiveApp, username: str) -> list[AuthSession]:
    with Session(_engine(app)) as session:
        query = select(AuthSession).where(AuthSession.user_id == _user_id(app, username))
        return list(session.exec(query.order_by(col(AuthSession.id))).all())


def _is_signed_in(socket: ReflexSocket, since: int = 0) -> bool:
    """Whether the server's replies since then showed this connection an authenticated user."""
    return '"is_authenticated_rx_state_": true' in socket.text(since)


def _open_admin(socket: ReflexSocket) -> int:
    """Run /admin's on_load on the socket; the index of its first reply."""
    start = len(socket.messages)
    socket.send(handler(rx.State, "hydrate"))
    socket.send(handler(AdminOverviewState, "open_page"))
    assert socket.sync(), "the server closed the connection"
    return start


def test_sec06_session_secret_is_random_and_apart_from_the_client_token(
    live_app: LiveApp,
) -> None:
    """The cookie holds 256 random bits, unrelated to the client token; only its digest is kept."""
    secrets_made = {tokens.new_secret() for _ in range(50)}
    assert len(secrets_made) == 50
    for secret in secrets_made:
        assert len(base64.urlsafe_b64decode(secret + "=")) == 32

    username = unique_name("sec6")
    create_user(live_app, username)
    with reflex_socket(live_app) as tab:
        cookie = sign_in(tab, username, PASSWORD)
        token = tab.token
    secret = cookie_secret(cookie)
    assert len(base64.urlsafe_b64decode(secret + "=")) == 32
    assert secret != token
    assert token.replace("-", "") not in secret
    [row] = _sessions_of(live_app, username)
    assert row.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    stored = json.dumps(row.model_dump(mode="json"))
    assert secret not in stored
    assert token not in stored


def test_sec06_stolen_client_token_over_a_raw_socket(live_app: LiveApp) -> None:
    """A script that reconnects with the victim's client token, without the cookie, gets nothing."""
    username = unique_name("victim")
    create_user(live_app, username)
    with reflex_socket(live_app) as victim:
        cookie = sign_in(victim, username, PASSWORD)
        start = _open_admin(victim)
        assert _is_signed_in(victim, start)
        token = victim.token
    # The victim's tab is closed, so Reflex gives its stored state to whoever brings the token.
    with reflex_socket(live_app, token=token) as thief:
        _open_admin(thief)
        for name in ("route_home", "finish_handoff"):
            thief.send(handler(AuthState, name))
        thief.send(handler(AdminOverviewState, "refresh"))
        thief.send(handler(LoginState, "open_page"), path="/login")
        assert thief.sync()
        assert thief.token == token
        assert username not in thief.text()
        assert not _is_signed_in(thief)
        assert thief.delta_values("chart") in ([], [[]])
        assert any(path.startswith("/login") for path in thief.redirects())
    # The thief's events ended nothing: the victim's cookie still signs them in, same token.
    assert all(row.revoked_at is None for row in _sessions_of(live_app, username))
    with reflex_socket(live_app, token=token, cookie=cookie) as victim_again:
        start = _open_admin(victim_again)
        assert _is_signed_in(victim_again, start)
        assert username in victim_again.text(start)


@pytest.mark.e2e
@pytest.mark.parametrize("victim_tab", ["open", "closed"])
def test_sec06_stolen_client_token_in_another_browser(
    page: Page, live_app: LiveApp, new_context: ContextFactory, victim_tab: str
) -> None:
    """Another browser that plants the victim's sessionStorage token sees no account data."""
    username = unique_name("victim")
    create_user(live_app, username)
    login(page, live_app, username)
    token = page.evaluate("sessionStorage.getItem('token')")
    assert token
    if victim_tab == "closed":
        page.goto("about:blank")

    thief = new_page(new_context())
    thief.add_init_script(f"sessionStorage.setItem('token', {json.dumps(token)})")
    sample_frames(thief, username)
    goto_ready(thief, live_app.url("/admin"))
    expect(thief).to_have_url(LOGIN_NEXT)
    login_page_ready(thief)
    assert all(username not in frame for frame in socket_frames(thief))
    assert sampled(thief).leaks == []
    assert session_cookie(thief.context) is None

    # The victim, who has the cookie, is still signed in.
    goto_ready(page, live_app.url("/admin"))
    expect(page.locator("#account-username")).to_have_text(username)


def _change(action: str, app: LiveApp, username: str, tab: ReflexSocket, cookie: str) -> None:
    if action == "logout":
        # The "Log out" button posts its form from the app's own page.
        cleared = httpx.post(
            app.url("/auth/logout"),
            headers={"Cookie": cookie, "Origin": app.base_url},
            timeout=30,
        )
        assert cleared.status_code == 303
        assert 'nfp_session=""' in cleared.headers.get("set-cookie", "")
        return
    with db.session_scope(_engine(app)) as session:
        user_id = _user_id(app, username)
        if action == "password":
            account_changes.set_password(session=session, user_id=user_id, password=NEW_PASSWORD)
        else:
            account_changes.set_active(session=session, user_id=user_id, active=False)


@pytest.mark.parametrize("action", ["logout", "password", "disable"])
def test_sec06_revocation_signs_open_tabs_out(live_app: LiveApp, action: str) -> None:
    """Logout ends its session; a password change or disabling ends all, REST tokens too."""
    username = unique_name(f"rev_{action}")
    create_user(live_app, username)
    token_response = httpx.post(
        live_app.url("/token"), data={"username": username, "password": PASSWORD}, timeout=30
    )
    bearer = {"Authorization": f"Bearer {token_response.json()['access_token']}"}
    with reflex_socket(live_app) as first:
        cookie = sign_in(first, username, PASSWORD)
        _open_admin(first)
        # A second tab of the same browser: signed in from the cookie in its handshake.
        with reflex_socket(live_app, cookie=cookie) as other_tab:
            assert _is_signed_in(other_tab, _open_admin(other_tab))
            _change(action, live_app, username, first, cookie)
            before = len(other_tab.messages)
            other_tab.send(handler(AdminOverviewState, "refresh"))
            assert other_tab.sync()
            assert any(path.startswith("/login") for path in other_tab.redirects(before))
            assert username not in other_tab.text(before)
            assert False in other_tab.delta_values("is_authenticated")
    with reflex_socket(live_app, cookie=cookie) as reopened:
        start = _open_admin(reopened)
        assert not _is_signed_in(reopened, start)
        assert username not in reopened.text(start)
    rows = _sessions_of(live_app, username)
    me = httpx.get(live_app.url("/users/me/"), headers=bearer, timeout=30)
    if action == "logout":
        # Logout ends this browser's session only; the REST token has a session of its own.
        assert [row.revoked_at is None for row in rows] == [True, False]
        assert me.status_code == 200
    else:
        assert all(row.revoked_at is not None for row in rows)
        assert me.status_code == 401


def _idle(row: AuthSession) -> None:
    row.last_seen_at = utcnow() - dt.timedelta(minutes=31)


def _expired(row: AuthSession) -> None:
    row.last_seen_at = utcnow()
    row.expires_at = utcnow() - dt.timedelta(seconds=1)


@pytest.mark.parametrize("age", [_idle, _expired], ids=["idle", "absolute"])
def test_sec06_timeouts_are_enforced_by_the_server(
    live_app: LiveApp, age: Callable[[AuthSession], None]
) -> None:
    """A session idle 31 minutes, or past its absolute expiry, signs open and new tabs out."""
    username = unique_name("aged")
    create_user(live_app, username)
    with reflex_socket(live_app) as tab:
        cookie = sign_in(tab, username, PASSWORD)
        with reflex_socket(live_app, cookie=cookie) as open_tab:
            assert _is_signed_in(open_tab, _open_admin(open_tab))
            user_id = _user_id(live_app, username)
            with db.session_scope(_engine(live_app)) as session:
                query = select(AuthSession).where(AuthSession.user_id == user_id)
                [row] = session.exec(query).all()
                age(row)
                session.add(row)
            before = len(open_tab.messages)
            open_tab.send(handler(AdminOverviewState, "refresh"))
            assert open_tab.sync()
            assert any(path.startswith("/login") for path in open_tab.redirects(before))
            assert username not in open_tab.text(before)
    with reflex_socket(live_app, cookie=cookie) as reload:
        start = _open_admin(reload)
        assert not _is_signed_in(reload, start)
        assert username not in reload.text(start)
    with Session(_engine(live_app)) as session:
        user = session.exec(select(User).where(User.username == username)).one()
        assert user.is_active
