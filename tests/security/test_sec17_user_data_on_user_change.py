"""SEC-17: nothing loaded for one user reaches the next user of the same tab.

A tab keeps its Reflex client token across logouts and sign-ins. Every per-user var of every
state is reset in one place (AuthState._switch_session) whenever the tab's session ends or
changes hands, and the admin table is served only to the session that loaded it.
"""

from __future__ import annotations

import os
import re
import time
from typing import Any

import pytest
import redis
import reflex as rx
from playwright.sync_api import Page, expect
from sqlmodel import col, update

from nfp_app.infra import db
from nfp_app.models import AuthSession, utcnow
from nfp_app.services import accounts
from nfp_app.state.admin_overview import AdminOverviewState
from nfp_app.state.auth import AuthState, page_state_classes
from nfp_app.state.login import LoginState
from tests.support.accounts import PASSWORD, create_user, make_admin, unique_name
from tests.support.live_app import LiveApp, LiveAppFactory
from tests.support.reflex_socket import ReflexSocket, handler, reflex_socket, sign_in
from tests.support.ui import fill_login, hydrations, login, socket_frames, wait_hydrated

pytestmark = [pytest.mark.security, pytest.mark.postgres]

# A frame that carries the filled console overview, whoever it is for.
_FILLED_TABLE = re.compile(r'"(?:users_total_rx_state_":\s*[1-9]|chart_rx_state_":\s*\[\s*\{)')
# The fields that describe the tab's current session, which the new user legitimately has.
_SESSION_FIELDS = frozenset({"_session_id", "_user", "_checked_by"})


def _with_email(app: LiveApp, username: str) -> str:
    email = f"{username}@canary.example"
    with db.session_scope(db.engine_for(app.database_url)) as session:
        user = accounts.find_by_username(session=session, username=username)
        assert user is not None
        user.email = email
        session.add(user)
    return email


def _open_admin(tab: ReflexSocket) -> None:
    """Run /admin's on_load and wait until the console overview has been sent to this tab."""
    tab.send(handler(rx.State, "hydrate"))
    tab.send(handler(AdminOverviewState, "open_page"))
    deadline = time.monotonic() + 15
    while not any(total > 0 for total in tab.delta_values("users_total")):
        assert time.monotonic() < deadline, "the console overview never arrived"
        time.sleep(0.05)


@pytest.mark.e2e
def test_sec17_admin_table_does_not_reach_the_next_user_of_the_tab(
    page: Page, live_app: LiveApp
) -> None:
    """The reported path: an admin logs out, a user signs in on the same tab."""
    admin, member = unique_name("adm17"), unique_name("mem17")
    make_admin(live_app, admin)
    admin_email = _with_email(live_app, admin)
    create_user(live_app, member)
    login(page, live_app, admin)
    # The console overview is on screen: the admin's figures were sent to this tab.
    expect(page.locator("#sign-in-chart")).to_be_visible()
    expect(page.locator("#counter-users-value")).not_to_have_text("0")
    handed_over_at = len(socket_frames(page))

    before = hydrations(page)
    page.click("#logout")
    wait_hydrated(page, before, "/login after logout")
    before = hydrations(page)
    fill_login(page, member, PASSWORD)
    wait_hydrated(page, before, "/admin after the second sign-in")
    expect(page.locator("#account-username")).to_have_text(member)

    later = socket_frames(page)[handed_over_at:]
    assert later, "no websocket traffic after the change of user"
    for frame in later:
        assert not _FILLED_TABLE.search(frame), frame[:500]
        for secret in (admin, admin_email):
            assert secret not in frame, f"{secret!r} reached the next user: {frame[:500]}"


def test_sec17_revoked_admin_then_another_sign_in_on_the_tab(live_app: LiveApp) -> None:
    """A session that ended elsewhere (revocation, expiry) leaves nothing for the next user."""
    admin, member = unique_name("adm17r"), unique_name("mem17r")
    make_admin(live_app, admin)
    admin_email = _with_email(live_app, admin)
    create_user(live_app, member)
    with reflex_socket(live_app) as tab:
        sign_in(tab, admin, PASSWORD)
        _open_admin(tab)
        with db.session_scope(db.engine_for(live_app.database_url)) as session:
            user = accounts.find_by_username(session=session, username=admin)
            assert user is not None
            session.exec(
                update(AuthSession)
                .where(col(AuthSession.user_id) == user.id)
                .values(revoked_at=utcnow())
            )
        # The tab goes to /login, as a browser does, and its on_load finds the session ended.
        went = len(tab.messages)
        tab.send(handler(rx.State, "hydrate"), path="/login")
        tab.send(handler(LoginState, "open_page"), path="/login")
        deadline = time.monotonic() + 15
        while False not in tab.delta_values("is_authenticated", since=went):
            assert time.monotonic() < deadline, "the ended session was never noticed"
            time.sleep(0.05)
        since = len(tab.messages)
        sign_in(tab, member, PASSWORD)
        tab.send(handler(AuthState, "route_home"), path="/")
        tab.wait_for(member)
        later = tab.text(since)
        assert admin not in later
        assert admin_email not in later
        assert not _FILLED_TABLE.search(later)
        assert all(not chart for chart in tab.delta_values("chart")[-1:])


def _stored_states(client: redis.Redis, token: str) -> dict[type[Any], Any]:
    """Every state of this tab below the root, as the Redis state manager stored it."""
    found = {}
    for state_class in (AuthState, *page_state_classes()):
        raw = client.get(f"{token}_{state_class.get_full_name()}")
        if raw is not None:
            assert isinstance(raw, bytes)
            found[state_class] = state_class._deserialize(data=raw)
    return found


def test_sec17_no_per_user_var_survives_a_change_of_user(
    live_app_factory: LiveAppFactory,
) -> None:
    """Walk every state class: after a change of user, every var holds its default or the
    new session's own values, as stored in Redis."""
    url = os.environ["TEST_REDIS_URL"]
    client = redis.Redis.from_url(url)
    with live_app_factory(REDIS_URL=url) as app:
        admin, member = unique_name("adm17w"), unique_name("mem17w")
        make_admin(app, admin)
        create_user(app, member)
        with reflex_socket(app) as tab:
            sign_in(tab, admin, PASSWORD)
            _open_admin(tab)
            tab.send(handler(AdminOverviewState, "refresh"))
            sign_in(tab, member, PASSWORD)
            tab.send(handler(AuthState, "route_home"), path="/")
            tab.wait_for('"_redirect"')
            token = tab.token
        # The state manager writes the states back as each event ends: wait for the last one.
        deadline = time.monotonic() + 15
        while True:
            stored = _stored_states(client, token)
            user = stored[AuthState]._user if AuthState in stored else None
            if user is not None and user.username == member:
                break
            assert time.monotonic() < deadline, "the new user's session never reached Redis"
            time.sleep(0.1)
    client.close()
    # The admin's overview was stored, so the walk below looks at states that did hold data.
    assert AdminOverviewState in stored
    for state_class, state in stored.items():
        for name, field in state_class.__fields__.items():
            if field._owner is not state_class:
                continue
            value = getattr(state, name)
            if state_class is AuthState and name in _SESSION_FIELDS:
                continue
            assert value == field.default_value(), f"{state_class.__name__}.{name} = {value!r}"
