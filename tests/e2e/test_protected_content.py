"""The /admin page gives nothing away before the server has checked the session."""

from __future__ import annotations

import re

import httpx
import pytest
from playwright.sync_api import Page, expect

from nfp_app.infra import db
from nfp_app.services import accounts, session_ends
from tests.support.accounts import create_user, make_admin, unique_name
from tests.support.live_app import LiveApp
from tests.support.ui import (
    COOKIE_NAME,
    PROTECTED_TEXTS,
    ContextFactory,
    cookie_param,
    goto_ready,
    login,
    login_page_ready,
    new_page,
    sample_frames,
    sampled,
    session_cookie,
    socket_frames,
)

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]


def test_raw_admin_html_holds_no_account_data(page: Page, live_app: LiveApp) -> None:
    """Even with a valid cookie, the HTML the server sends for /admin is the same placeholder."""
    username = unique_name("raw")
    create_user(live_app, username)
    login(page, live_app, username)
    cookie = session_cookie(page.context)
    assert cookie is not None
    with httpx.Client(cookies={COOKIE_NAME: cookie.get("value", "")}, timeout=10) as client:
        for path in ("/admin", "/admin/"):
            response = client.get(live_app.url(path), follow_redirects=True)
            assert response.status_code == 200
            assert "session-check" in response.text
            for secret in (username, *PROTECTED_TEXTS):
                assert secret not in response.text, f"{secret!r} is in the HTML of {path}"


@pytest.mark.parametrize("cookie_kind", ["none", "forged", "revoked"])
def test_admin_content_never_rendered_without_a_live_session(
    live_app: LiveApp, new_context: ContextFactory, cookie_kind: str
) -> None:
    """Anonymous, forged or revoked: /admin goes to /login without a frame of account data."""
    username = unique_name("gate")
    context = new_context()
    if cookie_kind == "revoked":
        create_user(live_app, username)
        signed_in = new_page(context)
        sample_frames(signed_in, username)
        login(signed_in, live_app, username)
        # The sampler does see account data when there is some.
        assert "#account-username" in sampled(signed_in).leaks
        stale = session_cookie(context)
        assert stale is not None
        signed_in.click("#logout")
        expect(signed_in).to_have_url(re.compile(r"/login/?$"))
        assert session_cookie(context) is None
        signed_in.close()
        context.add_cookies([cookie_param(stale)])
    if cookie_kind == "forged":
        context.add_cookies(
            [{"name": COOKIE_NAME, "value": "A" * 43, "domain": "localhost", "path": "/"}]
        )
    page = new_page(context)
    sample_frames(page, username)
    goto_ready(page, live_app.url("/admin"))
    expect(page).to_have_url(re.compile(r"/login/?\?next=(/|%2F)admin"))
    login_page_ready(page)
    seen = sampled(page)
    assert seen.frames > 2, "the frame sampler did not run"
    assert seen.documents == 1, "the redirect reloaded the page"
    assert seen.leaks == []


@pytest.mark.parametrize("role", ["user", "admin"])
def test_reload_after_revocation_sends_no_stale_account_data(
    page: Page, live_app: LiveApp, role: str
) -> None:
    """After "log out everywhere", reloading an open /admin tab gets none of the old data."""
    username = unique_name(role)
    other = unique_name("member")
    create_user(live_app, other)
    if role == "admin":
        make_admin(live_app, username)
    else:
        create_user(live_app, username)
    login(page, live_app, username)
    if role == "admin":
        expect(page.locator("#sign-in-chart")).to_be_visible()

    with db.session_scope(db.engine_for(live_app.database_url)) as session:
        user = accounts.find_by_username(session=session, username=username)
        assert user is not None
        assert user.id is not None
        session_ends.revoke_all(session=session, user_id=user.id)

    sample_frames(page, username, other)
    already = len(socket_frames(page))
    page.reload()
    expect(page).to_have_url(re.compile(r"/login/?\?next=(/|%2F)admin"))
    login_page_ready(page)
    after_reload = socket_frames(page)[already:]
    assert any("is_hydrated" in frame for frame in after_reload)
    leaked = [
        frame[max(0, frame.find(name) - 150) : frame.find(name) + 50]
        for frame in after_reload
        for name in (username, other)
        if name in frame
    ]
    assert leaked == [], f"stale account data was sent after the reload: {leaked}"
    assert sampled(page).leaks == []
